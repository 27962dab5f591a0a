/**
 * The admin API as the README's curl examples use it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHttpApp } from "../../src/http/server.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

const token = "change-me-to-a-long-random-string";
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };

describe("admin API", () => {
  let app: TestApp;
  let http: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    app = await createTestApp();
    http = createHttpApp(app, { webChat: false, adminToken: token });
  });
  afterEach(() => app.dispose());

  const call = (method: string, path: string, body?: unknown) =>
    http.request(path, { method, headers: auth, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  const meeting = {
    title: { en: "Help with online courses", de: "Hilfe bei Online-Kursen" },
    description: { en: "Bring your phone." },
    startsAt: "2026-03-05T17:00:00Z",
    endsAt: "2026-03-05T18:30:00Z",
    timeZone: "Europe/Berlin",
    place: "Stadtbibliothek, Leipzig",
    city: "leipzig",
    languages: ["Deutsch", "العربية"],
    capacity: 20,
  };

  it("needs the bearer token", async () => {
    expect((await http.request("/admin/meetings")).status).toBe(401);
    expect((await http.request("/admin/meetings", { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });

  it("creates, lists, moves and cancels meetings, and lists RSVPs", async () => {
    const created = await call("POST", "/admin/meetings", meeting);
    expect(created.status).toBe(201);
    const { meeting: m } = (await created.json()) as { meeting: { id: number } };
    const list = (await (await call("GET", "/admin/meetings")).json()) as {
      meetings: { id: number; status: string }[];
    };
    expect(list.meetings.map((x) => [x.id, x.status])).toEqual([[m.id, "planned"]]);
    const omar = chatWith(app, "omar");
    await omar.sayAll("hi", "English", "Leipzig", "yes", "no news", "meetings", "1", "yes, I will come");
    const rsvps = (await (await call("GET", `/admin/meetings/${m.id}/rsvps`)).json()) as { rsvps: unknown[] };
    expect(rsvps.rsvps).toEqual([{ meetingId: m.id, address: "console:omar", answer: "yes", waiting: false }]);
    const moved = (await (
      await call("PATCH", `/admin/meetings/${m.id}`, {
        startsAt: "2026-03-06T09:00:00Z",
        endsAt: "2026-03-06T10:30:00Z",
      })
    ).json()) as { meeting: { status: string } };
    expect(moved.meeting.status).toBe("moved");
    const [notice] = await app.store.takeOutboxFor(omar.address, app.clock.now());
    expect(notice?.outbound).toMatchObject({
      text: expect.stringContaining("has a new time: Friday, March 6, 10:00–11:30"),
    });
    const cancelled = (await (await call("PATCH", `/admin/meetings/${m.id}`, { status: "cancelled" })).json()) as {
      meeting: { status: string };
    };
    expect(cancelled.meeting.status).toBe("cancelled");
  });

  it("answers bad input with 400 naming the field", async () => {
    const res = await call("POST", "/admin/meetings", { ...meeting, timeZone: "Mars/Base", capacity: -1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field).sort()).toEqual(["capacity", "timeZone"]);
    expect((await http.request("/admin/meetings", { method: "POST", headers: auth, body: "{oops" })).status).toBe(400);
    const ends = await call("POST", "/admin/meetings", { ...meeting, endsAt: "2026-03-05T16:00:00Z" });
    expect(((await ends.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("endsAt");
  });

  it("creates a broadcast, reports its counts and cancels it", async () => {
    const omar = chatWith(app, "omar");
    await omar.sayAll("hi", "English", "Leipzig", "yes", "yes, send news");
    const created = await call("POST", "/admin/broadcasts", {
      text: { en: "The library has free Wi-Fi now." },
      audience: { kind: "city", city: "leipzig" },
      sendAt: "2026-03-10T09:00:00Z",
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect(await (await call("GET", `/admin/broadcasts/${id}`)).json()).toMatchObject({
      status: "scheduled",
      recipients: 0,
    });
    expect((await call("POST", `/admin/broadcasts/${id}/cancel`)).status).toBe(200);
    expect((await call("POST", `/admin/broadcasts/${id}/cancel`)).status).toBe(409);
    expect((await call("POST", "/admin/broadcasts", { text: { en: "x" }, audience: { kind: "planet" } })).status).toBe(
      400,
    );
  });

  it("adds staff, who then see the staff menu", async () => {
    const lea = chatWith(app, "lea");
    await lea.sayAll("hi", "English", "Leipzig", "yes", "no news");
    expect(await lea.say("menu")).not.toContain("Staff");
    expect((await call("POST", "/admin/staff", { address: "console:lea", roles: ["staff"] })).status).toBe(201);
    expect(await lea.say("menu")).toContain("Staff");
    expect((await call("POST", "/admin/staff", { address: "nobody", roles: ["staff"] })).status).toBe(400);
  });
});
