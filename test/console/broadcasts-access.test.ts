/**
 * Who may reach broadcasts in the console and the API: staff (and admins), on every page, form and
 * route; a counsellor-only account gets 403 on each of them and changes nothing; the table covers
 * every broadcasts route of the API document, so a new one cannot be left out.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBroadcast, everyone } from "../../src/broadcasts/broadcasts.ts";
import { saveStaffMember } from "../../src/staff/members.ts";
import { addPeople } from "../broadcasts/people.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { callRoute, signedIn } from "../support/console.ts";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  await addPeople(app, [{ address: "telegram:1", language: "ar", city: "mainz" }]);
  // Broadcast 1, planned for tomorrow.
  await app.store.transaction((tx) =>
    createBroadcast(
      tx,
      app.scheduler,
      {
        text: { en: "Tomorrow" },
        audience: everyone,
        sendAt: new Date(app.clock.now().getTime() + 86_400_000),
        createdBy: "telegram:100",
      },
      app.clock.now(),
    ),
  );
});
afterEach(() => app.dispose());

const form = { "text.en": "Hello", defaultLanguage: "en", cities: "mainz", when: "now" };
const draft = { texts: { en: "Hello" }, audience: { cities: ["mainz"] } };

/** Every broadcasts page and route; all need the staff role. */
const routes: { method: "GET" | "POST"; path: string; body?: unknown }[] = [
  { method: "GET", path: "/staff/broadcasts" },
  { method: "GET", path: "/staff/broadcasts/new" },
  { method: "POST", path: "/staff/broadcasts/new", body: { ...form, action: "preview" } },
  { method: "POST", path: "/staff/broadcasts/new", body: { ...form, action: "send" } },
  { method: "GET", path: "/staff/broadcasts/1" },
  { method: "GET", path: "/api/broadcasts" },
  { method: "GET", path: "/api/broadcasts/1" },
  { method: "POST", path: "/api/broadcasts/reach", body: { audience: { cities: ["mainz"] } } },
  { method: "POST", path: "/api/broadcasts/preview", body: draft },
  { method: "POST", path: "/api/broadcasts", body: draft },
  // Cancelling last: after it, broadcast 1 is cancelled for the next client.
  { method: "POST", path: "/staff/broadcasts/1/cancel" },
  { method: "POST", path: "/api/broadcasts/1/cancel" },
];

describe("broadcasts access", () => {
  it("refuses a counsellor-only account on every broadcasts page and API route, and changes nothing", async () => {
    const counsellor = await signedIn(app, "telegram:300", ["counsellor"]);
    for (const route of routes) {
      const res = await callRoute(counsellor, route);
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
    }
    expect(await app.store.db.selectFrom("broadcasts").select(["id", "status"]).execute()).toEqual([
      { id: 1, status: "scheduled" },
    ]);
    expect(
      await app.store.db.selectFrom("audit_log").selectAll().where("action", "like", "broadcast.%").execute(),
    ).toEqual([]);
  });

  it("lets staff and admins through on every one of them", async () => {
    for (const [address, role] of [
      ["telegram:100", "staff"],
      ["telegram:200", "admin"],
    ] as const) {
      const client = await signedIn(app, address, [role]);
      for (const route of routes) {
        const res = await callRoute(client, route);
        // 409: the second cancel of broadcast 1 (already cancelled by the first).
        expect([200, 201, 303, 409], `${role} ${route.method} ${route.path}`).toContain(res.status);
      }
    }
    // Two each: the console's send and the API's create.
    expect(await app.store.db.selectFrom("broadcasts").select("id").execute()).toHaveLength(5);
  });

  it("lists every broadcasts route of the API document in the table above", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    const doc = (await (await staff.get("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/broadcasts"))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} /api${path.replace("{id}", "1")}`),
      );
    const tested = new Set(routes.filter((r) => r.path.startsWith("/api")).map((r) => `${r.method} ${r.path}`));
    expect(documented).toHaveLength(6);
    for (const route of documented) expect(tested, route).toContain(route);
  });

  it("sends nothing for a staff member whose role was taken between opening the form and sending it", async () => {
    const anna = await signedIn(app, "telegram:400", ["staff"]);
    expect((await anna.get("/staff/broadcasts/new")).status).toBe(200);
    await app.store.transaction((tx) =>
      saveStaffMember(tx, "telegram:400", { roles: ["counsellor"] }, app.clock.now()),
    );
    expect((await anna.post("/staff/broadcasts/new", { ...form, action: "send" })).status).toBe(403);
    expect((await anna.api("POST", "/api/broadcasts", draft)).status).toBe(403);
    expect((await anna.post("/staff/broadcasts/1/cancel")).status).toBe(403);
    expect(await app.store.db.selectFrom("broadcasts").select(["id", "status"]).execute()).toEqual([
      { id: 1, status: "scheduled" },
    ]);
  });
});
