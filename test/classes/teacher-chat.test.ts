/**
 * A teacher's class in the chat, as a teacher on their phone does it: make a class with two courses
 * and get its join code and links, add a session (which only the class's learners hear of, each in
 * their language, and which no public list shows and nobody else is told of), see the learners'
 * progress, and tick who came.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classAttendance, setClassAttendance } from "../../src/classes/attendance.ts";
import { membersOf } from "../../src/classes/repository.ts";
import { classSessions, nextClassSession } from "../../src/classes/sessions.ts";
import { saveQuizResult, saveStep } from "../../src/learning/repository.ts";
import { pastMeetings, upcomingMeetings } from "../../src/meetings/repository.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { classByChat, join, person, received, staffAddresses } from "./teacher-support.ts";

describe.each(backends)("a teacher's class in the chat on %s", (backend) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(backend, { staffAddresses });
  });
  afterEach(() => app.dispose());

  it("makes a class with two courses in order and answers with the join code and links", async () => {
    const teacher = await person(app, "teacher1");
    expect(await teacher.say("menu")).toContain("Classes I teach");
    const { cls, answer } = await classByChat(app, teacher);
    expect(cls).toMatchObject({
      name: "Tuesday group",
      city: "leipzig",
      languages: ["de", "en"],
      courses: [
        { course: "safe-online", startsOn: null, endsOn: null },
        { course: "calls-messaging", startsOn: null, endsOn: null },
      ],
      capacity: null,
      teacher: teacher.address,
      status: "active",
    });
    expect(answer).toContain("The class “Tuesday group” is ready.");
    expect(answer).toContain(`Code: ${cls.code}. Learners can type “join ${cls.code}” in the chat at any time.`);
    // No bot username is configured in tests: the Telegram way is the text to send.
    expect(answer).toContain(`Telegram: send “/start class_${cls.code}” to the bot`);
    expect(answer).toContain(`WhatsApp: send “join ${cls.code}” to the bot`);
    expect(answer).toContain(`Web chat: http://localhost:3000/?start=class_${cls.code}`);
    expect(answer).toContain(`Tuesday group - 0 learners · code ${cls.code}`);
  });

  it("adds a session that only the class hears of: learners told in their language, no public list, no announcement", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira", "en");
    const bernd = await person(app, "bernd", "de");
    // Someone of the same city who wants news: a city meeting would reach them.
    const outsider = await person(app, "olga", "en", true);
    await join(app, cls, amira, bernd);
    await teacher.sayAll("Tuesday group", "Add a session", "2026-03-05 18:00", "90 minutes");
    const check = await teacher.say("Stadtbibliothek, Leipzig");
    expect(check).toContain("When: Thursday, March 5, 18:00–19:30");
    expect(check).toContain("Only the learners of this class see it.");
    expect(await teacher.say("Add the session")).toContain("Session added. 2 learners were told.");

    const [session] = await classSessions(app.store.db, cls.id, { now: app.clock.now() });
    expect(session).toMatchObject({ classId: cls.id, city: "leipzig", place: "Stadtbibliothek, Leipzig" });
    expect(session?.startsAt.toISOString()).toBe("2026-03-05T17:00:00.000Z");
    expect((await nextClassSession(app.store.db, cls.id, app.clock.now()))?.id).toBe(session?.id);

    const [intro, card] = await received(app, amira.address);
    expect(intro).toBe("📅 Your class “Tuesday group” has a new session.");
    expect(card).toContain("Thursday, March 5, 18:00–19:30");
    expect(card).toContain("👥 For your class");
    expect(card).toContain("Will you come?");
    expect((await received(app, bernd.address)).join("\n")).toContain(
      "Ihre Klasse „Tuesday group“ hat einen neuen Termin.",
    );
    expect(await received(app, outsider.address)).toEqual([]);

    // Never a city meeting: not in the lists, not announced, not found by others.
    const now = app.clock.now();
    expect(await upcomingMeetings(app.store.db, { now, allCities: true, includeCancelled: true })).toEqual([]);
    expect(await upcomingMeetings(app.store.db, { now, city: "leipzig" })).toEqual([]);
    expect(await pastMeetings(app.store.db, { now: new Date("2026-03-06T00:00:00Z"), days: 30 })).toEqual([]);
    expect(await app.store.db.selectFrom("broadcasts").selectAll().execute()).toEqual([]);
    expect(await outsider.say("meetings")).toContain("There are no meetings planned right now");
    expect(await outsider.say(`/start meeting_${session?.id}`)).not.toContain("Tuesday group");

    // The learner answers where the session was shown, and is reminded as for any meeting.
    expect(await amira.say("Yes, I will come")).toContain("You have a place.");
    expect(await amira.say("meetings")).toContain("Tuesday group");
    const reminders = await app.store.db
      .selectFrom("jobs")
      .select(["address", "due_at"])
      .where("kind", "=", "meeting.reminder")
      .execute();
    expect(reminders.map((r) => [r.address, r.due_at]).sort()).toEqual([
      [amira.address, "2026-03-04T17:00:00.000Z"],
      [amira.address, "2026-03-05T16:00:00.000Z"],
    ]);
  });

  it("tells a learner in the middle of a lesson with a line of text, leaving their lesson open", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const bernd = await person(app, "bernd", "de");
    await join(app, cls, bernd);
    await bernd.sayAll("Lektionen", "1");
    await received(app, bernd.address);
    await teacher.sayAll("Tuesday group", "Add a session", "2026-03-05 18:00", "60 minutes", "Online");
    await teacher.sayAll("https://meet.example.org/tuesday", "Add the session");
    const [notice, ...more] = await received(app, bernd.address);
    expect(more).toEqual([]);
    expect(notice).toContain("Ihre Klasse „Tuesday group“ hat einen neuen Termin.");
    expect(notice).toContain("💻 Online: https://meet.example.org/tuesday");
    expect(notice).toContain("Öffnen Sie „Treffen“ im Menü und antworten Sie dort.");
    const conversation = await app.store.reader.getConversation(bernd.address);
    expect(conversation?.flowId).toBe("lessons");
  });

  it("shows each learner by their chosen name with progress, and never their address", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira", "en");
    const bernd = await person(app, "bernd", "de");
    await join(app, cls, amira, bernd);
    await app.store.db
      .updateTable("class_members")
      .set({ display_name: "Amira" })
      .where("address", "=", amira.address)
      .execute();
    await saveStep(app.store.db, amira.address, "strong-passwords", 4, app.clock.now());
    await saveQuizResult(
      app.store.db,
      amira.address,
      { lesson: "strong-passwords", score: 3, total: 4 },
      app.clock.now(),
    );
    await teacher.sayAll("menu", "Classes I teach");
    const view = await teacher.say("Tuesday group");
    const berndRef = (await membersOf(app.store.db, cls.id)).find((m) => m.address === bernd.address)?.ref;
    expect(view).toContain("2 learners");
    expect(view).toContain("• Stay safe online: 0 of 2 (0%)");
    expect(view).toContain("• Amira: 1/8 · quiz 3/4 · active Mar 2");
    expect(view).toContain(`• Learner ${berndRef}: 0/8 · not active yet · ⚠ not started`);
    expect(view).not.toContain(amira.address);
    expect(view).not.toContain(bernd.address);
    app.clock.advance(8 * 86_400_000);
    expect(await teacher.say("See progress")).toContain("• Amira: 1/8 · quiz 3/4 · active Mar 2 · ⚠ stalled 7 days");
  });

  /** A class with Amira (named) and Bernd, and a session on Thursday 5 March that has just ended. */
  const classAfterSession = async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira", "en");
    const bernd = await person(app, "bernd", "de");
    await join(app, cls, amira, bernd);
    await app.store.db
      .updateTable("class_members")
      .set({ display_name: "Amira" })
      .where("address", "=", amira.address)
      .execute();
    await teacher.sayAll("Tuesday group", "Add a session", "2026-03-05 18:00", "90 minutes");
    await teacher.sayAll("Stadtbibliothek, Leipzig", "Add the session");
    app.clock.advance(Date.parse("2026-03-05T19:00:00Z") - app.clock.now().getTime());
    return { teacher, cls, amira, bernd };
  };

  it("ticks who came to a session, and a learner who came without answering gets an answer", async () => {
    const { teacher, cls, amira, bernd } = await classAfterSession();
    await teacher.sayAll("menu", "Classes I teach", "Tuesday group", "Who came");
    const list = await teacher.say("Thu, Mar 5, 18:00");
    expect(list).toContain("Who came to the session on Thu, Mar 5, 18:00?");
    expect(list).toContain("☐ Amira");
    expect(await teacher.say("Amira")).toContain("☑ Amira");
    expect(await teacher.say("Save")).toContain("Saved. 1 learner came.");
    const [session] = await classSessions(app.store.db, cls.id, { now: app.clock.now(), includePast: true });
    const refs = new Map((await membersOf(app.store.db, cls.id)).map((m) => [m.address, m.ref]));
    expect(await classAttendance(app.store.db, cls, session?.id ?? 0)).toEqual({
      [refs.get(amira.address) ?? ""]: true,
      [refs.get(bernd.address) ?? ""]: false,
    });
    const rsvp = await app.store.db
      .selectFrom("rsvps")
      .select(["address", "answer", "attended"])
      .where("meeting_id", "=", session?.id ?? 0)
      .execute();
    expect(rsvp.map((r) => [r.address, r.answer, Number(r.attended)])).toEqual([[amira.address, "yes", 1]]);
    // Opened again, the list shows what was saved.
    await teacher.say("Who came");
    expect(await teacher.say("Thu, Mar 5, 18:00")).toContain("☑ Amira");
  });

  it("keeps a tick made on another device while the chat's list was open (regression: the save undid it)", async () => {
    const { teacher, cls, amira, bernd } = await classAfterSession();
    await teacher.sayAll("menu", "Classes I teach", "Tuesday group", "Who came", "Thu, Mar 5, 18:00");
    const [session] = await classSessions(app.store.db, cls.id, { now: app.clock.now(), includePast: true });
    const refs = new Map((await membersOf(app.store.db, cls.id)).map((m) => [m.address, m.ref]));
    const berndRef = refs.get(bernd.address) ?? "";
    // Meanwhile the console (another phone) ticks Bernd.
    await setClassAttendance(app.store.db, cls, session?.id ?? 0, [{ ref: berndRef, attended: true }], app.clock.now());
    await teacher.sayAll("Amira", "Save");
    expect(await classAttendance(app.store.db, cls, session?.id ?? 0)).toEqual({
      [refs.get(amira.address) ?? ""]: true,
      [berndRef]: true,
    });
  });
});
