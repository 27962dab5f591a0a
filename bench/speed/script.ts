/**
 * What each person types in the quiz workload: onboarding, the first lesson of the first course (five
 * pages) and its five-question quiz, as a person would type it. The peer's conversation has as many
 * steps, so both systems handle the same number of messages per person.
 */
import type { ContentPack } from "../../src/content/pack.ts";
import { learnerSeed, optionOrder } from "../../src/learning/option-order.ts";

/**
 * The script with fixed answers at the end (the peer's quiz keeps its options in one order). Lotse shows
 * each person the options in an order of their own: `lotseQuizScriptFor` gives a person's answers.
 */
export const lotseQuizScript: readonly string[] = [
  "/start",
  "English",
  "Lund",
  "yes",
  "2",
  "lessons",
  "1",
  "1",
  "next",
  "next",
  "next",
  "next",
  "take the quiz",
  "1",
  "2",
  "1",
  "3",
  "2",
];

/**
 * One person's script for Lotse: the same lines, the quiz answered right at the places this person sees
 * the right options (src/learning/option-order.ts), so the lesson counts as done.
 *
 * @example
 * lotseQuizScriptFor(app.content, "telegram:100000").slice(-4); // e.g. ["1", "1", "3", "2"]
 */
export function lotseQuizScriptFor(pack: ContentPack, address: string): string[] {
  // "lessons", "1", "1": the first lesson of the first course.
  const lesson = pack.lessonsOf(pack.courses[0]?.id ?? "")[0];
  const quiz = lesson?.quiz ?? [];
  const answers = quiz.map((q) => {
    const order = optionOrder(learnerSeed(address), `${lesson?.id}/${q.id}`, q.options.length);
    return String(order.indexOf(q.options.findIndex((o) => o.correct)) + 1);
  });
  if (answers.length !== quiz.length || answers.length > lotseQuizScript.length)
    throw new Error("lotse-quiz: the first lesson's quiz does not fit the script");
  return [...lotseQuizScript.slice(0, lotseQuizScript.length - answers.length), ...answers];
}
