/**
 * Role checks for console pages and API routes. The session middleware (src/console/session.ts)
 * reads the person's roles afresh on every request, so this check is made at the moment of the
 * action, never remembered from sign-in.
 */
import type { MiddlewareHandler } from "hono";
import type { StaffRole } from "../staff/roles.ts";
import { type ConsoleEnv, hasRole } from "./context.ts";
import { ct } from "./text.ts";

/**
 * Lets the request through only when the signed-in person has `role` now: 403 otherwise (JSON for
 * `/api`, a short page for the console).
 *
 * @example
 * pages.use("*", requireRole("staff"));
 * createRoute({ method: "get", path: "/meetings", middleware: [requireRole("staff")], ... });
 */
export function requireRole(role: StaffRole): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const staff = c.get("staff");
    if (staff && hasRole(staff, role)) return next();
    if (c.req.path.startsWith("/api")) return c.json({ error: "forbidden", needs: role }, 403);
    const lang = staff?.language ?? "en";
    return c.html(
      `<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>403</title><p role="alert">${ct(lang, "errors.forbidden")}</p><p><a href="/staff">${ct(lang, "errors.back")}</a></p></html>`,
      403,
    );
  };
}
