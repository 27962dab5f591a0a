/**
 * A quiz question and its feedback are made once for everyone who sees them the same way
 * (flows/learning/quiz-kit.ts): the same frozen reply, so that its stored text and its message in each
 * language are worked out once. What differs between people (the order of the options, the answer
 * picked, the header) gives a reply of its own; the content pack's texts inside stay unfrozen.
 */
import { describe, expect, it } from "vitest";
import { msg } from "../../flows/kit.ts";
import { feedbackReply, questionReply } from "../../flows/learning/quiz-kit.ts";
import type { QuizQuestion } from "../../src/content/schema.ts";

const option = (en: string, correct = false) => ({
  text: { en, de: `${en} (de)` },
  correct,
  feedback: { en: `Because ${en}` },
});
const question = {
  id: "q1",
  question: { en: "Which one?" },
  explanation: { en: "That one." },
  options: [option("A"), option("B", true), option("C")],
} as unknown as QuizQuestion;
/** The lesson's title: the pack's own object, the same for every header of the lesson. */
const title = { en: "Lesson" };
const header = (n: number) => msg("learning.quiz.header", { title, n, total: 3 });

describe("quiz replies shared between people who see the same", () => {
  it("is the same frozen question for the same order and header, another for another order or header", () => {
    const first = questionReply(question, header(1), [2, 0, 1]);
    expect(questionReply(question, header(1), [2, 0, 1])).toBe(first);
    expect(questionReply(question, header(1), [0, 1, 2])).not.toBe(first);
    expect(questionReply(question, header(2), [2, 0, 1])).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first.kind === "choices" && Object.isFrozen(first.choices[0])).toBe(true);
    // The options in the order shown, numbered 1, 2, 3: C, A, B.
    expect(first.kind === "choices" && first.choices.map((c) => c.aliases?.[0]?.params?.text)).toEqual([
      question.options[2]?.text,
      question.options[0]?.text,
      question.options[1]?.text,
    ]);
    expect(Object.isFrozen(question.options[0]?.text)).toBe(false);
  });

  it("is the same feedback for the same answer and place of the right one, another otherwise", () => {
    const wrong = feedbackReply(question, 0, [2, 0, 1]);
    expect(feedbackReply(question, 0, [2, 0, 1])).toBe(wrong);
    // The right answer (B) shown at 3 here, at 2 there: the feedback names its number.
    expect(feedbackReply(question, 0, [0, 1, 2])).not.toBe(wrong);
    expect(feedbackReply(question, 1, [2, 0, 1])).not.toBe(wrong);
    expect(wrong.kind === "text" && wrong.lines[0]).toMatchObject({ params: { n: 3 } });
  });
});
