/**
 * The admin HTTP API under `/admin`, for staff tools: a bearer token
 * (`ADMIN_TOKEN`) compared in constant time; 401 without it. Off (404) when no
 * token is configured.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { App } from "../app.ts";
import { listReferrals } from "../referrals/repository.ts";
import { adminMeetingRoutes } from "./admin-meetings.ts";

function sameToken(given: string, expected: string): boolean {
  // Hash both so the comparison takes the same time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The admin routes.
 *
 * @example
 * http.route("/admin", adminRoutes(app, config.ADMIN_TOKEN));
 */
export function adminRoutes(app: App, token: string | undefined): Hono {
  const admin = new Hono();
  admin.use("*", async (c, next) => {
    if (!token) return c.json({ error: "the admin API is off: set ADMIN_TOKEN to use it" }, 404);
    const header = c.req.header("authorization") ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    if (!given || !sameToken(given, token)) {
      c.header("WWW-Authenticate", 'Bearer realm="lotse-admin"');
      return c.json({ error: "a valid bearer token is required" }, 401);
    }
    await next();
  });
  admin.route("/", adminMeetingRoutes(app));
  admin.get("/referrals", async (c) => {
    const referrals = await listReferrals(app.store.db);
    return c.json({ referrals });
  });
  return admin;
}
