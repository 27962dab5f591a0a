/**
 * The staff console at `/staff`: the sign-in pages, then, behind the session check, each area's pages.
 * Every area router checks its role itself (src/console/guard.ts) on every request.
 */
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import type { App } from "../app.ts";
import { auditPages } from "./audit-page.tsx";
import { type ConsoleEnv, consoleLanguages } from "./context.ts";
import { peoplePages } from "./people.tsx";
import { consoleHeaders, consoleSession } from "./session.ts";
import { endSession, setSessionLanguage } from "./sessions.ts";
import { type SignInOptions, signInPages } from "./sign-in.tsx";

/** One area of the console: its path under `/staff` and its router. */
export interface ConsoleArea {
  path: string;
  routes: (app: App) => Hono<ConsoleEnv>;
}

/**
 * Builds the console (mounted at `/staff` by the server).
 *
 * @example
 * http.route("/staff", consoleRoutes(app, { adminToken: config.ADMIN_TOKEN }));
 */
export function consoleRoutes(app: App, options: SignInOptions & { areas?: ConsoleArea[] }): Hono<ConsoleEnv> {
  const staff = new Hono<ConsoleEnv>();
  staff.use("*", consoleHeaders());
  staff.route("/", signInPages(app, options));
  staff.use("*", consoleSession(app, options));

  staff.post("/sign-out", async (c) => {
    const session = c.get("staff");
    if (session.sessionId) await endSession(app.store.db, session.sessionId);
    setCookie(c, "lotse_staff", "", { path: "/", maxAge: 0 });
    return c.redirect("/staff/sign-in", 303);
  });
  staff.post("/language", async (c) => {
    const session = c.get("staff");
    const body = await c.req.parseBody();
    const language = consoleLanguages.find((l) => l === body.language) ?? "en";
    if (session.sessionId) await setSessionLanguage(app.store.db, session.sessionId, language);
    setCookie(c, "lotse_console_lang", language, {
      path: "/staff",
      sameSite: "Strict",
      httpOnly: true,
      maxAge: 365 * 86400,
    });
    const back = String(body.back ?? "/staff");
    return c.redirect(back.startsWith("/staff") && !back.startsWith("//") ? back : "/staff", 303);
  });
  staff.route("/people", peoplePages(app));
  staff.route("/audit", auditPages(app));
  for (const area of options.areas ?? []) staff.route(area.path, area.routes(app));
  return staff;
}
