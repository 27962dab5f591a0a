/**
 * How a quiz question and its feedback look, shared by the quiz after a lesson
 * and the spaced review. Options are numbered in the text, so long answers fit
 * any channel; the buttons carry only the numbers, and typing an option's
 * text picks it too.
 */
import type { QuizQuestion } from "../../src/content/schema.ts";
import { type Line, type Msg, msg, type Reply, type ReplyChoice } from "../kit.ts";

/** The choice id of the option at `index`. */
export function answerId(index: number): string {
  return `answer.${index}`;
}

/** The option index a choice id stands for, if it is an answer. */
export function answerIndex(choiceId: string): number | undefined {
  const match = /^answer\.(\d)$/.exec(choiceId);
  return match ? Number(match[1]) : undefined;
}

/**
 * A question with its numbered options, under a header such as "Quiz · 2 of 4".
 *
 * @example
 * questionReply(question, msg("learning.quiz.header", { title, n: 1, total: 3 }));
 */
export function questionReply(question: QuizQuestion, header: Msg): Reply {
  const options: Msg[] = question.options.map((o, i) => msg("learning.quiz.option", { n: i + 1, text: o.text }));
  const choices: ReplyChoice[] = question.options.map((o, i) => ({
    id: answerId(i),
    label: msg("common.raw", { text: String(i + 1) }),
    aliases: [msg("common.raw", { text: o.text })],
  }));
  // The options are in the text: after a miss the whole question is asked again.
  return {
    kind: "choices",
    lines: [header, msg("common.raw", { text: question.question }), options],
    choices,
    reaskWhole: true,
  };
}

/**
 * Immediate feedback: right or not (with the right answer), the picked
 * option's own feedback, and the explanation.
 *
 * @example
 * feedbackReply(question, 2);
 */
export function feedbackReply(question: QuizQuestion, picked: number): Reply {
  const chosen = question.options[picked];
  const rightIndex = question.options.findIndex((o) => o.correct);
  const right = question.options[rightIndex];
  const verdict: Line = chosen?.correct
    ? msg("learning.quiz.right")
    : msg("learning.quiz.wrong", { n: rightIndex + 1, text: right?.text ?? "" });
  const lines: Line[] = [verdict];
  if (chosen) lines.push(msg("common.raw", { text: chosen.feedback }));
  lines.push(msg("learning.quiz.explanation", { text: question.explanation }));
  return { kind: "text", lines };
}

/** Whether option `picked` is the right one. */
export function isCorrect(question: QuizQuestion, picked: number): boolean {
  return question.options[picked]?.correct === true;
}
