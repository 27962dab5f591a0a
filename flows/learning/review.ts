/**
 * Spaced review: the questions that are due, one at a time, with the same
 * feedback as the quiz. Right answers come back later (3, then 7 days), wrong
 * ones tomorrow. Offered in the menu only when something is due.
 */
import { assign, emit, setup } from "xstate";
import type { ContentPack } from "../../src/content/pack.ts";
import { optionOrder } from "../../src/learning/option-order.ts";
import { effect, exitOutput, type FlowDefinition, type FlowEvent, flowTypes, msg, say } from "../kit.ts";
import { feedbackReply, isCorrect, pickedOption, questionReply } from "./quiz-kit.ts";

/** What the review flow reads from storage: the due questions, oldest first, and the person's option order seed. */
export interface ReviewData {
  due: readonly { lesson: string; question: string }[];
  seed?: string;
}

interface ReviewContext {
  items: { lesson: string; question: string }[];
  index: number;
  score: number;
  /** The person's option order (src/learning/option-order.ts): a review shows options as the quiz did. */
  seed: string;
}

/**
 * Builds the review flow over a content pack.
 *
 * @example
 * registry.addFlow(createReviewFlow(pack));
 */
export function createReviewFlow(pack: ContentPack): FlowDefinition {
  const current = (context: ReviewContext) => {
    const item = context.items[context.index];
    return item ? pack.question(item.lesson, item.question) : undefined;
  };
  const orderOf = (context: ReviewContext) => {
    const item = context.items[context.index];
    return optionOrder(context.seed, `${item?.lesson}/${item?.question}`, current(context)?.options.length ?? 0);
  };
  const answerPicked = (context: ReviewContext, event: FlowEvent): number | undefined =>
    event.type === "user.choice" ? pickedOption(event.choiceId, orderOf(context)) : undefined;

  const machine = setup({
    types: flowTypes<ReviewContext>(),
    guards: {
      hasItems: ({ context }) => context.items.length > 0,
      validAnswer: ({ context, event }) => {
        return answerPicked(context, event) !== undefined;
      },
      moreItems: ({ context }) => context.index < context.items.length,
    },
    actions: {
      askQuestion: emit(({ context }) => {
        const question = current(context);
        const header = msg("learning.review.header", { n: context.index + 1, total: context.items.length });
        return {
          type: "bot.reply",
          reply: question ? questionReply(question, header, orderOf(context)) : { kind: "text", lines: [] },
        };
      }),
      giveFeedback: emit(({ context, event }) => {
        const question = current(context);
        return {
          type: "bot.reply",
          reply: question
            ? feedbackReply(question, answerPicked(context, event) ?? 0, orderOf(context))
            : { kind: "text", lines: [] },
        };
      }),
      recordAnswer: emit(({ context, event }) => {
        const item = context.items[context.index];
        const question = current(context);
        const correct = question ? isCorrect(question, answerPicked(context, event) ?? -1) : false;
        return effect({
          kind: "feature.learning.answer",
          data: { lesson: item?.lesson, question: item?.question, correct },
        });
      }),
      count: assign(({ context, event }) => {
        const question = current(context);
        const right = question ? isCorrect(question, answerPicked(context, event) ?? -1) : false;
        return { index: context.index + 1, score: context.score + (right ? 1 : 0) };
      }),
      nothingDue: emit(() => say(msg("learning.review.nothingDue"))),
      summary: emit(({ context }) =>
        say(msg("learning.review.done", { score: context.score, total: context.items.length })),
      ),
    },
  }).createMachine({
    id: "review",
    output: exitOutput,
    context: ({ input }) => {
      const data = (input.data ?? { due: [] }) as ReviewData;
      // Only questions the pack still has: content may have changed since they were saved.
      return {
        items: data.due.filter((d) => pack.question(d.lesson, d.question)),
        index: 0,
        score: 0,
        seed: data.seed ?? "",
      };
    },
    initial: "entry",
    states: {
      entry: { always: [{ guard: "hasItems", target: "asking" }, { target: "empty" }] },
      asking: {
        entry: "askQuestion",
        on: {
          "user.choice": {
            guard: "validAnswer",
            actions: ["recordAnswer", "giveFeedback", "count"],
            target: "answered",
          },
          "nav.back": "finished",
        },
      },
      answered: { always: [{ guard: "moreItems", target: "asking" }, { target: "finished" }] },
      empty: { type: "final", entry: "nothingDue", output: { next: "menu" } },
      finished: { type: "final", entry: "summary", output: { next: "menu" } },
    },
  });

  return {
    id: "review",
    version: 1,
    machine,
    sharesSteps: true,
    menu: {
      // Last in the menu: it comes and goes, and must not shift the numbers of the others.
      order: 1000,
      label: (facts) => msg("learning.review.menuEntry", { count: facts.reviewsDue ?? 0 }),
      visible: (facts) => (facts.reviewsDue ?? 0) > 0,
    },
  };
}
