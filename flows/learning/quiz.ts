/**
 * The quiz after a lesson: one question at a time, its options in the person's
 * own shuffled order, immediate feedback with the explanation, a score at the
 * end, and a retry. Wrong answers go to spaced review; the lesson is done only
 * when the quiz reaches the pass mark (75%, src/learning/passing.ts), and the
 * quiz that completes a course says so. The first time a person
 * leaves a quiz's result (not to retry), they are asked once whether their
 * answers may be used for research (src/research/feature.ts).
 */
import { assign, emit, setup } from "xstate";
import type { ContentPack } from "../../src/content/pack.ts";
import { optionOrder } from "../../src/learning/option-order.ts";
import { neededToPass, passed } from "../../src/learning/passing.ts";
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
import { feedbackReply, isCorrect, pickedOption, questionReply } from "./quiz-kit.ts";

interface QuizContext {
  lessonId: string;
  index: number;
  score: number;
  /** The person's option order (src/learning/option-order.ts). */
  seed: string;
  /** Lessons the person had completed when the quiz started: a passed quiz may finish the course. */
  completed: string[];
  /** Ask the research question once when the person leaves the result (src/research/feature.ts decides). */
  askResearch?: boolean;
  /** Where to go after the research question. */
  leaveTo?: "nextLesson" | "toLessons" | "toMenu";
}

/** What the quiz reads from storage when it starts. */
export interface QuizData {
  /** True until the person has been asked whether their answers may be used for research. */
  askResearch?: boolean;
  /** The person's option order seed (src/learning/feature.ts). */
  seed?: string;
  /** The lessons the person has completed. */
  completed?: readonly string[];
  /** This lesson's quiz left before its result: it goes on after the questions answered. */
  underway?: { answered: number; score: number };
}

const researchChoices: ReplyChoice[] = [
  { ...choice("research.yes", "settings.research.yes"), consent: true },
  choice("research.no", "settings.research.no"),
];

/** The result's choice that leaves for each destination. */
const leaveChoice = { nextLesson: "quiz.nextLesson", toLessons: "nav.lessons", toMenu: "nav.menu" } as const;

/**
 * Builds the quiz flow over a content pack. Start it with `{ lesson }` in its params.
 *
 * @example
 * registry.addFlow(createQuizFlow(pack));
 */
