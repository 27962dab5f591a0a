/**
 * Answering a quiz or a review by number, as a person would: each person sees a question's
 * options in an order of their own (src/learning/option-order.ts), so the number to type for an
 * option depends on who types it. Tests name the option by its index in the content and type
 * what that person sees.
 */
import type { App } from "../../src/app.ts";
import { learnerSeed, optionOrder } from "../../src/learning/option-order.ts";

/**
 * The number this person sees next to one question's option (its 0-based index in the content).
 *
 * @example
 * await chat.sayAll("review", shownAnswer(app, chat.address, "strong-passwords", "q1", 2));
 */
export function shownAnswer(
  app: App,
  address: string,
  lessonId: string,
  questionId: string,
  contentIndex: number,
): string {
  const question = app.content.question(lessonId, questionId);
  if (!question) throw new Error(`no question ${lessonId}/${questionId}`);
  if (contentIndex < 0 || contentIndex >= question.options.length)
    throw new Error(`${lessonId}/${questionId} has no option ${contentIndex}`);
  const order = optionOrder(learnerSeed(address), `${lessonId}/${questionId}`, question.options.length);
  return String(order.indexOf(contentIndex) + 1);
}

/**
 * The numbers this person types to pick, for each question of a lesson's quiz in turn, the
 * option at the given 0-based index in the content.
 *
 * @example
 * // q1 wrong, the others right (strong passwords: right options 2, 1, 0, 2)
 * await chat.sayAll(...shownAnswers(app, chat.address, "strong-passwords", [1, 1, 0, 2]));
 */
export function shownAnswers(app: App, address: string, lessonId: string, contentIndexes: readonly number[]): string[] {
  const quiz = app.content.lesson(lessonId)?.quiz ?? [];
  if (contentIndexes.length > quiz.length) throw new Error(`${lessonId} has only ${quiz.length} questions`);
  return contentIndexes.map((index, i) => shownAnswer(app, address, lessonId, quiz[i]?.id ?? "", index));
}

/**
 * The numbers this person types to answer every question of a lesson's quiz right.
 *
 * @example
 * expect(await chat.sayAll(...rightAnswers(app, chat.address, "strong-passwords"))).toContain("4 of 4 right");
 */
export function rightAnswers(app: App, address: string, lessonId: string): string[] {
  const quiz = app.content.lesson(lessonId)?.quiz ?? [];
  return shownAnswers(
    app,
    address,
    lessonId,
    quiz.map((q) => q.options.findIndex((o) => o.correct)),
  );
}

/**
 * The numbers this person types to answer every question of a lesson's quiz wrong (each question's
 * first wrong option).
 *
 * @example
 * await chat.sayAll(...wrongAnswers(app, chat.address, "strong-passwords"));
 */
export function wrongAnswers(app: App, address: string, lessonId: string): string[] {
  const quiz = app.content.lesson(lessonId)?.quiz ?? [];
  return shownAnswers(
    app,
    address,
    lessonId,
    quiz.map((q) => q.options.findIndex((o) => !o.correct)),
  );
}

/** What a person types from the menu to the quiz of "Strong passwords" (its four pages read). */
export const toStrongPasswordsQuiz = [
  "lessons",
  "stay safe online",
  "strong passwords",
  "next",
  "next",
  "next",
  "next",
  "take the quiz",
] as const;
