/**
 * What every `/api/classes` route starts from: the class the caller may see (404 for one they may not,
 * exactly as for one that does not exist), the answer for an archived class, and the class's time zone.
 */
import type { Context } from "hono";
import type { App } from "../app.ts";
import type { ClassRecord } from "../classes/repository.ts";
import { visibleClass } from "../console/classes-actions.ts";
import { classZone } from "../console/classes-input.ts";
import { invalid } from "./kit.ts";

/** The class lookups and answers of the classes routes. */
export interface ClassAccess {
  /** The class's time zone (its city's, else the deployment's). */
  zoneOf: (cls: Pick<ClassRecord, "city">) => string;
  /** 404: no such class, or not the caller's. */
  missing: (c: Context) => never;
  /** An archived class is still seen (and exported), only not changed: said so rather than "not found". */
  archived: (c: Context) => never;
  /** The class `id`, if the caller may see it. */
  classOf: (c: Context, id: string) => Promise<ClassRecord | undefined>;
}

/**
 * The lookups and answers over one app.
 *
 * @example
 * const { classOf, missing } = classAccess(app);
 * const cls = await classOf(c, c.req.valid("param").id);
 * if (!cls) return missing(c);
 */
export function classAccess(app: App): ClassAccess {
  return {
    zoneOf: (cls) => classZone(cls, app.defaultTimeZone),
    missing: (c) => c.json({ error: "no such class" }, 404) as never,
    archived: (c) =>
      invalid(c, "id", "the class is archived: it can be read and exported, not changed, joined or messaged"),
    classOf: async (c, id) => visibleClass(app.store.reader, c.get("staff"), Number(id)),
  };
}
