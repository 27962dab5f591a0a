/**
 * The placement check: 6 to 8 questions across DigComp's five areas (content/placement/check.yaml),
 * about two minutes, offered after onboarding and in the menu. Options come in the person's own order
 * and "I don't know" is always there, so nobody has to guess. The result shows right answers per area
 * and recommends a course to start with (src/learning/placement.ts). Nothing is stored: the profile is
 * shown, not kept.
 */
import { assign, emit, setup } from "xstate";
import type { ContentPack } from "../src/content/pack.ts";
import type { PlacementQuestion } from "../src/content/schema.ts";
import { optionOrder } from "../src/learning/option-order.ts";
import { areaScores, recommendCourse } from "../src/learning/placement.ts";
import { bar } from "../src/learning/progress-report.ts";
import {
  ask,
  choice,
  exitOutput,
  type FlowDefinition,
  type FlowEvent,
  flowTypes,
  type Line,
  type Msg,
  msg,
  picked,
  type ReplyChoice,
} from "./kit.ts";

/** What the placement flow reads when it starts (src/learning/feature.ts). */
export interface PlacementData {
  seed?: string;
  completed?: readonly string[];
}

interface PlacementContext {
  index: number;
  /** Question id → answered right. */
  answers: Record<string, boolean>;
  seed: string;
  completed: string[];
  /** The course the result recommends, once shown. */
  recommended: string | null;
}

const dontKnow = "placement.dontKnow";

/**
 * Builds the placement flow over a content pack (a pack without a check has no such flow's menu entry).
 *
 * @example
 * registry.addFlow(createPlacementFlow(pack));
 */
export function createPlacementFlow(pack: ContentPack): FlowDefinition {
  const questions = pack.placement?.questions ?? [];
  const orderOf = (context: PlacementContext, q: PlacementQuestion) =>
    optionOrder(context.seed, `placement/${q.id}`, q.options.length);
  /** The content index of the option picked, -1 for "I don't know", undefined for anything else. */
  const pickedIndex = (context: PlacementContext, event: FlowEvent): number | undefined => {
    if (event.type !== "user.choice") return undefined;
    if (event.choiceId === dontKnow) return -1;
    const match = /^placement\.answer\.(\d)$/.exec(event.choiceId);
    const q = questions[context.index];
    if (!match || !q) return undefined;
    return orderOf(context, q)[Number(match[1])];
  };

  const questionLines = (context: PlacementContext, q: PlacementQuestion): Line[] => {
    const shown = orderOf(context, q).flatMap((i) => q.options[i] ?? []);
    const options: Msg[] = shown.map((o, i) => msg("learning.quiz.option", { n: i + 1, text: o.text }));
    return [
      msg("placement.header", { n: context.index + 1, total: questions.length }),
      msg("common.raw", { text: q.question }),
      options,
    ];
  };
  const questionChoices = (context: PlacementContext, q: PlacementQuestion): ReplyChoice[] => [
    ...orderOf(context, q).map((i, shownAt) => ({
      id: `placement.answer.${shownAt}`,
      label: msg("common.raw", { text: String(shownAt + 1) }),
      aliases: [msg("common.raw", { text: q.options[i]?.text ?? { en: "" } })],
    })),
    choice(dontKnow, "placement.dontKnow"),
  ];

  const machine = setup({
    types: flowTypes<PlacementContext>(),
    guards: {
      picked,
      hasQuestions: () => questions.length > 0,
      answered: ({ context, event }) => pickedIndex(context, event) !== undefined,
      moreQuestions: ({ context }) => context.index < questions.length,
    },
    actions: {
      askStart: emit(() =>
        ask(
          [msg("placement.intro", { total: questions.length })],
          [
            { ...choice("placement.start", "placement.start"), role: "yes" as const },
            { ...choice("nav.menu", "placement.notNow"), role: "no" as const },
          ],
        ),
      ),
      askQuestion: emit(({ context }) => {
        const q = questions[context.index] as PlacementQuestion;
        return ask(questionLines(context, q), questionChoices(context, q));
      }),
      record: assign(({ context, event }) => {
        const q = questions[context.index];
        const index = pickedIndex(context, event) ?? -1;
        const right = q !== undefined && index >= 0 && q.options[index]?.correct === true;
        return { index: context.index + 1, answers: q ? { ...context.answers, [q.id]: right } : context.answers };
      }),
      recommend: assign(({ context }) => {
        if (!pack.placement) return {};
        const found = recommendCourse(pack, areaScores(pack.placement, context.answers), context.completed);
        return { recommended: found?.course.id ?? null };
      }),
      showResult: emit(({ context }) => {
        const check = pack.placement;
        const scores = check ? areaScores(check, context.answers) : [];
        const profile: Msg[] = scores.map((s) =>
          msg(`placement.area${s.area}`, {
            bar: bar(s.total > 0 ? s.right / s.total : 0),
            right: s.right,
            total: s.total,
          }),
        );
        const found = check ? recommendCourse(pack, scores, context.completed) : undefined;
        const lines: Line[] = [msg("placement.profileTitle"), profile];
        if (found)
          lines.push(
            msg(found.allRight ? "placement.allRight" : "placement.recommend", { course: found.course.title }),
          );
        return ask(lines, [
          ...(found ? [{ ...choice("placement.startCourse", "placement.startCourse"), role: "next" as const }] : []),
          choice("nav.courses", "placement.allCourses"),
          choice("nav.menu", "common.toMenu"),
        ]);
      }),
    },
  }).createMachine({
    id: "placement",
    output: exitOutput,
    context: ({ input }) => {
      const data = (input.data as PlacementData | undefined) ?? {};
      return {
        index: 0,
        answers: {},
        seed: data.seed ?? "",
        completed: [...(data.completed ?? [])],
        recommended: null,
      };
    },
    initial: "entry",
    states: {
      entry: { always: [{ guard: "hasQuestions", target: "intro" }, { target: "toMenu" }] },
      intro: {
        entry: "askStart",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "placement.start" } }, target: "asking" },
            { guard: { type: "picked", params: { id: "nav.menu" } }, target: "toMenu" },
          ],
          "nav.back": "toMenu",
        },
      },
      asking: {
        entry: "askQuestion",
        on: {
          "user.choice": { guard: "answered", actions: "record", target: "answered" },
          "nav.back": "toMenu",
        },
      },
      answered: { always: [{ guard: "moreQuestions", target: "asking" }, { target: "result" }] },
      result: {
        entry: ["recommend", "showResult"],
        on: {
          "user.choice": [
            {
              guard: { type: "picked", params: { id: "placement.startCourse" } },
              target: "toCourse",
            },
            { guard: { type: "picked", params: { id: "nav.courses" } }, target: "toCourses" },
            { guard: { type: "picked", params: { id: "nav.menu" } }, target: "toMenu" },
          ],
          "nav.back": "toMenu",
        },
      },
      toCourse: {
        type: "final",
        output: ({ context }) => ({
          next: "lessons",
          params: context.recommended ? { course: context.recommended } : {},
        }),
      },
      toCourses: { type: "final", output: { next: "lessons" } },
      toMenu: { type: "final", output: { next: "menu" } },
    },
  });

  return {
    id: "placement",
    version: 1,
    machine,
    sharesSteps: true,
    ...(questions.length > 0
      ? { menu: { order: 12, label: msg("placement.menuEntry"), afterOnboarding: msg("placement.afterOnboarding") } }
      : {}),
  };
}
