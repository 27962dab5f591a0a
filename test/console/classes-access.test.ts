/**
 * Who may reach classes in the console and the API: a teacher only their own classes (another
 * teacher's class is "not found" on every page and route, and nothing of it changes), admins every
 * class, counsellors and plain staff none (403). The OpenAPI check keeps the table complete.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClass, getClass, joinClass } from "../../src/classes/repository.ts";
import { createMeeting } from "../../src/meetings/repository.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { callRoute, type RouteCall, signedIn } from "../support/console.ts";
import { apiClass, classForm } from "./classes-fixtures.ts";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  const now = app.clock.now();
  const base = {
    city: "leipzig",
    languages: ["en"],
    courses: [{ course: "phone-papers", startsOn: null, endsOn: null }],
    capacity: null,
    codeExpiresAt: null,
  };
  await createClass(app.store.db, { ...base, name: "Anna's class", teacher: "telegram:100" }, now);
  const ben = await createClass(app.store.db, { ...base, name: "Ben's class", teacher: "telegram:200" }, now);
  await joinClass(app.store.db, ben.code, "console:learner", now);
  await createMeeting(
    app.store.db,
    {
      title: { en: "Week 1" },
      description: { en: "Week 1" },
      startsAt: new Date("2026-03-10T17:00:00Z"),
      endsAt: new Date("2026-03-10T18:00:00Z"),
      timeZone: "Europe/Berlin",
      place: "Library",
      mapUrl: null,
      onlineUrl: null,
      city: "leipzig",
      languages: [],
      capacity: null,
      classId: ben.id,
    },
    "telegram:200",
    now,
  );
});
afterEach(() => app.dispose());

const session = {
  "title.en": "Week 2",
  date: "2026-03-17",
  time: "18:00",
  endTime: "",
  minutes: "60",
  place: "Library",
  onlineUrl: "",
};

/** Every page and route of Ben's class (class 2, session 1); archive goes last. */
const classRoutes: RouteCall[] = [
  { method: "GET", path: "/staff/classes/2" },
  { method: "GET", path: "/staff/classes/2/edit" },
  { method: "POST", path: "/staff/classes/2/edit", body: classForm({ name: "Taken over", teacher: "telegram:200" }) },
  { method: "GET", path: "/staff/classes/2/handout" },
  { method: "GET", path: "/staff/classes/2/export.csv" },
  { method: "POST", path: "/staff/classes/2/code" },
  { method: "GET", path: "/staff/classes/2/sessions/new" },
  { method: "POST", path: "/staff/classes/2/sessions/new", body: session },
  { method: "GET", path: "/staff/classes/2/sessions/1" },
  { method: "POST", path: "/staff/classes/2/sessions/1", body: { shown: "x", attended: "x" } },
  { method: "GET", path: "/staff/classes/2/message" },
  { method: "POST", path: "/staff/classes/2/message", body: { "texts.en": "Hello class" } },
  { method: "GET", path: "/api/classes/2" },
  { method: "PATCH", path: "/api/classes/2", body: { name: "Taken over" } },
  {
    method: "POST",
    path: "/api/classes/2/sessions",
    body: { title: { en: "Week 3" }, date: "2026-03-24", time: "18:00", place: "Library" },
  },
  { method: "PUT", path: "/api/classes/2/sessions/1/attendance", body: { learners: [] } },
  { method: "POST", path: "/api/classes/2/messages", body: { texts: { en: "Hello class" } } },
  { method: "GET", path: "/api/classes/2/export.csv" },
  { method: "POST", path: "/api/classes/2/code" },
  { method: "GET", path: "/staff/classes/2/archive" },
  { method: "POST", path: "/staff/classes/2/archive" },
  { method: "POST", path: "/api/classes/2/archive" },
];

/** The routes that name no class. */
const listRoutes: RouteCall[] = [
  { method: "GET", path: "/staff/classes" },
  { method: "GET", path: "/staff/classes?archived=1" },
  { method: "GET", path: "/staff/classes/new" },
  { method: "POST", path: "/staff/classes/new", body: classForm() },
  { method: "GET", path: "/api/classes" },
  { method: "POST", path: "/api/classes", body: apiClass },
];

/** What must stay as it was when someone is refused. */
async function snapshot() {
  return {
    classes: await app.store.db
      .selectFrom("classes")
      .select(["id", "name", "code", "status", "teacher"])
      .orderBy("id")
      .execute(),
    meetings: await app.store.db.selectFrom("meetings").select("id").execute(),
    rsvps: await app.store.db.selectFrom("rsvps").selectAll().execute(),
    broadcasts: await app.store.db.selectFrom("broadcasts").select("id").execute(),
    audit: await app.store.db.selectFrom("audit_log").select("action").where("action", "like", "class.%").execute(),
  };
}

