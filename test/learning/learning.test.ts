/**
 * Learning as a person experiences it, through the real engine: continuing
 * where they stopped, spaced review over days, and their learning data being
 * part of "my data" and of "delete my data".
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import type { Address } from "../../src/domain/address.ts";
import { isLotseError } from "../../src/domain/errors.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import {
  rightAnswers,
  shownAnswer,
  shownAnswers,
  toStrongPasswordsQuiz,
  wrongAnswers,
} from "../support/quiz-answers.ts";

const hour = 3_600_000;

describe("learning through the engine", () => {
  let app: TestApp;
  let chat: ReturnType<typeof chatWith>;
  beforeEach(async () => {
    app = await createTestApp();
    chat = chatWith(app);
    await chat.sayAll("hi", "English", "Lund", "yes", "no news");
  });
  afterEach(() => app.dispose());

  const reviewRows = () =>
    app.store.db.selectFrom("review_items").selectAll().where("address", "=", chat.address).execute();

  it("continues a lesson where the learner stopped, also after leaving for the menu", async () => {
    await chat.sayAll("lessons", "stay safe online", "strong passwords", "next", "next");
    await chat.say("menu");
    const courses = await chat.say("lessons");
    expect(courses).toContain("1) ▶ Continue - Strong passwords");
    expect(await chat.say("continue")).toMatch(/^Strong passwords · 3\/\d/);
  });

  it("brings a wrongly answered question back after a day, then 3 days after a right answer", async () => {
    await chat.sayAll(...toStrongPasswordsQuiz);
    // First wrong, the others right (options by their index in the content; the helper finds where this person sees them).
    await chat.sayAll(...shownAnswers(app, chat.address, "strong-passwords", [1, 1, 0, 2]));
    expect((await reviewRows()).map((r) => [r.question_id, Number(r.box)])).toEqual([["q1", 1]]);
    expect(await chat.say("menu")).not.toContain("Review");

    app.clock.advance(24 * hour);
    expect(await chat.say("menu")).toContain("Review (1 due)");
    expect(await chat.sayAll("review", shownAnswer(app, chat.address, "strong-passwords", "q1", 2))).toContain(
      "✓ Right. Four random words make a long password.",
    );
    const [row] = await reviewRows();
    // Three of the learner's days later, from the start of that local day (Lund, UTC+1 in March).
    expect(row && [Number(row.box), row.due_at]).toEqual([2, "2026-03-05T23:00:00.000Z"]);

    app.clock.advance(48 * hour);
    expect(await chat.say("menu")).not.toContain("Review");
    app.clock.advance(24 * hour);
    expect(await chat.say("menu")).toContain("Review (1 due)");
  });

  it("retrying a quiz starts it again from the first question", async () => {
    await chat.sayAll(...toStrongPasswordsQuiz);
    const total = app.content.lesson("strong-passwords")?.quiz.length ?? 0;
    const result = await chat.sayAll(...rightAnswers(app, chat.address, "strong-passwords"));
    expect(result).toContain(`Quiz done: ${total} of ${total} right`);
    expect(await chat.say("try again")).toContain(`question 1 of ${total}`);
  });

  it("regression: a question typed at a quiz's result was refused ('not understood'); during the quiz it still keeps the quiz", async () => {
    await chat.sayAll(...toStrongPasswordsQuiz);
    // During the quiz: not searched (the answers so far live in the quiz); the question is asked again.
    const during = await chat.say("where is a doctor?");
    expect(during).not.toContain("Here is what I found");
    expect(during).toContain("question 1 of");
    expect(await chat.sayAll(...rightAnswers(app, chat.address, "strong-passwords"))).toContain("Quiz done");
    // At the result, stored already: searched (a Dari and an Arabic trial got "not understood" here).
    const found = await chat.say("where is a doctor?");
    expect(found).toContain("Here is what I found");
    // Its way out is the menu: "back to where you were" led to the list of courses, not the result.
    expect(found).not.toContain(app.translator.t("en", "ask.backToWhere"));
    expect(found).toContain(app.translator.t("en", "common.toMenu"));
  });

  it("regression: a quiz left for the menu started again at question 1 and stored the first answers twice; now it goes on", async () => {
    await chat.sayAll(...toStrongPasswordsQuiz);
    const total = app.content.lesson("strong-passwords")?.quiz.length ?? 0;
    const right = rightAnswers(app, chat.address, "strong-passwords");
    await chat.sayAll(...right.slice(0, 2), "menu");
    // Back by the lesson: its quiz asks question 3 next.
    expect(await chat.sayAll(...toStrongPasswordsQuiz)).toContain(`question 3 of ${total}`);
    expect(await chat.sayAll(...right.slice(2))).toContain(`Quiz done: ${total} of ${total} right`);
    const answers = await app.store.db
      .selectFrom("quiz_answers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("address", "=", chat.address)
      .executeTakeFirstOrThrow();
    expect(Number(answers.n)).toBe(total);
    // After the result, taking it again starts at question 1.
    expect(await chat.say("try again")).toContain(`question 1 of ${total}`);
  });

  it("counts learning in my data and erases it with delete my data", async () => {
    await chat.sayAll(...toStrongPasswordsQuiz);
    // All wrong, so all wait for review.
    const total = app.content.lesson("strong-passwords")?.quiz.length ?? 0;
    await chat.sayAll(...wrongAnswers(app, chat.address, "strong-passwords"), "menu");
    const exported = await chat.say("show my data");
    expect(exported).toContain("Lessons you started or finished: 1");
    expect(exported).toContain("Quiz results: 1");
    expect(exported).toContain(`Questions waiting for review: ${total}`);
    expect(exported).toContain("Days you learned (for your streak): 1");
    await chat.sayAll("delete my data", "yes, delete all");
    for (const table of ["lesson_progress", "quiz_results", "review_items", "learning_days"] as const) {
      const rows = await app.store.db
        .selectFrom(table)
        .selectAll()
        .where("address", "=", chat.address as Address)
        .execute();
      expect(rows, table).toEqual([]);
    }
  });
});

describe("a broken content pack", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lotse-broken-"));
    cpSync("content", dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("stops the start with the file and field named, before anything is stored", async () => {
    writeFileSync(join(dir, "courses/safe-online/lessons/strong-passwords.yaml"), "id: strong-passwords\nversion: 1\n");
    const error = await createApp({ sqlitePath: ":memory:", contentDir: dir }).catch((e: unknown) => e);
    expect(isLotseError(error, "content.invalid")).toBe(true);
    expect((error as Error).message).toMatch(/strong-passwords\.yaml \[strong-passwords\] steps/);
  });
});
