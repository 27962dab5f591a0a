/**
 * Answers to a question typed anywhere ("where is a doctor?", "doctor",
 * "أين أجد طبيبا"): the engine searches services of the person's city,
 * lessons, meetings and return information, and this flow shows the best few
 * as choices, with a way back to where the person was. Picking one opens it
 * through its deep link.
 */
import { emit, setup } from "xstate";
import { ask, choice, exitOutput, type FlowDefinition, flowTypes, msg, type ReplyChoice } from "./kit.ts";

/** One answer as the engine passes it (`params.found`, JSON). */
export interface FoundAnswer {
  kind: string;
  label: Readonly<Record<string, string>>;
  link: string;
}

interface AskContext {
  question: string;
  found: FoundAnswer[];
  /** The flow the person was in, to go back to. */
  from: string | null;
}

const icons: Record<string, string> = { service: "📍", lesson: "📘", meeting: "📅", return: "🧭", class: "👥" };

function parseFound(json: string | undefined): FoundAnswer[] {
  try {
    const value = JSON.parse(json ?? "[]") as unknown;
    return Array.isArray(value) ? (value as FoundAnswer[]) : [];
  } catch {
    return [];
  }
}

const answerChoices = (context: AskContext): ReplyChoice[] => [
  ...context.found.map((a, i) => ({
    id: `ans.${i}`,
    label: msg("ask.answer", { icon: icons[a.kind] ?? "•", text: a.label }),
  })),
  context.from && context.from !== "menu" ? choice("ans.back", "ask.backToWhere") : choice("ans.menu", "common.toMenu"),
];

const machine = setup({
  types: flowTypes<AskContext>(),
  guards: {
    pickedAnswer: ({ context, event }) =>
      event.type === "user.choice" && context.found[Number(event.choiceId.slice(4))] !== undefined,
  },
  actions: {
    showAnswers: emit(({ context }) =>
      ask([msg("ask.found", { question: context.question.trim().slice(0, 60) })], answerChoices(context)),
    ),
  },
}).createMachine({
  id: "ask",
  output: exitOutput,
  context: ({ input }) => ({
    question: input.params.q ?? "",
    found: parseFound(input.params.found),
    from: input.params.from ?? null,
  }),
  initial: "answers",
  states: {
    answers: {
      entry: "showAnswers",
      on: {
        "user.choice": [
          {
            guard: "pickedAnswer",
            target: "opening",
          },
          { guard: ({ event }) => event.type === "user.choice" && event.choiceId === "ans.back", target: "back" },
          { target: "menu" },
        ],
        "nav.back": "back",
      },
    },
    opening: {
      type: "final",
      output: ({ context, event }) => {
        const index = event.type === "user.choice" ? Number(event.choiceId.slice(4)) : -1;
        return { next: "menu", params: { link: context.found[index]?.link ?? "" } };
      },
    },
    // Back to the flow the person was in, at their saved place (a lesson resumes at its step).
    back: { type: "final", output: ({ context }) => ({ next: context.from ?? "menu", params: { resume: "1" } }) },
    menu: { type: "final", output: { next: "menu" } },
  },
});

/** The answers to a question typed anywhere. */
export const askFlow: FlowDefinition = { id: "ask", version: 1, machine };
