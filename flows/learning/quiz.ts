/**
 * The quiz after a lesson: one question at a time, immediate feedback with
 * the explanation, a score at the end, and a retry. Wrong answers go to spaced
 * review; finishing the quiz finishes the lesson. The first time a person
 * leaves a quiz's result (not to retry), they are asked once whether their
 * answers may be used for research (src/research/feature.ts).
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
  say,
} from "../kit.ts";
import { answerIndex, feedbackReply, isCorrect, questionReply } from "./quiz-kit.ts";

interface QuizContext {
  lessonId: string;
  index: number;
  score: number;
  /** Ask the research question once when the person leaves the result (src/research/feature.ts decides). */
  askResearch?: boolean;
  /** Where to go after the research question. */
  leaveTo?: "nextLesson" | "toLessons" | "toMenu";
}

/** What the quiz reads from storage when it starts. */
export interface QuizData {
  /** True until the person has been asked whether their answers may be used for research. */
  askResearch?: boolean;
}

const researchChoices: ReplyChoice[] = [
  choice("research.yes", "settings.research.yes"),
  choice("research.no", "settings.research.no"),
];

/** The result's choice that leaves for each destination. */
const leaveChoice = { nextLesson: "quiz.nextLesson", toLessons: "nav.lessons", toMenu: "nav.menu" } as const;

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
      // Leaving the result (not retrying) for the first time since the research question was never asked.
      leavingFirst: ({ context, event }, params: { id: string }) =>
        context.askResearch === true && picked({ event }, params),
      leaveTo: ({ context }, params: { to: QuizContext["leaveTo"] }) => context.leaveTo === params.to,
      researchAnswer: ({ event }) =>
        picked({ event }, { id: "research.yes" }) || picked({ event }, { id: "research.no" }),
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
          data: { lesson: context.lessonId, question: question?.id, correct, source: "quiz" },
        });
      }),
      count: assign(({ context, event }) => {
        const question = questionsOf(context)[context.index];
        const right = question ? isCorrect(question, answerPicked(event) ?? -1) : false;
        return { index: context.index + 1, score: context.score + (right ? 1 : 0) };
      }),
      reset: assign(() => ({ index: 0, score: 0 })),
      leaveFor: assign((_, params: { to: QuizContext["leaveTo"] }) => ({ leaveTo: params.to, askResearch: false })),
      askResearch: emit(() => ask([msg("settings.research.once"), msg("settings.research.question")], researchChoices)),
      markAsked: emit(() => effect({ kind: "feature.research.asked", data: {} })),
      saveResearch: emit(({ event }) => {
        const yes = picked({ event }, { id: "research.yes" });
        return effect({ kind: "feature.research.set", data: { consent: yes } });
      }),
      confirmResearch: emit(({ event }) =>
        say(
          msg(picked({ event }, { id: "research.yes" }) ? "settings.research.savedYes" : "settings.research.savedNo"),
        ),
      ),
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
    context: ({ input }) => ({
      lessonId: input.params.lesson ?? "",
      index: 0,
      score: 0,
      askResearch: (input.data as QuizData | undefined)?.askResearch === true,
    }),
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
            ...(["nextLesson", "toLessons", "toMenu"] as const).map((to) => ({
              guard: { type: "leavingFirst" as const, params: { id: leaveChoice[to] } },
              target: "research",
              actions: { type: "leaveFor" as const, params: { to } },
            })),
            { guard: { type: "picked", params: { id: "quiz.nextLesson" } }, target: "nextLesson" },
            { guard: { type: "picked", params: { id: "nav.lessons" } }, target: "toLessons" },
            { guard: { type: "picked", params: { id: "nav.menu" } }, target: "toMenu" },
          ],
          "nav.back": "toLessons",
        },
      },
      // Once, after the first finished quiz: a separate, optional yes or no (default no), changeable in settings.
      research: {
        entry: ["markAsked", "askResearch"],
        on: {
          "user.choice": {
            guard: "researchAnswer",
            actions: ["saveResearch", "confirmResearch"],
            target: "leave",
          },
          "nav.back": "leave",
        },
      },
      leave: {
        always: [
          { guard: { type: "leaveTo", params: { to: "nextLesson" } }, target: "nextLesson" },
          { guard: { type: "leaveTo", params: { to: "toMenu" } }, target: "toMenu" },
          { target: "toLessons" },
        ],
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
