/**
 * The shared modules the console calls too: a class's sessions kept out of every public list but in
 * its own learners' "Meetings", attendance by class reference (unknown references and other
 * meetings change nothing), and a class message on the authority of the class's teacher or an admin
 * only.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classAttendance, setClassAttendance } from "../../src/classes/attendance.ts";
import { messageClass } from "../../src/classes/message.ts";
import { type ClassRecord, createClass, joinClass, membersOf } from "../../src/classes/repository.ts";
import { classSessions, createClassSession, nextClassSession } from "../../src/classes/sessions.ts";
import type { Address } from "../../src/domain/address.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { createMeeting, pastMeetings, upcomingMeetings } from "../../src/meetings/repository.ts";
import { addPeople } from "../broadcasts/people.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";

const day = 86_400_000;

describe.each(backends)("class sessions, attendance and messages on %s", (backend) => {
  let app: TestApp;
  let cls: ClassRecord;
  const learner = "telegram:501" as Address;
  const other = "telegram:502" as Address;

  beforeEach(async () => {
    app = await createTestApp(backend, { staffAddresses: "telegram:7=teacher,telegram:8=admin,telegram:9=staff" });
    await addPeople(app, [
      { address: learner, language: "en" },
      { address: other, language: "en" },
    ]);
    cls = await createClass(
      app.store.db,
      {
        name: "Evening group",
        city: "leipzig",
        languages: ["en"],
        courses: [{ course: "safe-online", startsOn: null, endsOn: null }],
        capacity: null,
        codeExpiresAt: null,
        teacher: "telegram:7",
      },
      app.clock.now(),
    );
    await joinClass(app.store.db, cls.code, learner, app.clock.now());
  });
  afterEach(() => app.dispose());

  const session = (startsAt: string) =>
    app.store.transaction((tx) =>
      createClassSession(
        { engine: app.engine, scheduler: app.scheduler },
        tx,
        cls,
        {
          title: { en: "Evening group" },
          startsAt: new Date(startsAt),
          endsAt: new Date(Date.parse(startsAt) + 3_600_000),
          timeZone: "Europe/Berlin",
          place: null,
          onlineUrl: "https://meet.example.org/evening",
        },
        "telegram:7",
        app.clock.now(),
      ),
    );

  it("serves no public calendar file for a class session (its time and place are the class's)", async () => {
    const m = await session("2026-03-03T17:00:00Z");
    const res = await createHttpApp(app, { webChat: false }).request(`/calendar/meeting-${m.id}.ics`);
    expect(res.status).toBe(404);
  });

  it("lists a class's sessions for the class and its learners only", async () => {
    const early = await session("2026-03-03T17:00:00Z");
    const late = await session("2026-03-10T17:00:00Z");
    const now = app.clock.now();
    await createMeeting(
      app.store.db,
      {
        title: { en: "City meeting" },
        description: { en: "For everyone." },
        startsAt: new Date("2026-03-04T17:00:00Z"),
        endsAt: new Date("2026-03-04T18:00:00Z"),
        timeZone: "Europe/Berlin",
        place: "Rathaus",
        mapUrl: null,
        onlineUrl: null,
        city: "leipzig",
        languages: [],
        capacity: null,
      },
      null,
      now,
    );
    const titles = (ms: { title: Record<string, string> }[]) => ms.map((m) => m.title.en);
    expect(titles(await upcomingMeetings(app.store.db, { now, allCities: true }))).toEqual(["City meeting"]);
    expect(titles(await upcomingMeetings(app.store.db, { now, city: "leipzig", learner: other }))).toEqual([
      "City meeting",
    ]);
    expect(titles(await upcomingMeetings(app.store.db, { now, city: "lund", learner }))).toEqual([
      "Evening group",
      "Evening group",
    ]);
    expect((await upcomingMeetings(app.store.db, { now, classId: cls.id })).map((m) => m.id)).toEqual([
      early.id,
      late.id,
    ]);
    expect((await nextClassSession(app.store.db, cls.id, now))?.id).toBe(early.id);
    const later = new Date(now.getTime() + 4 * day);
    expect((await classSessions(app.store.db, cls.id, { now: later })).map((m) => m.id)).toEqual([late.id]);
    expect((await classSessions(app.store.db, cls.id, { now: later, includePast: true })).map((m) => m.id)).toEqual([
      early.id,
      late.id,
    ]);
    expect(titles(await pastMeetings(app.store.db, { now: later, days: 30 }))).toEqual(["City meeting"]);
    expect((await pastMeetings(app.store.db, { now: later, days: 30, classId: cls.id })).map((m) => m.id)).toEqual([
      early.id,
    ]);
  });

  it("marks attendance by class reference only, on the class's own sessions", async () => {
    const s = await session("2026-03-03T17:00:00Z");
    const [member] = await membersOf(app.store.db, cls.id);
    const ref = member?.ref ?? "";
    const marks = [
      { ref, attended: true },
      { ref: "nobody00", attended: true },
    ];
    expect(await setClassAttendance(app.store.db, cls, s.id, marks, app.clock.now())).toEqual({
      changed: 1,
      unknown: ["nobody00"],
    });
    expect(await setClassAttendance(app.store.db, cls, s.id, marks, app.clock.now())).toEqual({
      changed: 0,
      unknown: ["nobody00"],
    });
    expect(await classAttendance(app.store.db, cls, s.id)).toEqual({ [ref]: true });
    expect(await setClassAttendance(app.store.db, cls, s.id, [{ ref, attended: false }], app.clock.now())).toEqual({
      changed: 1,
      unknown: [],
    });
    expect(await classAttendance(app.store.db, cls, s.id)).toEqual({ [ref]: false });
    // Another class's (or a city's) meeting is not this class's session.
    const city = await createMeeting(
      app.store.db,
      {
        title: { en: "City meeting" },
        description: { en: "." },
        startsAt: new Date("2026-03-04T17:00:00Z"),
        endsAt: new Date("2026-03-04T18:00:00Z"),
        timeZone: "Europe/Berlin",
        place: "Rathaus",
        mapUrl: null,
        onlineUrl: null,
        city: "leipzig",
        languages: [],
        capacity: null,
      },
      null,
      app.clock.now(),
    );
    expect(await setClassAttendance(app.store.db, cls, city.id, [{ ref, attended: true }], app.clock.now())).toEqual({
      changed: 0,
      unknown: [ref],
    });
    expect(await classAttendance(app.store.db, cls, city.id)).toEqual({ [ref]: false });
  });

  it("sends a class message on its teacher's or an admin's authority, never on plain staff's", async () => {
    const send = (by: string) =>
      app.store.transaction((tx) =>
        messageClass({ scheduler: app.scheduler }, tx, cls, { en: `From ${by}` }, by, app.clock.now()),
      );
    expect(await send("telegram:7")).toMatchObject({ recipients: 1 });
    await send("telegram:8");
    await send("telegram:9");
    await app.scheduler.runDue(app.clock.now());
    const texts = (await app.store.takeOutboxFor(learner, app.clock.now())).map((o) =>
      "text" in o.outbound ? o.outbound.text : "",
    );
    expect(texts.sort()).toEqual([
      "✉️ From your class “Evening group”:\n\nFrom telegram:7",
      "✉️ From your class “Evening group”:\n\nFrom telegram:8",
    ]);
    expect(await app.store.takeOutboxFor(other, app.clock.now())).toEqual([]);
    const statuses = await app.store.db
      .selectFrom("broadcasts")
      .select(["created_by", "status"])
      .orderBy("id")
      .execute();
    expect(statuses.map((b) => [b.created_by, b.status])).toEqual([
      ["telegram:7", "sending"],
      ["telegram:8", "sending"],
      ["telegram:9", "cancelled"],
    ]);
  });
});
