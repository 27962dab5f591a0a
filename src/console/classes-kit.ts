/**
 * What the class pages share: the class named in the path (only if the signed-in person may see it),
 * the one "no such class" answer, and the confirmation shown after a form was sent.
 */
import type { Context } from "hono";
import type { App } from "../app.ts";
import type { ClassRecord } from "../classes/repository.ts";
import { visibleClass } from "./classes-actions.ts";
import type { ConsoleEnv } from "./context.ts";
import { refusal } from "./refusal.tsx";
import { ct } from "./text.ts";

type Ctx = Context<ConsoleEnv>;

const doneKeys = new Set(["created", "saved", "unchanged", "renewed", "archived", "session", "attendance", "sent"]);

/**
 * The confirmation after a form was sent (`?done=...&n=...`).
 *
 * @example
 * <Page ... flash={classFlash(c)}>
 */
export function classFlash(c: Ctx) {
  const done = c.req.query("done");
  if (!done || !doneKeys.has(done)) return undefined;
  return {
    kind: "notice" as const,
    text: ct(c.get("staff").language, `classes.done.${done}`, { count: Number(c.req.query("n") ?? 0) }),
  };
}

/**
 * The class named in the path (`:id`) if the signed-in person may see it.
 *
 * @example
 * const cls = await classFromPath(app, c);
 * if (!cls) return noSuchClass(c);
 */
export async function classFromPath(app: App, c: Ctx): Promise<ClassRecord | undefined> {
  return visibleClass(app.store.reader, c.get("staff"), Number(c.req.param("id")));
}

/**
 * "No such class": the same answer whether it does not exist or belongs to another teacher.
 *
 * @example
 * if (!cls) return noSuchClass(c);
 */
export function noSuchClass(c: Ctx) {
  const staff = c.get("staff");
  return refusal(c, 404, staff.language, "errors.notFound", staff.roles);
}