describe("classes access", () => {
  it("keeps a class session out of the meetings pages and API, also for plain staff who guess its number", async () => {
    const staff = await signedIn(app, "telegram:300", ["staff"]);
    // A city meeting (number 2) beside the class session (number 1): the same pages open it.
    await createMeeting(
      app.store.db,
      {
        title: { en: "Open café" },
        description: { en: "For everyone" },
        startsAt: new Date("2026-03-11T17:00:00Z"),
        endsAt: new Date("2026-03-11T18:00:00Z"),
        timeZone: "Europe/Berlin",
        place: "Library",
        mapUrl: null,
        onlineUrl: null,
        city: "leipzig",
        languages: [],
        capacity: null,
      },
      "telegram:300",
      app.clock.now(),
    );
    for (const path of [
      "/staff/meetings/{id}",
      "/staff/meetings/{id}/edit",
      "/staff/meetings/{id}/door-list",
      "/api/meetings/{id}",
    ]) {
      expect((await staff.get(path.replace("{id}", "2"))).status, `${path} city meeting`).toBe(200);
      expect((await staff.get(path.replace("{id}", "1"))).status, `${path} class session`).toBe(404);
    }
  });

  it("gives a teacher 404 on every page and route of another teacher's class, and changes nothing of it", async () => {
    const before = await snapshot();
    const anna = await signedIn(app, "telegram:100", ["teacher"]);
    for (const route of classRoutes) {
      const res = await callRoute(anna, route);
      expect(res.status, `${route.method} ${route.path}`).toBe(404);
      // The same answer as for a class that does not exist: nothing tells that it does.
      const missing = await callRoute(anna, { ...route, path: route.path.replace("/classes/2", "/classes/99") });
      expect(missing.status, `${route.method} ${route.path} (no such class)`).toBe(404);
      if (route.path.startsWith("/api")) expect(await res.json()).toEqual(await missing.json());
    }
    expect(await snapshot()).toEqual(before);
  });

  it("lists only the teacher's own classes, and makes a class the teacher's own whatever teacher the input names", async () => {
    const anna = await signedIn(app, "telegram:100", ["teacher"]);
    const page = await (await anna.get("/staff/classes")).text();
    expect(page).toContain("Anna&#39;s class");
    expect(page).not.toContain("Ben&#39;s class");
    const api = (await (await anna.api("GET", "/api/classes")).json()) as { classes: { name: string }[] };
    expect(api.classes.map((c) => c.name)).toEqual(["Anna's class"]);

    const made = await anna.api("POST", "/api/classes", { ...apiClass, teacher: "telegram:200" });
    expect(made.status).toBe(201);
    const { class: cls } = (await made.json()) as { class: { id: number; teacher: string } };
    expect(cls.teacher).toBe("telegram:100");
    await anna.post("/staff/classes/new", classForm({ teacher: "telegram:200" }));
    expect((await getClass(app.store.db, 4))?.teacher).toBe("telegram:100");
  });

  it("refuses counsellors and plain staff on every classes page and route with 403, and changes nothing", async () => {
    const before = await snapshot();
    for (const [address, role] of [
      ["telegram:300", "counsellor"],
      ["telegram:400", "staff"],
    ] as const) {
      const client = await signedIn(app, address, [role]);
      for (const route of [...listRoutes, ...classRoutes]) {
        const res = await callRoute(client, route);
        expect(res.status, `${role} ${route.method} ${route.path}`).toBe(403);
      }
      const nav = await (await client.get(role === "staff" ? "/staff" : "/staff/referrals")).text();
      expect(nav).not.toContain('href="/staff/classes"');
    }
    expect(await snapshot()).toEqual(before);
  });

  it("lets an admin through on every one of them, with every class listed", async () => {
    const admin = await signedIn(app, "telegram:500", ["admin"]);
    const list = (await (await admin.api("GET", "/api/classes")).json()) as { classes: { name: string }[] };
    expect(list.classes.map((c) => c.name)).toEqual(["Ben's class", "Anna's class"]);
    for (const route of [...listRoutes, ...classRoutes]) {
      const res = await callRoute(admin, route);
      expect([200, 201, 303], `admin ${route.method} ${route.path}`).toContain(res.status);
    }
    expect((await getClass(app.store.db, 2))?.status).toBe("archived");
    expect((await getClass(app.store.db, 2))?.teacher).toBe("telegram:200");
  });

  it("lists every classes route of the API document in the tables above", async () => {
    const admin = await signedIn(app, "telegram:500", ["admin"]);
    const doc = (await (await admin.get("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/classes"))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map(
          (m) => `${m.toUpperCase()} /api${path.replace("{id}", "2").replace("{meetingId}", "1")}`,
        ),
      );
    const tested = new Set(
      [...listRoutes, ...classRoutes].filter((r) => r.path.startsWith("/api")).map((r) => `${r.method} ${r.path}`),
    );
    expect(documented.length).toBeGreaterThanOrEqual(10);
    for (const route of documented) expect(tested, route).toContain(route);
  });
});
