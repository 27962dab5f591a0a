/**
 * The research consent in the chat, through the real engine: asked once when the person leaves the
 * result of their first finished quiz, default no, changeable in the settings; and every answer
 * of the quiz is stored (right or wrong only), and gone after "delete my data".
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { researchConsent } from "../../src/research/consent.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { rightAnswers, shownAnswer, shownAnswers, toStrongPasswordsQuiz } from "../support/quiz-answers.ts";

const toQuiz = toStrongPasswordsQuiz;

describe("research consent in the chat", () => {
  let app: TestApp;
  let chat: ReturnType<typeof chatWith>;
  beforeEach(async () => {
    app = await createTestApp();
    chat = chatWith(app, "amira");
    await chat.sayAll("hi", "English", "Lund", "yes", "no news");
  });
  afterEach(() => app.dispose());

  const consent = () => researchConsent(app.store.db, chat.address as Address);
  const answers = () =>
    app.store.db
      .selectFrom("quiz_answers")
      .select(["lesson_id", "question_id", "correct", "source"])
      .where("address", "=", chat.address)
      .orderBy("id")
      .execute();
  /** What this person types to answer the strong passwords quiz all right (their options are in an order of their own). */
  const allRight = () => rightAnswers(app, chat.address, "strong-passwords");

  it("is no until asked, asked once after the first finished quiz, and yes when the person says so", async () => {
    expect(await consent()).toEqual({ consent: false, answeredAt: null });
    await chat.sayAll(...toQuiz);
    const result = await chat.sayAll(...allRight());
    expect(result).toContain("Quiz done: 5 of 5 right");
    expect(result).not.toContain("anonymous answers");
    // Retrying is not leaving: no question yet.
    expect(await chat.say("try again")).toContain("question 1 of 5");
    await chat.sayAll(...allRight());
    const question = await chat.say("next lesson");
    expect(question).toContain("One question, only this once:");
    expect(question).toContain("May we use your anonymous answers to improve the courses?");
    expect(question).toContain("1) Yes, you may");
    expect(question).toContain("2) No, thank you");
    const after = await chat.say("yes, you may");
    expect(after).toContain("Thank you! Your answers help to improve the courses.");
    // Then on to where the person was going: the next lesson.
    expect(after).toMatch(/Two-step login · 1\/\d/);
    expect(await consent()).toMatchObject({ consent: true, answeredAt: app.clock.now().toISOString() });

    // Never asked again.
    await chat.sayAll("menu", ...toQuiz);
    await chat.sayAll(...allRight());
    expect(await chat.say("all lessons")).not.toContain("anonymous answers");
  });

  it("stays no when the person goes back from the question, and is not asked again", async () => {
    await chat.sayAll(...toQuiz, ...allRight());
    expect(await chat.say("all lessons")).toContain("anonymous answers");
    expect(await chat.say("back")).toContain("Lessons. Pick one.");
    expect(await consent()).toMatchObject({ consent: false, answeredAt: app.clock.now().toISOString() });
    await chat.sayAll("menu", ...toQuiz, ...allRight());
    expect(await chat.say("all lessons")).not.toContain("anonymous answers");
  });

  it("can be changed in the settings at any time", async () => {
    const settings = await chat.sayAll("menu", "settings");
    expect(settings).toContain("Use of my answers");
    const asked = await chat.say("use of my answers");
    expect(asked).toContain("Now: no, your answers are not used for research.");
    expect(await chat.say("yes, you may")).toContain("Thank you!");
    expect((await consent()).consent).toBe(true);
    expect(await chat.say("use of my answers")).toContain("Now: yes, your answers help to improve the courses.");
    expect(await chat.say("no, thank you")).toContain("OK. Your answers are not used for research.");
    expect((await consent()).consent).toBe(false);
  });

  it("stores each quiz and review answer as right or wrong, and delete my data removes them", async () => {
    // First wrong, the others right (options by their index in the content).
    await chat.sayAll(...toQuiz, ...shownAnswers(app, chat.address, "strong-passwords", [1, 1, 0, 2]));
    expect(await answers()).toEqual([
      { lesson_id: "strong-passwords", question_id: "q1", correct: 0, source: "quiz" },
      { lesson_id: "strong-passwords", question_id: "q2", correct: 1, source: "quiz" },
      { lesson_id: "strong-passwords", question_id: "q3", correct: 1, source: "quiz" },
      { lesson_id: "strong-passwords", question_id: "q4", correct: 1, source: "quiz" },
    ]);
    app.clock.advance(24 * 3_600_000);
    expect(await chat.sayAll("menu", "review", shownAnswer(app, chat.address, "strong-passwords", "q1", 2))).toContain(
      "✓ Right. Four random words make a long password.",
    );
    expect((await answers()).at(-1)).toEqual({
      lesson_id: "strong-passwords",
      question_id: "q1",
      correct: 1,
      source: "review",
    });
    expect(await chat.say("show my data")).toContain("Your quiz answers (right or wrong): 5");
    await chat.sayAll("delete my data", "yes, delete all");
    expect(await answers()).toEqual([]);
  });
});
