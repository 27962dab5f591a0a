/**
 * A class's sessions and messages stay the class's: plain staff can neither broadcast to a session's
 * guests, nor see the session in the overview's meetings, nor list or open a teacher's class message
 * in the broadcasts pages and API (regressions from the review of issue 19).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { messageClass } from "../../src/classes/message.ts";
import { type ClassRecord, createClass, joinClass } from "../../src/classes/repository.ts";
import { createClassSession } from "../../src/classes/sessions.ts";
import type { Address } from "../../src/domain/address.ts";
import { answerMeeting, type Meeting } from "../../src/meetings/repository.ts";
import { overviewStats } from "../../src/stats/overview.ts";
import { addPeople } from "../broadcasts/people.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { signedIn } from "../support/console.ts";

const teacher = "telegram:7" as Address;
const learner = "telegram:501" as Address;

describe("a class's sessions and messages", () => {
  let app: TestApp;
  let cls: ClassRecord;
  let session: Meeting;
  beforeEach(async () => {
    app = await createTestApp("sqlite", { staffAddresses: "telegram:7=teacher,telegram:9=staff" });
    await addPeople(app, [{ address: learner, language: "en", city: "leipzig" }]);
    const now = app.clock.now();
    cls = await createClass(
      app.store.db,
      {
        name: "Evening group",
        city: "leipzig",
        languages: ["en"],
        courses: [{ course: "safe-online", startsOn: null, endsOn: null }],
        capacity: null,
        codeExpiresAt: null,
        teacher,
      },
      now,
    );
    await joinClass(app.store.db, cls.code, learner, now);
    session = await app.store.transaction((tx) =>
      createClassSession(
        { engine: app.engine, scheduler: app.scheduler },
        tx,
        cls,
        {
          title: { en: "Evening group: passwords" },
          startsAt: new Date("2026-03-05T17:00:00Z"),
          endsAt: new Date("2026-03-05T18:00:00Z"),
          timeZone: "Europe/Berlin",
          place: "Room 2",
          onlineUrl: null,
        },
        teacher,
        now,
      ),
    );
    await answerMeeting(app.store.db, session, learner, "yes", now);
  });
  afterEach(() => app.dispose());

  it("refuses plain staff a broadcast to a class session's guests", async () => {
    const staff = await signedIn(app, "telegram:9" as Address);
    const res = await staff.api("POST", "/api/broadcasts", {
      texts: { en: "Hello" },
      audience: { meetingId: session.id },
    });
    expect(res.status).toBe(400);
    expect(await app.store.db.selectFrom("broadcasts").select("id").execute()).toEqual([]);
  });

  it("leaves class sessions out of the overview's meetings", async () => {
    const stats = await overviewStats(app.store.db, app.content, app.clock.now());
    expect(JSON.stringify(stats.meetings)).not.toContain("Evening group: passwords");
  });

  it("keeps a teacher's class message out of the broadcasts pages and API", async () => {
    const { broadcastId } = await app.store.transaction((tx) =>
      messageClass({ scheduler: app.scheduler }, tx, cls, { en: "Bring your phone" }, teacher, app.clock.now()),
    );
    const staff = await signedIn(app, "telegram:9" as Address);
    expect(await (await staff.get("/staff/broadcasts")).text()).not.toContain("Bring your phone");
    expect((await staff.get(`/staff/broadcasts/${broadcastId}`)).status).toBe(404);
    expect((await staff.api("GET", `/api/broadcasts/${broadcastId}`)).status).toBe(404);
    const list = (await (await staff.api("GET", "/api/broadcasts")).json()) as { broadcasts: unknown[] };
    expect(list.broadcasts).toEqual([]);
  });
});
