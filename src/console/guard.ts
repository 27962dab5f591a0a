/**
 * Role checks for console pages and API routes. The session middleware (src/console/session.ts)
 * reads the person's roles afresh on every request, so this check is made at the moment of the
 * action, never remembered from sign-in.
 */
import type { MiddlewareHandler } from "hono";
import type { StaffRole } from "../staff/roles.ts";
import { type ConsoleEnv, hasRole } from "./context.ts";
import { refusal } from "./refusal.tsx";

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
    if (c.req.path.startsWith("/api")) {
      const why =
        role === "counsellor"
          ? "only counsellors see referrals (not admins, not the admin token): what people tell counsellors stays with counsellors"
          : `this needs the ${role} role`;
      return c.json({ error: `forbidden: ${why}`, needs: role }, 403);
    }
    return refusal(c, 403, staff?.language ?? "en", "errors.forbidden", staff?.roles);
  };
}
