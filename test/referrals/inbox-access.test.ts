/**
 * Who may reach the referral inbox: counsellors only, on every page, form and API route. A
 * counsellor-only account opens the inbox but gets 403 on meetings; staff and admins (who do not
 * have the counsellor role) get 403 on every referral route and change nothing; a counsellor whose
 * role is taken between opening a request and writing sends nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { saveStaffMember } from "../../src/staff/members.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { callRoute, signedIn } from "../support/console.ts";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp(undefined, { staffAddresses: "console:anna=counsellor" });
  const person = chatWith(app, "amal");
  await person.sayAll("hi", "English", "Mainz", "yes", "no news", "voluntary return");
  await person.sayAll("talk to a counsellor", "yes, send it", "Amal", "no message");
});
afterEach(() => app.dispose());

/** Every referral page and route, with what each sends; the OpenAPI check below keeps the API part complete. */
const routes: { method: "GET" | "POST" | "PUT"; path: string; body?: Record<string, string> | object }[] = [
  { method: "GET", path: "/staff/referrals" },
  { method: "GET", path: "/staff/referrals/1" },
  { method: "POST", path: "/staff/referrals/1/notes", body: { text: "a note" } },
  { method: "POST", path: "/staff/referrals/1/assign", body: { assignee: "" } },
  { method: "POST", path: "/staff/referrals/1/messages", body: { message: "Hello" } },
  { method: "POST", path: "/staff/referrals/1/end" },
  { method: "POST", path: "/staff/referrals/1/status", body: { status: "contacted" } },
  { method: "GET", path: "/api/referrals" },
  { method: "GET", path: "/api/referrals/1" },
  { method: "POST", path: "/api/referrals/1/notes", body: { text: "a note" } },
  { method: "PUT", path: "/api/referrals/1/assignee", body: { assignedTo: null } },
  { method: "POST", path: "/api/referrals/1/messages", body: { text: "Hello" } },
  { method: "POST", path: "/api/referrals/1/end" },
  { method: "PUT", path: "/api/referrals/1/status", body: { status: "closed" } },
];

const untouched = async () => {
  expect(
    await app.store.db.selectFrom("referrals").select(["status", "assigned_to", "conversation_open"]).execute(),
  ).toEqual([{ status: "new", assigned_to: null, conversation_open: 0 }]);
  expect(await app.store.db.selectFrom("referral_notes").selectAll().execute()).toEqual([]);
  expect(await app.store.db.selectFrom("referral_messages").selectAll().execute()).toEqual([]);
  expect(
    await app.store.db.selectFrom("audit_log").selectAll().where("action", "like", "referral.%").execute(),
  ).toEqual([]);
};

describe("referral inbox access", () => {
  it("lets a counsellor-only account into the inbox, but not into meetings", async () => {
    const counsellor = await signedIn(app, "telegram:100", ["counsellor"]);
    expect((await counsellor.get("/staff/referrals")).status).toBe(200);
    expect((await counsellor.get("/staff/meetings")).status).toBe(403);
    expect((await counsellor.api("GET", "/api/meetings")).status).toBe(403);
    for (const route of routes) {
      const res = await callRoute(counsellor, route);
      expect([200, 303], `${route.method} ${route.path}`).toContain(res.status);
    }
  });

  it("refuses staff and admins on every referral page and route, and changes nothing", async () => {
    for (const [address, role] of [
      ["telegram:200", "staff"],
      ["telegram:300", "admin"],
    ] as const) {
      const client = await signedIn(app, address, [role]);
      for (const route of routes) {
        expect((await callRoute(client, route)).status, `${role} ${route.method} ${route.path}`).toBe(403);
      }
    }
    await untouched();
  });

  it("sends nothing for a counsellor whose role was taken after opening the request", async () => {
    const sara = await signedIn(app, "telegram:400", ["counsellor"]);
    expect((await sara.get("/staff/referrals/1")).status).toBe(200);
    await app.store.transaction((tx) => saveStaffMember(tx, "telegram:400", { roles: ["staff"] }, app.clock.now()));
    expect((await sara.post("/staff/referrals/1/messages", { message: "Hello" })).status).toBe(403);
    expect((await sara.api("POST", "/api/referrals/1/messages", { text: "Hello" })).status).toBe(403);
    await untouched();
  });

  it("lists every referrals route of the API document in the table above", async () => {
    const counsellor = await signedIn(app, "telegram:100", ["counsellor"]);
    const doc = (await (await counsellor.get("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/referrals"))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} /api${path.replace("{id}", "1")}`),
      );
    const tested = new Set(routes.filter((r) => r.path.startsWith("/api")).map((r) => `${r.method} ${r.path}`));
    expect(documented.length).toBe(7);
    for (const route of documented) expect(tested, route).toContain(route);
  });
});
