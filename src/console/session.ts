/**
 * Who is asking, on every console page and API request: the session cookie (or, on `/api`, the
 * `ADMIN_TOKEN` bearer, which acts as an admin), with the roles read afresh from the staff directory
 * and the `staff_members` table, and the CSRF token checked on every request that changes something.
 * Someone removed from staff is signed out at their next request.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import type { App } from "../app.ts";
import { StaffRights } from "../staff/rights.ts";
import type { StaffRole } from "../staff/roles.ts";
import type { ConsoleEnv } from "./context.ts";
import { refusal } from "./refusal.tsx";
import { endSession, loadSession } from "./sessions.ts";

/** The session cookie's name. */
export const sessionCookie = "lotse_staff";

/** Same token? Compared in constant time whatever the lengths. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

const adminTokenRoles: ReadonlySet<StaffRole> = new Set(["admin", "staff", "teacher", "translator"]);

async function formToken(c: Context): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    return undefined;
  const body = await c.req.parseBody();
  return typeof body._csrf === "string" ? body._csrf : undefined;
}

/**
 * The middleware in front of every console page and API route but the sign-in pages.
 *
 * @example
 * staff.use("*", consoleSession(app, { adminToken: config.ADMIN_TOKEN }));
 */
export function consoleSession(app: App, options: { adminToken?: string | undefined }): MiddlewareHandler<ConsoleEnv> {
  const rights = new StaffRights(app.staff, app.logger);
  return async (c, next) => {
    const isApi = c.req.path.startsWith("/api");
    const authorization = c.req.header("authorization") ?? "";
    if (isApi && authorization.startsWith("Bearer ")) {
      const given = authorization.slice(7).trim();
      if (!options.adminToken || !given || !sameSecret(given, options.adminToken)) {
        c.header("WWW-Authenticate", 'Bearer realm="lotse"');
        return c.json({ error: "a valid bearer token (ADMIN_TOKEN) or a console session is required" }, 401);
      }
      c.set("staff", { address: "admin-token", roles: adminTokenRoles, language: "en", csrf: "", sessionId: null });
      return next();
    }
    const now = app.clock.now();
    const session = await loadSession(app.store.db, getCookie(c, sessionCookie), now);
    const roles = session ? await rights.rolesOf(app.store.reader, session.address) : new Set<StaffRole>();
    if (!session || roles.size === 0) {
      if (session) await endSession(app.store.db, session.idHash);
      // Only a cookie that was sent and is no good is cleared: a link opened from a chat app arrives
      // without the SameSite=Strict cookie, and must not sign the browser out.
      if (getCookie(c, sessionCookie) !== undefined) deleteCookie(c, sessionCookie, { path: "/" });
      if (isApi)
        return c.json({ error: "not signed in: sign in at /staff or use Authorization: Bearer <ADMIN_TOKEN>" }, 401);
      if (c.req.method === "GET") return c.redirect(`/staff/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
      return c.redirect("/staff/sign-in", 303);
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const token = await formToken(c);
      if (!token || !sameSecret(token, session.csrf)) {
        if (isApi) return c.json({ error: "the x-csrf-token header is missing or wrong" }, 403);
        return refusal(c, 403, session.language, "errors.csrf", roles);
      }
    }
    c.set("staff", {
      address: session.address,
      roles,
      language: session.language,
      csrf: session.csrf,
      sessionId: session.idHash,
    });
    return next();
  };
}

/**
 * Headers for every console page: no caching of staff data, no framing, nothing loaded from elsewhere.
 *
 * @example
 * staff.use("*", consoleHeaders());
 */
export function consoleHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Content-Type-Options", "nosniff");
    c.header(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
  };
}
