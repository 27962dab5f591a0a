/**
 * Who may reach meetings in the console and the API: staff (and admins), on every page, form and
 * route; a counsellor-only account gets 403 on each of them, and a staff member who loses the role
 * between opening a form and sending it changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMeeting } from "../../src/meetings/repository.ts";
import { removeStaffMember, saveStaffMember } from "../../src/staff/members.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { callRoute, signedIn } from "../support/console.ts";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  await createMeeting(
    app.store.db,
    {
      title: { en: "Digital help café" },
      description: { en: "Bring your phone." },
      startsAt: new Date("2026-03-12T17:00:00Z"),
      endsAt: new Date("2026-03-12T18:30:00Z"),
      timeZone: "Europe/Berlin",
      place: "Stadtbibliothek",
      mapUrl: null,
      onlineUrl: null,
      city: "leipzig",
      languages: [],
      capacity: null,
    },
    "telegram:100",
    app.clock.now(),
  );
});
afterEach(() => app.dispose());

const newMeeting = {
  "title.en": "Another café",
  date: "2026-03-20",
  time: "18:00",
  city: "leipzig",
  place: "Stadtbibliothek",
  action: "save",
};
const apiMeeting = {
  title: { en: "Another café" },
  date: "2026-03-20",
  time: "18:00",
  city: "leipzig",
  place: "Library",
};

/** Every meetings page and route with the role it needs (staff); the OpenAPI check below keeps it complete. */
const routes: { method: "GET" | "POST" | "PATCH"; path: string; body?: unknown }[] = [
  { method: "GET", path: "/staff/meetings" },
  { method: "GET", path: "/staff/meetings/new" },
  { method: "POST", path: "/staff/meetings/new", body: newMeeting },
  { method: "GET", path: "/staff/meetings/1" },
  { method: "GET", path: "/staff/meetings/1/edit" },
  { method: "POST", path: "/staff/meetings/1/edit", body: { ...newMeeting, date: "2026-03-13" } },
  { method: "POST", path: "/staff/meetings/1/attendance", body: { shown: "x" } },
  { method: "GET", path: "/staff/meetings/1/door-list" },
  { method: "GET", path: "/staff/meetings/1/guests.csv" },
  { method: "GET", path: "/staff/meetings/1/cancel" },
  { method: "POST", path: "/staff/meetings/1/cancel" },
  { method: "GET", path: "/api/meetings" },
  { method: "GET", path: "/api/meetings/reach" },
  { method: "POST", path: "/api/meetings", body: apiMeeting },
  { method: "GET", path: "/api/meetings/1" },
  { method: "PATCH", path: "/api/meetings/1", body: { time: "19:00" } },
  { method: "GET", path: "/api/meetings/1/guests" },
  { method: "POST", path: "/api/meetings/1/attendance", body: { guests: [] } },
  { method: "GET", path: "/api/meetings/1/guests.csv" },
  { method: "PATCH", path: "/api/meetings/1", body: { status: "cancelled" } },
];

describe("meetings access", () => {
  it("refuses a counsellor-only account on every meetings page and API route, and changes nothing", async () => {
    const counsellor = await signedIn(app, "telegram:300", ["counsellor"]);
    for (const route of routes) {
      const res = await callRoute(counsellor, route);
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
    }
    const meetings = await app.store.db.selectFrom("meetings").select(["id", "status", "starts_at"]).execute();
    expect(meetings).toEqual([{ id: 1, status: "planned", starts_at: "2026-03-12T17:00:00.000Z" }]);
    expect(
      await app.store.db.selectFrom("audit_log").selectAll().where("action", "like", "meeting.%").execute(),
    ).toEqual([]);
  });

  it("lets staff and admins through on every one of them", async () => {
    for (const [address, role] of [
      ["telegram:100", "staff"],
      ["telegram:200", "admin"],
    ] as const) {
      const client = await signedIn(app, address, [role]);
      for (const route of routes) {
        // The cancel routes go last: the meeting is gone for the next round, so only the first one cancels.
        const res = await callRoute(client, route);
        expect([200, 201, 303, 404], `${role} ${route.method} ${route.path}`).toContain(res.status);
      }
    }
  });

  it("lists every meetings route of the API document in the table above", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    const doc = (await (await staff.get("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/meetings"))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} /api${path.replace("{id}", "1")}`),
      );
    const tested = new Set(routes.filter((r) => r.path.startsWith("/api")).map((r) => `${r.method} ${r.path}`));
    expect(documented.length).toBeGreaterThanOrEqual(8);
    for (const route of documented) expect(tested, route).toContain(route);
  });

  it("creates nothing for a staff member whose role was taken between opening the form and sending it", async () => {
    const anna = await signedIn(app, "telegram:400", ["staff"]);
    expect((await anna.get("/staff/meetings/new")).status).toBe(200);
    // Now only a counsellor: still signed in, no longer staff.
    await app.store.transaction((tx) =>
      saveStaffMember(tx, "telegram:400", { roles: ["counsellor"] }, app.clock.now()),
    );
    expect((await anna.post("/staff/meetings/new", newMeeting)).status).toBe(403);
    expect((await anna.api("POST", "/api/meetings", apiMeeting)).status).toBe(403);
    expect((await anna.post("/staff/meetings/1/cancel")).status).toBe(403);

    const ben = await signedIn(app, "telegram:500", ["staff"]);
    expect((await ben.get("/staff/meetings/new")).status).toBe(200);
    // Removed altogether: the session ends, and the form is sent to the sign-in page instead.
    await app.store.transaction((tx) => removeStaffMember(tx, "telegram:500", app.clock.now()));
    const posted = await ben.post("/staff/meetings/new", newMeeting);
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe("/staff/sign-in");
    expect((await ben.api("POST", "/api/meetings", apiMeeting)).status).toBe(401);

    expect(await app.store.db.selectFrom("meetings").select("id").execute()).toEqual([{ id: 1 }]);
    expect(await app.store.db.selectFrom("broadcasts").selectAll().execute()).toEqual([]);
    expect(
      await app.store.db.selectFrom("audit_log").selectAll().where("action", "like", "meeting.%").execute(),
    ).toEqual([]);
  });
});
