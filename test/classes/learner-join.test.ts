/**
 * Joining a class as a learner: by code typed anywhere (in German and with Persian digits), by a
 * Telegram deep link or WhatsApp's prefilled message as a new person (onboarding and consent first),
 * what the teacher will see said before the yes, the optional name, and the friendly answers to an
 * unknown, expired, closed or full code; joining twice changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { archiveClass, type ClassRecord, membersOf } from "../../src/classes/repository.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { classSession, classWithCode, onboardingAnswers, person } from "./learner-support.ts";

const day = 86_400_000;

describe.each(backends)("joining a class on %s", (backend) => {
  let app: TestApp;
  let cls: ClassRecord;
  beforeEach(async () => {
    app = await createTestApp(backend);
    cls = await classWithCode(app, "K7F2Q");
  });
  afterEach(() => app.dispose());

  const members = async () =>
    (await membersOf(app.store.db, cls.id)).map((m) => ({ address: m.address, name: m.displayName }));

  it("joins by the code typed in German, says what the teacher sees first, and takes a name", async () => {
    const lena = await person(app, "lena", "de");
    const preview = await lena.say("K7F 2Q beitreten");
    expect(preview).toContain("👥 Klasse: Tuesday group");
    expect(preview).toContain("Wenn Sie beitreten, sieht Ihre Lehrkraft:");
    expect(preview).toContain("Ihre Quiz-Ergebnisse");
    expect(preview).toContain("Ihre Lehrkraft sieht nicht Ihre Chats mit mir und nicht Ihre Telefonnummer.");
    // Nothing is stored before the yes.
    expect(await members()).toEqual([]);
    expect(await lena.say("ja")).toContain("Welchen Namen soll Ihre Lehrkraft sehen?");
    expect(await members()).toEqual([{ address: lena.address, name: null }]);
    const welcome = await lena.say("Lena");
    expect(welcome).toContain("✅ Sie sind jetzt in der Klasse „Tuesday group“.");
    expect(welcome).toContain("🙂 Ihre Lehrkraft sieht Sie als: Lena");
    expect(welcome).toContain("Ihre Klasse finden Sie im Menü: „Meine Klasse“.");
    expect(await members()).toEqual([{ address: lena.address, name: "Lena" }]);
  });

  it("reads a code typed in lower case with Persian digits, and a skipped name leaves the teacher a reference", async () => {
    const amina = await person(app, "amina", "fa");
    expect(await amina.say("join k۷f ۲q")).toContain("Tuesday group");
    await amina.say("1");
    const welcome = await amina.say("Skip");
    const [member] = await membersOf(app.store.db, cls.id);
    expect(member?.displayName).toBeNull();
    // In Dari-Persian, with the reference isolated inside the right-to-left line.
    expect(welcome).toContain(`شاگرد \u2068${member?.ref}\u2069`);
  });

  it("opens the join step from a Telegram deep link after onboarding and consent, for someone new", async () => {
    const olena = chatWith(app, "olena", "telegram");
    // A new person is greeted with onboarding first; the class waits.
    expect(await olena.say("/start class_K7F2Q")).toContain("Which language do you want to use?");
    const afterConsent = await olena.sayAll(...onboardingAnswers("uk"));
    expect(afterConsent).toContain("Дякую, усе готово!");
    expect(afterConsent).toContain("👥 Група: Tuesday group");
    expect(await members()).toEqual([]);
    await olena.sayAll("1", "Олена");
    expect(await members()).toEqual([{ address: olena.address, name: "Олена" }]);
  });

  it("opens the join step from a Telegram deep link for someone already set up", async () => {
    const sara = await person(app, "sara");
    expect(await sara.say("/start class_K7F2Q")).toContain("Do you want to join this class?");
    // A link whose code is not a class's gets the same kind answer as a typed one.
    expect(await sara.say("/start class_XXXXX")).toContain("I do not know this code.");
  });

  it("offers the class for its code typed alone, as it stands on the board (regression: nothing was found)", async () => {
    const sara = await person(app, "sara");
    const found = await sara.say("k7f2q");
    expect(found).toContain("👥 Tuesday group");
    expect(await sara.say("1")).toContain("Do you want to join this class?");
    // A five-letter word that is no class's code is a search as before, never a class.
    expect(await sara.say("menu")).toContain("Main menu");
    expect(await sara.say("QQQQQ")).not.toContain("👥");
  });

  it("opens the join step from WhatsApp's prefilled message after onboarding, for someone new", async () => {
    const karim = chatWith(app, "karim", "whatsapp");
    expect(await karim.say("join K7F2Q")).toContain("Which language do you want to use?");
    expect(await karim.sayAll(...onboardingAnswers("en"))).toContain("Do you want to join this class?");
  });

  it("keeps the code through onboarding when someone still setting up types it", async () => {
    const ali = chatWith(app, "ali");
    await ali.sayAll("hi", "English");
    expect(await ali.say("join K7F2Q")).toContain("Which language do you want to use?");
    expect(await ali.sayAll(...onboardingAnswers("en"))).toContain("Do you want to join this class?");
  });

  it("asks for the code when only the join word is typed", async () => {
    const sara = await person(app, "sara");
    expect(await sara.say("join")).toContain("Please type the code from your teacher.");
    expect(await sara.say("k7f-2q")).toContain("Do you want to join this class?");
    expect(await sara.say("no")).toContain("OK, you did not join the class.");
    expect(await members()).toEqual([]);
  });

  it("answers an unknown code kindly and sends the learner to their teacher", async () => {
    const sara = await person(app, "sara");
    const answer = await sara.say("join K7F2X");
    expect(answer).toContain("I do not know this code.");
    expect(answer).toContain("Please ask your teacher for the code.");
    expect(answer).toContain("Main menu.");
    // A wrong length is a mistyped code, not a question to search for.
    expect(await sara.say("join K7F2")).toContain("I do not know this code.");
    // Words after "join" that cannot be a code are not taken for one.
    expect(await sara.say("join the meeting on Thursday")).not.toContain("I do not know this code.");
  });

  it("reads the code however it is written around the join word", async () => {
    const sara = await person(app, "sara");
    for (const typed of ["Join: K7F2Q", "/join K7F2Q", "join class k7f2q", "K7F2Q join"]) {
      expect(await sara.say(typed), typed).toContain("Do you want to join this class?");
      await sara.say("no");
    }
  });

  it("says when the code has expired, the class is closed or full, and stores nothing", async () => {
    await app.store.db
      .updateTable("classes")
      .set({ code_expires_at: new Date(app.clock.now().getTime() - day).toISOString() })
      .where("id", "=", cls.id)
      .execute();
    const sara = await person(app, "sara");
    const expired = await sara.say("join K7F2Q");
    expect(expired).toContain("This code for the class “Tuesday group” does not work any more.");
    expect(expired).toContain("Please ask your teacher for the code.");

    const full = await classWithCode(app, "QQQ22", { name: "Evening group", capacity: 1 });
    const first = await person(app, "first");
    await first.sayAll("join QQQ22", "yes", "Skip");
    const answer = await sara.say("join QQQ22");
    expect(answer).toContain("The class “Evening group” is full.");
    // The code was right: not asked for it again (a staff trial found that read as a typing mistake).
    expect(answer).not.toContain("Please ask your teacher for the code.");

    const closed = await classWithCode(app, "CCC33", { name: "Old group" });
    await archiveClass(app.store.db, closed.id, app.clock.now());
    expect(await sara.say("join CCC33")).toContain("The class “Old group” is closed.");
    expect((await membersOf(app.store.db, full.id)).length).toBe(1);
    expect(await members()).toEqual([]);
  });

  it("says so when the class filled up between the question and the yes", async () => {
    await app.store.db.updateTable("classes").set({ capacity: 1 }).where("id", "=", cls.id).execute();
    const sara = await person(app, "sara");
    const omar = await person(app, "omar");
    await sara.say("join K7F2Q");
    await omar.sayAll("join K7F2Q", "yes", "Skip");
    const late = await sara.say("yes");
    expect(late).toContain("The class “Tuesday group” is full.");
    expect(late).toContain("Main menu.");
    expect((await members()).map((m) => m.address)).toEqual([omar.address]);
  });

  it("changes nothing when someone joins twice, and says they are already in", async () => {
    const sara = await person(app, "sara");
    await sara.sayAll("join K7F2Q", "yes", "Sara");
    const again = await sara.say("join K7F2Q");
    expect(again).toContain("You are already in the class “Tuesday group”. Nothing changed.");
    expect(again).toContain("🙂 Your teacher sees you as: Sara");
    expect(await members()).toEqual([{ address: sara.address, name: "Sara" }]);
  });

  it("names the next session in the welcome, and takes the answer there", async () => {
    const session = await classSession(app, cls, "2026-03-05T17:00:00Z");
    const sara = await person(app, "sara");
    const welcome = await sara.sayAll("join K7F2Q", "yes", "Skip");
    expect(welcome).toContain("📅 Next session: Thursday, March 5, 18:00–19:30 (Europe/Berlin time)");
    expect(welcome).toContain("📍 Stadtbibliothek, Leipzig");
    expect(await sara.say("maybe I come")).toContain("Noted: maybe.");
    const rsvps = await app.store.db
      .selectFrom("rsvps")
      .select(["address", "answer"])
      .where("meeting_id", "=", session.id)
      .execute();
    expect(rsvps).toEqual([{ address: sara.address, answer: "maybe" }]);
  });
});