export function createQuizFlow(pack: ContentPack): FlowDefinition {
  const questionsOf = (context: QuizContext) => pack.lesson(context.lessonId)?.quiz ?? [];
  const orderOf = (context: QuizContext) => {
    const question = questionsOf(context)[context.index];
    return optionOrder(context.seed, `${context.lessonId}/${question?.id}`, question?.options.length ?? 0);
  };
  const answerPicked = (context: QuizContext, event: FlowEvent): number | undefined =>
    event.type === "user.choice" ? pickedOption(event.choiceId, orderOf(context)) : undefined;
  /** The course this lesson finishes, when passing it completes every lesson of the course. */
  const finishedCourse = (context: QuizContext) => {
    const lesson = pack.lesson(context.lessonId);
    const course = lesson ? pack.course(lesson.course) : undefined;
    if (!course) return undefined;
    // Only a passed quiz finishes its lesson (a failed last quiz must not offer the certificate).
    if (!passed(context.score, questionsOf(context).length)) return undefined;
    const done = new Set([...context.completed, context.lessonId]);
    const all = pack.lessonsOf(course.id);
    // A lesson its course no longer lists (reached by an old link) finishes nothing.
    if (!all.some((l) => l.id === context.lessonId)) return undefined;
    // Only the quiz that completes the course says so, not every retry after it.
    return all.every((l) => done.has(l.id)) && !context.completed.includes(context.lessonId)
      ? { course, all }
      : undefined;
  };

  const notYetPassed = (context: QuizContext) =>
    !passed(context.score, questionsOf(context).length) && !context.completed.includes(context.lessonId);
  const resultChoices = (context: QuizContext): ReplyChoice[] => [
    // The quiz that finishes a course offers its certificate first (flows/certificate.ts).
    ...(finishedCourse(context) ? [choice("quiz.certificate", "learning.quiz.certificate")] : []),
    choice("quiz.retry", "learning.quiz.retry"),
    // The result says "read the lesson again": a button that does it, from its first step.
    ...(notYetPassed(context) ? [choice("quiz.reread", "learning.quiz.reread")] : []),
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
        return answerPicked(context, event) !== undefined;
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
        return {
          type: "bot.reply",
          reply: question ? questionReply(question, header, orderOf(context)) : { kind: "text", lines: [] },
        };
      }),
      giveFeedback: emit(({ context, event }) => {
        const question = questionsOf(context)[context.index];
        return {
          type: "bot.reply",
          reply: question
            ? feedbackReply(question, answerPicked(context, event) ?? 0, orderOf(context))
            : { kind: "text", lines: [] },
        };
      }),
      recordAnswer: emit(({ context, event }) => {
        const question = questionsOf(context)[context.index];
        const correct = question ? isCorrect(question, answerPicked(context, event) ?? -1) : false;
        return effect({
          kind: "feature.learning.answer",
          data: { lesson: context.lessonId, question: question?.id, correct, source: "quiz" },
        });
      }),
      count: assign(({ context, event }) => {
        const question = questionsOf(context)[context.index];
        const right = question ? isCorrect(question, answerPicked(context, event) ?? -1) : false;
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
        // A retry of a lesson already done may score lower; it stays done, so "not yet" would be untrue.
        if (notYetPassed(context)) {
          // Not done yet: the retry comes first, and the lesson stays open in the list.
          return ask(
            [msg("learning.quiz.notYet", { score: context.score, total, need: neededToPass(total) })],
            resultChoices(context),
          );
        }
        const key = context.score === total ? "learning.quiz.perfect" : "learning.quiz.score";
        const course = finishedCourse(context);
        const lines = [msg(key, { score: context.score, total })];
        if (course)
          lines.push(msg("learning.quiz.courseDone", { course: course.course.title, total: course.all.length }));
        return ask(lines, resultChoices(context));
      }),
      rememberPassed: assign(({ context }) =>
        passed(context.score, questionsOf(context).length) && !context.completed.includes(context.lessonId)
          ? { completed: [...context.completed, context.lessonId] }
          : {},
      ),
    },
  }).createMachine({
    id: "quiz",
    output: exitOutput,
    context: ({ input }) => ({
      lessonId: input.params.lesson ?? "",
      index: (input.data as QuizData | undefined)?.underway?.answered ?? 0,
      score: (input.data as QuizData | undefined)?.underway?.score ?? 0,
      askResearch: (input.data as QuizData | undefined)?.askResearch === true,
      seed: (input.data as QuizData | undefined)?.seed ?? "",
      completed: [...((input.data as QuizData | undefined)?.completed ?? [])],
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
        entry: ["saveResult", "showScore", "rememberPassed"],
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "quiz.retry" } }, target: "asking", actions: "reset" },
            { guard: { type: "picked", params: { id: "quiz.reread" } }, target: "reread" },
            { guard: { type: "picked", params: { id: "quiz.certificate" } }, target: "certificate" },
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
      reread: {
        type: "final",
        output: ({ context }) => ({ next: "lessons", params: { lesson: context.lessonId, from: "start" } }),
      },
      nextLesson: {
        type: "final",
        output: ({ context }) => ({ next: "lessons", params: { lesson: pack.nextLesson(context.lessonId)?.id ?? "" } }),
      },
      toLessons: {
        type: "final",
        output: ({ context }) => ({ next: "lessons", params: { course: pack.lesson(context.lessonId)?.course ?? "" } }),
      },
      certificate: {
        type: "final",
        output: ({ context }) => ({
          next: "certificate",
          params: { course: pack.lesson(context.lessonId)?.course ?? "" },
        }),
      },
      toMenu: { type: "final", output: { next: "menu" } },
    },
  });

  // Once the result is saved, nothing is lost by leaving: "where is a doctor?" typed there is searched.
  // (Not the research question: it is asked once, and a search would leave it unanswered for good.)
  return { id: "quiz", version: 2, machine, searchableStates: ["result"], sharesSteps: true };
}
