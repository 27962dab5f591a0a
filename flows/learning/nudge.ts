/**
 * The daily nudge: a short, varied message that offers the next lesson or the
 * reviews that are due, with a way to say "not today". Started by the
 * scheduler at the learner's chosen local hour, never by a message.
 */
import { emit, setup } from "xstate";
import type { ContentPack } from "../../src/content/pack.ts";
import { ask, choice, exitOutput, type FlowDefinition, flowTypes, msg, picked, type ReplyChoice, say } from "../kit.ts";

/** What the nudge reads from storage when it starts. */
export interface NudgeData {
  /** The lesson to offer: the one left unfinished, or the next not yet done. */
  lesson: string | null;
  reviewsDue: number;
  streak: number;
  /** Picks one of the text variants, so the nudge is not the same sentence every day. */
  variant: number;
}

/** How many text variants `learning.nudge.text_<n>` has in every language. */
export const nudgeVariants = 5;

/**
 * The variant for a local day (YYYY-MM-DD), so the nudge is not the same sentence every day.
 *
 * @example
 * nudgeVariant("2026-03-02"); // 0 to 4
 */
export function nudgeVariant(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / 86_400_000) % nudgeVariants;
}

/** Flows where a person is learning: a nudge never takes their place, and "stop" there asks what is meant. */
export const learningFlowIds: ReadonlySet<string> = new Set(["lessons", "quiz", "review"]);

/**
 * Builds the nudge flow over a content pack.
 *
 * @example
 * registry.addFlow(createNudgeFlow(pack));
 */
export function createNudgeFlow(pack: ContentPack): FlowDefinition {
  const offer = (data: NudgeData): ReplyChoice[] => {
    const lesson = pack.lesson(data.lesson ?? "");
    return [
      ...(data.reviewsDue > 0 ? [choice("nudge.review", "learning.nudge.review", { count: data.reviewsDue })] : []),
      ...(lesson ? [{ ...choice("nudge.lesson", "learning.nudge.lesson"), role: "yes" as const }] : []),
      { ...choice("nudge.later", "learning.nudge.later"), role: "no" as const },
    ];
  };

  const machine = setup({
    types: flowTypes<{ data: NudgeData }>(),
    guards: {
      picked,
    },
    actions: {
      nudge: emit(({ context }) => {
        const { data } = context;
        const lesson = pack.lesson(data.lesson ?? "");
        const lines = [msg(`learning.nudge.text_${data.variant}`)];
        if (data.streak > 1) lines.push(msg("learning.nudge.streak", { count: data.streak }));
        if (lesson) lines.push(msg("learning.nudge.next", { title: lesson.title }));
        return ask(lines, offer(data));
      }),
      later: emit(() => say(msg("learning.nudge.ok"))),
    },
  }).createMachine({
    id: "nudge",
    output: exitOutput,
    context: ({ input }) => ({
      data: (input.data ?? { lesson: null, reviewsDue: 0, streak: 0, variant: 0 }) as NudgeData,
    }),
    initial: "offering",
    states: {
      offering: {
        entry: "nudge",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "nudge.review" } }, target: "review" },
            { guard: { type: "picked", params: { id: "nudge.lesson" } }, target: "lesson" },
            { guard: { type: "picked", params: { id: "nudge.later" } }, target: "later" },
          ],
          "nav.back": "later",
        },
      },
      review: { type: "final", output: { next: "review" } },
      lesson: {
        type: "final",
        output: ({ context }) => ({ next: "lessons", params: { lesson: context.data.lesson ?? "" } }),
      },
      later: { type: "final", entry: "later", output: { next: null } },
    },
  });

  return { id: "nudge", version: 1, machine };
}
