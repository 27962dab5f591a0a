/**
 * "My class" for a learner: shown in the menu only to members; the course the class is on (by the
 * learner's own local day), their progress against it after finishing a lesson, the next session
 * with an answer (and its reminders), the next lesson of the class's course, a new name, several
 * classes, and leaving (confirmed first, after which the teacher no longer sees them).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classProgress } from "../../src/classes/progress.ts";
import { type ClassRecord, membersOf } from "../../src/classes/repository.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { classSession, classWithCode, finishLesson, person } from "./learner-support.ts";

describe.each(backends)("my class on %s", (backend) => {
  let app: TestApp;
  let cls: ClassRecord;
  beforeEach(async () => {
    app = await createTestApp(backend);
    cls = await classWithCode(app, "K7F2Q");
  });
  afterEach(() => app.dispose());

  const learner = async (name: string, language = "en") => {
    const chat = await person(app, name, language);
    await chat.sayAll("join K7F2Q", "1", name === "lena" ? "Lena" : "Skip", "menu");
    return chat;
  };

  const jobsOf = async (address: string) =>
    (await app.store.db.selectFrom("jobs").select("unique_key").where("address", "=", address).execute()).map(
      (j) => j.unique_key,
    );

  it("is in the menu only for members of a class", async () => {
    const sara = await person(app, "sara");
    expect(await sara.say("menu")).not.toContain("My class");
    await sara.sayAll("join K7F2Q", "yes", "Skip");
    const menu = await sara.say("menu");
    expect(menu).toContain("1) My class");
  });

  it("shows the course the class is on and the learner's progress against it after a lesson", async () => {
    const sara = await learner("sara");
    expect(await sara.sayAll("menu", "my class")).toContain("✅ You finished 0 of 4 lessons of this course.");
    await finishLesson(app, sara.address, "strong-passwords");
    const card = await sara.sayAll("menu", "my class");
    expect(card).toContain("👥 Tuesday group");
    expect(card).toContain("📚 The class is now on: Stay safe online");
    expect(card).toContain("✅ You finished 1 of 4 lessons of this course.");
    expect(card).toContain("All courses of the class: 1 of 9 lessons.");
    // The next lesson is the class's, in the class's order.
    expect(card).toContain("▶ Next lesson - Two-step login");
    expect(await sara.say("next lesson")).toContain("Two-step login · 1/");
  });

  it("moves to the class's next course on the learner's own local day", async () => {
    const sara = await learner("sara");
    // 22:30 UTC on March 31 is already April 1 in Leipzig (summer time): the class is on its second course.
    app.clock.advance(Date.parse("2026-03-31T22:30:00Z") - app.clock.now().getTime());
    const card = await sara.sayAll("menu", "my class");
    expect(card).toContain("📚 The class is now on: Your phone for papers");
    expect(card).toContain("▶ Next lesson - Scan a paper");
  });

  it("shows the next session and takes the answer, with reminders for a yes", async () => {
    const session = await classSession(app, cls, "2026-03-05T17:00:00Z");
    const sara = await learner("sara");
    const card = await sara.sayAll("menu", "my class");
    expect(card).toContain("📅 Next session: Thursday, March 5, 18:00–19:30 (Europe/Berlin time)");
    expect(card).toContain("Tuesday group: passwords");
    expect(card).toContain("I will come");
    expect(await sara.say("I will come")).toContain("You have a place.");
    expect(await jobsOf(sara.address)).toEqual(
      expect.arrayContaining([expect.stringContaining(`reminder:${session.id}:${sara.address}:`)]),
    );
    const again = await sara.sayAll("menu", "my class");
    expect(again).toContain("✓ You have a place.");
    expect(again).toContain("I cannot come");
  });

  it("changes the name the teacher sees, or takes it away", async () => {
    const lena = await learner("lena");
    expect(await lena.sayAll("menu", "my class", "change my name")).toContain("🙂 Your teacher sees you as: Lena");
    expect(await lena.say("Lena K.")).toContain("🙂 Your teacher sees you as: Lena K.");
    await lena.sayAll("change my name", "no name");
    const [member] = await membersOf(app.store.db, cls.id);
    expect(member?.displayName).toBeNull();
    expect(await lena.sayAll("menu", "my class")).toContain(`Learner ${member?.ref}`);
  });

  it("offers the class when “my class” is typed outside the menu, instead of searching the city for it", async () => {
    const sara = await learner("sara");
    await sara.sayAll("menu", "my class");
    // At the class's own question, as anywhere else but the menu.
    const found = await sara.say("my class");
    expect(found).toContain("Here is what I found for “my class”:");
    expect(found).toContain("1) 👥 Tuesday group");
    expect(found).not.toContain("📍");
    expect(await sara.say("1")).toContain("👥 Tuesday group");
    // Someone in no class gets the search as before.
    const omar = await person(app, "omar");
    expect(await omar.say("my class")).not.toContain("Tuesday group");
  });

  it("asks which class first when the learner is in several", async () => {
    await classWithCode(app, "QQQ22", {
      name: "Evening group",
      courses: [{ course: "phone-papers", startsOn: null, endsOn: null }],
    });
    const sara = await learner("sara");
    await sara.sayAll("join QQQ22", "yes", "Skip");
    const menu = await sara.say("menu");
    expect(menu).toContain("1) My classes");
    const list = await sara.say("my classes");
    expect(list).toContain("You are in more than one class. Pick one:");
    expect(list).toContain("Evening group");
    const card = await sara.say("evening group");
    expect(card).toContain("📚 The class is now on: Your phone for papers");
    expect(card).toContain("My other classes");
  });

  it("leaves a class after a confirmation: the teacher no longer sees the learner, and their session answer goes", async () => {
    const session = await classSession(app, cls, "2026-03-05T17:00:00Z");
    const sara = await learner("sara");
    await finishLesson(app, sara.address, "strong-passwords");
    await sara.sayAll("menu", "my class", "I will come");
    const question = await sara.sayAll("menu", "my class", "leave the class");
    expect(question).toContain("Do you really want to leave the class “Tuesday group”?");
    expect(question).toContain("Your teacher will no longer see you or your progress.");
    expect(await sara.say("no, stay")).toContain("OK, you stay in the class.");
    expect((await classProgress(app.store.db, app.content, cls, app.clock.now())).learners).toHaveLength(1);

    await sara.say("leave the class");
    const left = await sara.say("yes, leave");
    expect(left).toContain("You left the class “Tuesday group”.");
    expect(left).not.toContain("My class");
    const view = await classProgress(app.store.db, app.content, cls, app.clock.now());
    expect(view.learners).toEqual([]);
    const rsvps = await app.store.db.selectFrom("rsvps").selectAll().where("meeting_id", "=", session.id).execute();
    expect(rsvps).toEqual([]);
    expect(await jobsOf(sara.address)).not.toEqual(
      expect.arrayContaining([expect.stringContaining(`reminder:${session.id}:`)]),
    );
    // Their own progress stays theirs.
    expect(await sara.sayAll("menu", "my progress")).toContain("Lessons done: 1 of 70");
  });

  it("is written in German for a German learner", async () => {
    const lena = await learner("lena", "de");
    await finishLesson(app, lena.address, "strong-passwords");
    const card = await lena.say("Meine Klasse");
    expect(card).toContain("📚 Die Klasse ist jetzt bei: Sicher im Internet");
    expect(card).toContain("✅ Sie haben 1 von 4 Lektionen dieses Kurses beendet.");
    expect(card).toContain("Klasse verlassen");
  });
});
