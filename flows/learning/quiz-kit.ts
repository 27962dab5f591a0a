/**
 * How a quiz question and its feedback look, shared by the quiz after a lesson
 * and the spaced review. Options are numbered in the text, so long answers fit
 * any channel; the buttons carry only the numbers, and typing an option's
 * text picks it too. Options appear in the person's own order (`order`: the
 * original indexes as shown, src/learning/option-order.ts), so a number on the
 * screen is a position, never the content's index.
 */
import type { QuizQuestion } from "../../src/content/schema.ts";
import { frozenReply, type Line, type Msg, msg, objectNumber, type Reply, type ReplyChoice } from "../kit.ts";

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
export function questionReply(
  question: QuizQuestion,
  header: Msg,
  order: readonly number[] = identity(question),
): Reply {
  return shared(question, `q ${order.join(",")} ${keyOf(header)}`, () => buildQuestion(question, header, order));
}

function buildQuestion(question: QuizQuestion, header: Msg, order: readonly number[]): Reply {
  const shown = order.flatMap((index) => question.options[index] ?? []);
  const options: Msg[] = shown.map((o, i) => msg("learning.quiz.option", { n: i + 1, text: o.text }));
  const choices: ReplyChoice[] = shown.map((o, i) => ({
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
export function feedbackReply(
  question: QuizQuestion,
  picked: number,
  order: readonly number[] = identity(question),
): Reply {
  const rightShown = order.indexOf(question.options.findIndex((o) => o.correct));
  return shared(question, `f ${picked} ${rightShown}`, () => buildFeedback(question, picked, order));
}

function buildFeedback(question: QuizQuestion, picked: number, order: readonly number[]): Reply {
  const chosen = question.options[picked];
  const rightIndex = question.options.findIndex((o) => o.correct);
  const right = question.options[rightIndex];
  // The number the person saw next to the right answer.
  const rightShown = order.indexOf(rightIndex);
  const lines: Line[] = [];
  if (chosen?.correct) {
    // A right option's own feedback already says so ("Right. …", "Yes. …" in every course): a check
    // mark before it, not "✓ Right!" and then "Right." again.
    lines.push(msg("learning.quiz.rightFeedback", { text: chosen.feedback }));
  } else {
    lines.push(msg("learning.quiz.wrong", { n: rightShown + 1, text: right?.text ?? "" }));
    if (chosen) lines.push(msg("common.raw", { text: chosen.feedback }));
  }
  lines.push(msg("learning.quiz.explanation", { text: question.explanation }));
  return { kind: "text", lines };
}

/**
 * The content's index of the option a person picked by its shown position, or undefined.
 *
 * @example
 * pickedOption("answer.0", [2, 0, 1]); // 2
 */
export function pickedOption(choiceId: string, order: readonly number[]): number | undefined {
  const shown = answerIndex(choiceId);
  return shown === undefined ? undefined : order[shown];
}

/**
 * Replies made before, by question and what else shapes them (the order shown, the header, the
 * answer): the same frozen reply for everyone who sees the same, so that what is worked out from a
 * reply (its stored text, its message in each language) is worked out once (src/engine/prompt-codec.ts,
 * render.ts). A question has a few dozen such replies at most (orders of its options, headers).
 */
const sharedReplies = new WeakMap<QuizQuestion, Map<string, Reply>>();

function shared(question: QuizQuestion, key: string, make: () => Reply): Reply {
  let byKey = sharedReplies.get(question);
  if (byKey === undefined) {
    byKey = new Map();
    sharedReplies.set(question, byKey);
  }
  let reply = byKey.get(key);
  if (reply === undefined) {
    reply = frozenReply(make());
    byKey.set(key, reply);
  }
  return reply;
}

/** A message's key: its text key and parameters, content texts (objects) by a number of their own. */
function keyOf(message: Msg): string {
  let key = message.key;
  for (const [name, value] of Object.entries(message.params ?? {})) {
    key += ` ${name}=${typeof value === "object" ? `#${objectNumber(value)}` : String(value)}`;
  }
  return key;
}

function identity(question: QuizQuestion): number[] {
  return question.options.map((_, i) => i);
}

/** Whether option `picked` (the content's index) is the right one. */
export function isCorrect(question: QuizQuestion, picked: number): boolean {
  return question.options[picked]?.correct === true;
}
