/**
 * Signing in to the staff console in tests, the real way: the roles are stored (as an admin would
 * add them), the person writes to the bot once (the bot can only write to chats that wrote to it),
 * asks for a code at /staff/sign-in, reads it from their chat's outbox, and types it in. What comes
 * back holds the session cookie and the form token, and sends requests to the real HTTP app.
 */
import type { Hono } from "hono";
import { expect } from "vitest";
import type { App } from "../../src/app.ts";
import type { Address } from "../../src/domain/address.ts";
import { createHttpApp, type ServerOptions } from "../../src/http/server.ts";
import { saveStaffMember } from "../../src/staff/members.ts";
import type { StaffRole } from "../../src/staff/roles.ts";

/** A signed-in browser. */
export interface ConsoleClient {
  address: Address;
  http: Hono;
  cookie: string;
  csrf: string;
  /** A GET with the session cookie. */
  get(path: string): Promise<Response>;
  /** A form POST with the session cookie and `_csrf`; arrays give repeated fields. */
  post(path: string, fields?: Record<string, string | string[]>): Promise<Response>;
  /** A JSON API call with the session cookie (and `x-csrf-token` on changes). */
  api(method: string, path: string, body?: unknown): Promise<Response>;
}

/** The cookie pair a response set, such as `lotse_staff=...`. */
export function cookieFrom(response: Response, name: string): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const [pair = ""] = header.split(";");
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}

/** The last sign-in code queued to `address` (read from its outbox row). */
export async function lastCodeFor(app: App, address: Address): Promise<string | undefined> {
  const rows = await app.store.db
    .selectFrom("outbox")
    .select("payload")
    .where("address", "=", address)
    .orderBy("id", "desc")
    .execute();
  for (const row of rows) {
    const found = /\b(\d{6})\b/.exec(row.payload);
    if (found) return found[1];
  }
  return undefined;
}

/** Form body from fields. */
export function formBody(fields: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  return body;
}

/**
 * Signs `address` in with `roles` (none: use the roles it already has, e.g. from STAFF_ADDRESSES).
 *
 * @example
 * const staff = await signedIn(app, "telegram:100", ["staff"]);
 * expect((await staff.get("/staff/meetings")).status).toBe(200);
 */
export async function signedIn(
  app: App,
  address: Address,
  roles: StaffRole[] = [],
  options: { http?: Hono; server?: Partial<ServerOptions> } = {},
): Promise<ConsoleClient> {
  const http = options.http ?? createHttpApp(app, { webChat: false, ...options.server });
  const now = app.clock.now();
  if (roles.length > 0) await app.store.transaction((tx) => saveStaffMember(tx, address, { roles }, now));
  if (!(await app.store.reader.getUser(address))) {
    await app.store.transaction(async (tx) => {
      await tx.lockUser(address, "Europe/Berlin", now);
      await tx.db
        .updateTable("users")
        .set({ language: "en", consent: "given", last_inbound_at: now.toISOString() })
        .where("address", "=", address)
        .execute();
    });
  }
  const [channel = "", id = ""] = [address.slice(0, address.indexOf(":")), address.slice(address.indexOf(":") + 1)];
  const asked = await http.request("/staff/sign-in", { method: "POST", body: formBody({ channel, id }) });
  expect(asked.status).toBe(303);
  const pending = cookieFrom(asked, "lotse_staff_pending") ?? "";
  const code = await lastCodeFor(app, address);
  expect(code, "a sign-in code in the outbox").toBeDefined();
  const confirmed = await http.request("/staff/sign-in/code", {
    method: "POST",
    headers: { cookie: pending },
    body: formBody({ code: code ?? "" }),
  });
  expect(confirmed.status).toBe(303);
  const cookie = cookieFrom(confirmed, "lotse_staff") ?? "";
  expect(cookie).not.toBe("");
  const csrf =
    (
      await app.store.db
        .selectFrom("staff_sessions")
        .select("csrf")
        .where("address", "=", address)
        .orderBy("created_at", "desc")
        .executeTakeFirst()
    )?.csrf ?? "";
  return {
    address,
    http,
    cookie,
    csrf,
    get: (path) => Promise.resolve(http.request(path, { headers: { cookie } })),
    post: (path, fields = {}) =>
      Promise.resolve(
        http.request(path, { method: "POST", headers: { cookie }, body: formBody({ _csrf: csrf, ...fields }) }),
      ),
    api: (method, path, body) =>
      Promise.resolve(
        http.request(path, {
          method,
          headers: {
            cookie,
            "x-csrf-token": csrf,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      ),
  };
}

/** One route of an access table: a console page (form post) or an `/api` call (JSON). */
export interface RouteCall {
  method: string;
  path: string;
  body?: unknown;
}

/**
 * Calls a route as the signed-in browser would: `/api` as JSON, a page as GET or a form post.
 *
 * @example
 * expect((await callRoute(counsellor, { method: "GET", path: "/staff/meetings" })).status).toBe(403);
 */
export function callRoute(client: ConsoleClient, route: RouteCall): Promise<Response> {
  if (route.path.startsWith("/api")) return client.api(route.method, route.path, route.body);
  if (route.method === "GET") return client.get(route.path);
  return client.post(route.path, route.body as Record<string, string> | undefined);
}
