/**
 * The overview's numbers against seeded data: people through the real engine and through the
 * store's own functions, then every table checked by hand-counted expectations.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { setAttendance } from "../../src/meetings/attendance.ts";
import { guestsOf } from "../../src/meetings/guests.ts";
import { answerMeeting, createMeeting } from "../../src/meetings/repository.ts";
import { overviewStats } from "../../src/stats/overview.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { rightAnswers } from "../support/quiz-answers.ts";
import { seedPerson, seedQuiz, seedStep } from "./seed.ts";

const day = 86_400_000;

describe("overview statistics", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  async function seed() {
    const now = app.clock.now();
    const ago = (days: number) => new Date(now.getTime() - days * day);
    // One learner through the real engine: onboarding, a lesson and its quiz (5 of 5 right).
    const chat = chatWith(app, "amira");
    await chat.sayAll("hi", "English", "Lund", "yes", "no news");
    await chat.sayAll("lessons", "stay safe online", "strong passwords", "next", "next", "next", "next");
    expect(await chat.sayAll("take the quiz", ...rightAnswers(app, chat.address, "strong-passwords"))).toContain(
      "5 of 5 right",
    );
    const t1 = "telegram:1" as Address;
    const t2 = "telegram:2" as Address;
    await seedPerson(app, { address: t1, language: "en", city: "lund", lastInboundAt: ago(1) }, now);
    await seedPerson(app, { address: t2, language: "de", city: "mainz", lastInboundAt: ago(10) }, now);
    await seedPerson(app, { address: "whatsapp:3", language: "de", city: "mainz", lastInboundAt: ago(40) }, now);
    await seedPerson(app, { address: "web:x4", language: "ar", city: "leipzig" }, now);
    await seedPerson(app, { address: "telegram:5", language: "en", consent: "pending" }, now);
    await seedPerson(app, { address: "telegram:6", consent: "refused" }, now);
    await seedStep(app, t1, "strong-passwords", now);
    await seedQuiz(app, t1, "strong-passwords", { q1: true, q2: false, q3: true, q4: true }, now);
    await seedStep(app, t2, "strong-passwords", ago(10), ago(10).toISOString().slice(0, 10));
    return { now, t1, t2 };
  }

  it("counts people by city, language and channel, only those who agreed to storage", async () => {
    await seed();
    const { people } = await overviewStats(app.store.db, app.content, app.clock.now());
    expect(people.total).toBe(5);
    expect(people.byCity).toEqual([
      { key: "lund", count: 2 },
      { key: "mainz", count: 2 },
      { key: "leipzig", count: 1 },
    ]);
    expect(people.byLanguage).toEqual([
      { key: "de", count: 2 },
      { key: "en", count: 2 },
      { key: "ar", count: 1 },
    ]);
    expect(people.byChannel).toEqual([
      { key: "telegram", count: 2 },
      { key: "console", count: 1 },
      { key: "web", count: 1 },
      { key: "whatsapp", count: 1 },
    ]);
  });

  it("counts active learners and active people in the last 7 and 30 days", async () => {
    await seed();
    const { activity } = await overviewStats(app.store.db, app.content, app.clock.now());
    // Learning days: amira and telegram:1 today, telegram:2 ten days ago.
    expect(activity).toEqual({ learners7: 2, learners30: 3, active7: 2, active30: 3 });
  });

  it("counts lessons started and finished, and quiz results per lesson", async () => {
    await seed();
    const overview = await overviewStats(app.store.db, app.content, app.clock.now());
    const lesson = overview.lessons.find((l) => l.lesson === "strong-passwords");
    expect(lesson).toEqual({ lesson: "strong-passwords", course: "safe-online", started: 3, finished: 2 });
    expect(overview.lessons.filter((l) => l.started > 0)).toHaveLength(1);
    // Every lesson of the pack is listed, in course order.
    expect(overview.lessons).toHaveLength(app.content.courses.flatMap((c) => app.content.lessonsOf(c.id)).length);
    expect(overview.lessons[0]?.lesson).toBe("scan-documents");
    // Two people only: the average is withheld (small-groups.ts).
    expect(overview.quizzes).toEqual([{ lesson: "strong-passwords", takes: 2, people: 2, averageScore: null }]);
  });

  it("shows a lesson's average score from five people on", async () => {
    const now = app.clock.now();
    const scores = [3, 4, 2, 1, 4];
    for (const [i, score] of scores.entries()) {
      const address = `telegram:${100 + i}` as Address;
      await seedPerson(app, { address, language: "en", city: "lund" }, now);
      const answers = Object.fromEntries(["q1", "q2", "q3", "q4"].map((q, n) => [q, n < score]));
      await seedQuiz(app, address, "two-step-login", answers, now);
    }
    const { quizzes } = await overviewStats(app.store.db, app.content, now);
    const row = quizzes.find((q) => q.lesson === "two-step-login");
    expect(row?.takes).toBe(5);
    expect(row?.people).toBe(5);
    // (0.75 + 1 + 0.5 + 0.25 + 1) / 5
    expect(row?.averageScore).toBeCloseTo(0.7, 10);
  });

  it("follows the way from the first message to the first finished lesson", async () => {
    await seed();
    const { funnel } = await overviewStats(app.store.db, app.content, app.clock.now());
    expect(funnel).toEqual([
      { stage: "created", count: 7 },
      { stage: "language", count: 6 },
      { stage: "city", count: 5 },
      { stage: "consent", count: 5 },
      { stage: "lessonStarted", count: 3 },
      { stage: "lessonFinished", count: 2 },
    ]);
  });

  it("counts meeting answers, the waiting list and who came", async () => {
    const { now, t1, t2 } = await seed();
    const meeting = await createMeeting(
      app.store.db,
      {
        title: { en: "Phone help", de: "Handy-Hilfe" },
        description: { en: "Bring your phone." },
        startsAt: new Date(now.getTime() + 2 * day),
        endsAt: new Date(now.getTime() + 2 * day + 3_600_000),
        timeZone: "Europe/Stockholm",
        place: "Library",
        mapUrl: null,
        onlineUrl: null,
        city: "lund",
        languages: ["en"],
        capacity: 2,
      },
      null,
      now,
    );
    await answerMeeting(app.store.db, meeting, t1, "yes", now);
    await answerMeeting(app.store.db, meeting, t2, "yes", now);
    await answerMeeting(app.store.db, meeting, "whatsapp:3", "yes", now);
    await answerMeeting(app.store.db, meeting, "web:x4", "maybe", now);
    await answerMeeting(app.store.db, meeting, "console:amira", "no", now);
    const ref = (await guestsOf(app.store.db, meeting.id)).find((g) => g.answer === "yes" && !g.waiting)?.ref ?? "";
    await setAttendance(app.store.db, meeting.id, [{ ref, attended: true }]);
    const { meetings } = await overviewStats(app.store.db, app.content, now);
    expect(meetings).toEqual([
      {
        id: meeting.id,
        title: { en: "Phone help", de: "Handy-Hilfe" },
        startsAt: meeting.startsAt.toISOString(),
        timeZone: "Europe/Stockholm",
        city: "lund",
        status: "planned",
        capacity: 2,
        yes: 2,
        maybe: 1,
        waiting: 1,
        attended: 1,
      },
    ]);
  });
});
