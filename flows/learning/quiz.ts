/**
 * The quiz after a lesson: one question at a time, immediate feedback with
 * the explanation, a score at the end, and a retry. Wrong answers go to spaced
 * review; finishing the quiz finishes the lesson.
 */
import { assign, emit, setup } from "xstate";
import type { ContentPack } from "../../src/content/pack.ts";
import {
  ask,
  choice,
  effect,
  exitOutput,
  type FlowDefinition,
  type FlowEvent,
  flowTypes,
  msg,
  picked,
  type ReplyChoice,
} from "../kit.ts";
import { answerIndex, feedbackReply, isCorrect, questionReply } from "./quiz-kit.ts";

interface QuizContext {
  lessonId: string;
  index: number;
  score: number;
}

const answerPicked = (event: FlowEvent): number | undefined =>
  event.type === "user.choice" ? answerIndex(event.choiceId) : undefined;

/**
 * Builds the quiz flow over a content pack. Start it with `{ lesson }` in its params.
 *
 * @example
 * registry.addFlow(createQuizFlow(pack));
 */
export function createQuizFlow(pack: ContentPack): FlowDefinition {
  const questionsOf = (context: QuizContext) => pack.lesson(context.lessonId)?.quiz ?? [];

  const resultChoices = (context: QuizContext): ReplyChoice[] => [
    choice("quiz.retry", "learning.quiz.retry"),
    pack.nextLesson(context.lessonId)
      ? { ...choice("quiz.nextLesson", "learning.quiz.nextLesson"), role: "next" as const }
      : choice("nav.menu", "common.toMenu"),
    choice("nav.lessons", "learning.allLessons"),
  ];

  const machine = setup({
    types: flowTypes<QuizContext>(),
    guards: {
      hasQuestions: ({ context }) => questionsOf(context).length > 0,
      validAnswer: ({ context, event }) => {
        const index = answerPicked(event);
        return index !== undefined && index < (questionsOf(context)[context.index]?.options.length ?? 0);
      },
      moreQuestions: ({ context }) => context.index < questionsOf(context).length,
      picked,
    },
    actions: {
      askQuestion: emit(({ context }) => {
        const questions = questionsOf(context);
        const question = questions[context.index];
        const title = pack.lesson(context.lessonId)?.title ?? { en: "" };
        const header = msg("learning.quiz.header", { title, n: context.index + 1, total: questions.length });
        return { type: "bot.reply", reply: question ? questionReply(question, header) : { kind: "text", lines: [] } };
      }),
      giveFeedback: emit(({ context, event }) => {
        const question = questionsOf(context)[context.index];
        return {
          type: "bot.reply",
          reply: question ? feedbackReply(question, answerPicked(event) ?? 0) : { kind: "text", lines: [] },
        };
      }),
      recordAnswer: emit(({ context, event }) => {
        const question = questionsOf(context)[context.index];
        const correct = question ? isCorrect(question, answerPicked(event) ?? -1) : false;
        return effect({
          kind: "feature.learning.answer",
          data: { lesson: context.lessonId, question: question?.id, correct },
        });
      }),
      count: assign(({ context, event }) => {
        const question = questionsOf(context)[context.index];
        const right = question ? isCorrect(question, answerPicked(event) ?? -1) : false;
        return { index: context.index + 1, score: context.score + (right ? 1 : 0) };
      }),
      reset: assign(() => ({ index: 0, score: 0 })),
      saveResult: emit(({ context }) =>
        effect({
          kind: "feature.learning.quizDone",
          data: { lesson: context.lessonId, score: context.score, total: questionsOf(context).length },
        }),
      ),
      showScore: emit(({ context }) => {
        const total = questionsOf(context).length;
        const key = context.score === total ? "learning.quiz.perfect" : "learning.quiz.score";
        return ask([msg(key, { score: context.score, total })], resultChoices(context));
      }),
    },
  }).createMachine({
    id: "quiz",
    output: exitOutput,
    context: ({ input }) => ({ lessonId: input.params.lesson ?? "", index: 0, score: 0 }),
    initial: "entry",
    states: {
      entry: { always: [{ guard: "hasQuestions", target: "asking" }, { target: "toLessons" }] },
      asking: {
        entry: "askQuestion",
        on: {
          "user.choice": {
            guard: "validAnswer",
            actions: ["recordAnswer", "giveFeedback", "count"],
            target: "answered",
          },
          "nav.back": "toLesson",
        },
      },
      answered: { always: [{ guard: "moreQuestions", target: "asking" }, { target: "result" }] },
      result: {
        entry: ["saveResult", "showScore"],
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "quiz.retry" } }, target: "asking", actions: "reset" },
            { guard: { type: "picked", params: { id: "quiz.nextLesson" } }, target: "nextLesson" },
            { guard: { type: "picked", params: { id: "nav.lessons" } }, target: "toLessons" },
            { guard: { type: "picked", params: { id: "nav.menu" } }, target: "toMenu" },
          ],
          "nav.back": "toLessons",
        },
      },
      toLesson: { type: "final", output: ({ context }) => ({ next: "lessons", params: { lesson: context.lessonId } }) },
      nextLesson: {
        type: "final",
        output: ({ context }) => ({ next: "lessons", params: { lesson: pack.nextLesson(context.lessonId)?.id ?? "" } }),
      },
      toLessons: {
        type: "final",
        output: ({ context }) => ({ next: "lessons", params: { course: pack.lesson(context.lessonId)?.course ?? "" } }),
      },
      toMenu: { type: "final", output: { next: "menu" } },
    },
  });

  return { id: "quiz", version: 1, machine };
}
