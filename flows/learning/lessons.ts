/**
 * Lessons: pick a course, pick a lesson (or continue where you left off),
 * read it a step at a time, then take its quiz. Each step reached is saved,
 * so a lesson can be continued days later.
 */
import { and, assign, emit, enqueueActions, not, setup } from "xstate";
import type { ContentPack } from "../../src/content/pack.ts";
import type { Lesson } from "../../src/content/schema.ts";
import {
  ask,
  choice,
  choiceAfter,
  effect,
  exitOutput,
  type FlowDefinition,
  flowTypes,
  type Line,
  msg,
  picked,
  type ReplyChoice,
} from "../kit.ts";

/** What the lesson flow reads from storage when it starts. */
export interface LessonsData {
  positions: Readonly<Record<string, number>>;
  completed: readonly string[];
  last: string | null;
}

interface LessonsContext {
  /** The reader's language: a step's recording is sent to people reading the language it is in. */
  language?: string;
  courseId: string | null;
  lessonId: string | null;
  step: number;
  positions: Record<string, number>;
  completed: string[];
  last: string | null;
}

/**
 * Builds the lessons flow over a content pack.
 *
 * @example
 * registry.addFlow(createLessonsFlow(pack));
 */
export function createLessonsFlow(pack: ContentPack): FlowDefinition {
  const lessonOf = (context: LessonsContext): Lesson | undefined => pack.lesson(context.lessonId ?? "");

  const courseChoices = (context: LessonsContext): ReplyChoice[] => {
    const resume = pack.lesson(context.last ?? "");
    const continueChoice: ReplyChoice[] = resume
      ? [{ id: "continue", label: msg("learning.continue"), description: msg("common.raw", { text: resume.title }) }]
      : [];
    const courses = pack.courses.map((c) => {
      const lessons = pack.lessonsOf(c.id);
      const done = lessons.filter((l) => context.completed.includes(l.id)).length;
      return {
        id: `course.${c.id}`,
        label: msg("common.raw", { text: c.title }),
        description: msg("learning.courseProgress", { done, total: lessons.length }),
      };
    });
    return [...continueChoice, ...courses];
  };

  const courseFinished = (context: LessonsContext) => {
    const lessons = pack.lessonsOf(context.courseId ?? "");
    return lessons.length > 0 && lessons.every((l) => context.completed.includes(l.id));
  };

  const lessonChoices = (context: LessonsContext): ReplyChoice[] => [
    // A finished course's certificate stays one tap away (flows/certificate.ts sends it again).
    ...(courseFinished(context) ? [choice("course.certificate", "learning.certificate")] : []),
    ...pack.lessonsOf(context.courseId ?? "").map((l) => ({
      id: `lesson.${l.id}`,
      label: msg("common.raw", { text: l.title }),
      description: context.completed.includes(l.id)
        ? msg("learning.lessonDone")
        : context.positions[l.id] !== undefined
          ? msg("learning.lessonStarted")
          : msg("common.raw", { text: l.summary }),
    })),
    choice("nav.courses", "learning.allCourses"),
  ];

  const stepLines = (context: LessonsContext): Line[] => {
    const lesson = lessonOf(context);
    const step = lesson?.steps[context.step];
    if (!lesson || !step) return [msg("learning.missing")];
    const header = msg("learning.stepHeader", { title: lesson.title, n: context.step + 1, total: lesson.steps.length });
    const link = step.link ? [msg("learning.link", { url: step.link })] : [];
    return [header, msg("common.raw", { text: step.text }), ...link];
  };

  const isLastStep = (context: LessonsContext) => context.step >= (lessonOf(context)?.steps.length ?? 1) - 1;

  const stepChoices = (context: LessonsContext): ReplyChoice[] => [
    isLastStep(context)
      ? { ...choice("step.quiz", "learning.takeQuiz"), role: "next" }
      : choice("step.next", "learning.next"),
    choice("step.restart", "learning.restart"),
    choice("nav.lessons", "learning.allLessons"),
  ];

  const openLesson = (id: string, context: LessonsContext) => {
    const lesson = pack.lesson(id);
    const saved = context.positions[id] ?? 0;
    return {
      lessonId: id,
      courseId: lesson?.course ?? context.courseId,
      step: Math.min(saved, (lesson?.steps.length ?? 1) - 1),
    };
  };

  const machine = setup({
    types: flowTypes<LessonsContext>(),
    guards: {
      picked,
      pickedCourse: ({ event }) => pack.course(choiceAfter(event, "course.") ?? "") !== undefined,
      pickedLesson: ({ event }) => pack.lesson(choiceAfter(event, "lesson.") ?? "") !== undefined,
      canContinue: ({ context }) => pack.lesson(context.last ?? "") !== undefined,
      hasLesson: ({ context }) => lessonOf(context) !== undefined,
      hasCourse: ({ context }) => pack.course(context.courseId ?? "") !== undefined,
      atFirstStep: ({ context }) => context.step === 0,
      lastStep: ({ context }) => isLastStep(context),
    },
    actions: {
      showCourses: emit(({ context }) => ask([msg("learning.coursesTitle")], courseChoices(context))),
      showLessons: emit(({ context }) => {
        const course = pack.course(context.courseId ?? "");
        const title = msg("common.raw", { text: course?.title ?? { en: "" } });
        return ask([title, msg("learning.lessonsTitle")], lessonChoices(context));
      }),
      showStep: enqueueActions(({ context, enqueue }) => {
        // A step's picture goes first, then its text with the buttons.
        const step = lessonOf(context)?.steps[context.step];
        if (step?.image) {
          enqueue.emit({ type: "bot.reply", reply: { kind: "media", mediaKind: "image", url: step.image } });
        }
        // A recording in the reader's own language only: one in another language would not help.
        const audio = step?.audio?.[context.language ?? ""];
        if (audio) enqueue.emit({ type: "bot.reply", reply: { kind: "media", mediaKind: "audio", url: audio } });
        enqueue.emit(ask(stepLines(context), stepChoices(context)));
      }),
      saveStep: emit(({ context }) =>
        effect({ kind: "feature.learning.step", data: { lesson: context.lessonId, step: context.step } }),
      ),
      chooseCourse: assign(({ event }) => ({ courseId: choiceAfter(event, "course.") ?? null })),
      chooseLesson: assign(({ event, context }) => openLesson(choiceAfter(event, "lesson.") ?? "", context)),
      continueLast: assign(({ context }) => openLesson(context.last ?? "", context)),
      nextStep: assign(({ context }) => ({ step: context.step + 1 })),
      previousStep: assign(({ context }) => ({ step: Math.max(0, context.step - 1) })),
      restart: assign(() => ({ step: 0 })),
      rememberStep: assign(({ context }) => ({
        positions: { ...context.positions, [context.lessonId ?? ""]: context.step },
        last: context.lessonId,
      })),
    },
  }).createMachine({
    id: "lessons",
    output: exitOutput,
    context: ({ input }) => {
      const data = (input.data ?? { positions: {}, completed: [], last: null }) as LessonsData;
      return {
        language: input.user.language,
        courseId: input.params.course ?? null,
        // `resume` (after "stop" then "continue"): the lesson the person was in, at their saved step.
        lessonId: input.params.lesson ?? (input.params.resume ? data.last : null),
        step: 0,
        // "Read the lesson again" after a quiz: from its first step, not where the person left it.
        positions:
          input.params.from === "start" && input.params.lesson
            ? { ...data.positions, [input.params.lesson]: 0 }
            : { ...data.positions },
        completed: [...data.completed],
        last: data.last,
      };
    },
    initial: "entry",
    states: {
      entry: {
        always: [
          {
            guard: "hasLesson",
            target: "step",
            actions: assign(({ context }) => openLesson(context.lessonId ?? "", context)),
          },
          { guard: "hasCourse", target: "lessons" },
          { target: "courses" },
        ],
      },
      courses: {
        entry: "showCourses",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "continue" } }, target: "step", actions: "continueLast" },
            { guard: "pickedCourse", target: "lessons", actions: "chooseCourse" },
          ],
          "nav.back": "leaving",
        },
      },
      lessons: {
        entry: "showLessons",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "course.certificate" } }, target: "certificate" },
            { guard: "pickedLesson", target: "step", actions: "chooseLesson" },
            { guard: { type: "picked", params: { id: "nav.courses" } }, target: "courses" },
          ],
          "nav.back": "courses",
        },
      },
      step: {
        entry: ["rememberStep", "saveStep", "showStep"],
        on: {
          "user.choice": [
            // Next and quiz are checked against the step too: a saved "next" must never run past the end.
            {
              guard: and([{ type: "picked", params: { id: "step.next" } }, not("lastStep")]),
              target: "step",
              reenter: true,
              actions: "nextStep",
            },
            {
              guard: { type: "picked", params: { id: "step.restart" } },
              target: "step",
              reenter: true,
              actions: "restart",
            },
            { guard: and([{ type: "picked", params: { id: "step.quiz" } }, "lastStep"]), target: "quiz" },
            { guard: { type: "picked", params: { id: "nav.lessons" } }, target: "lessons" },
          ],
          "nav.back": [
            { guard: "atFirstStep", target: "lessons" },
            { target: "step", reenter: true, actions: "previousStep" },
          ],
        },
      },
      quiz: {
        type: "final",
        output: ({ context }) => ({ next: "quiz", params: { lesson: context.lessonId ?? "" } }),
      },
      certificate: {
        type: "final",
        output: ({ context }) => ({ next: "certificate", params: { course: context.courseId ?? "" } }),
      },
      leaving: { type: "final", output: { next: "menu" } },
    },
  });

  return {
    id: "lessons",
    version: 1,
    machine,
    sharesSteps: true,
    menu: { order: 10, label: msg("learning.menuEntry") },
  };
}
