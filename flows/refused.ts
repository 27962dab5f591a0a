/**
 * After a refusal of consent: the bot explains what it can still offer
 * without storing anything (emergency numbers, general help) and how to
 * agree later. Only the refusal itself is remembered.
 */
import { emit, setup } from "xstate";
import { ask, choice, exitOutput, type FlowDefinition, flowTypes, msg, picked, type ReplyChoice } from "./kit.ts";

const offerChoices: ReplyChoice[] = [
  choice("refused.emergency", "refused.emergency"),
  // A typed "yes" here is a change of mind (web chat trial: «هو», Pashto "yes", was not understood); it is
  // consent, so "ok" alone does not take it.
  { ...choice("refused.agree", "refused.agree"), role: "yes", consent: true },
];

const refusedMachine = setup({
  types: flowTypes<Record<string, never>>(),
  guards: {
    picked,
  },
  actions: {
    explain: emit(() => ask([msg("refused.explain")], offerChoices)),
    emergency: emit(() => ask([msg("emergency.numbers")], offerChoices)),
  },
}).createMachine({
  id: "refused",
  output: exitOutput,
  context: {},
  initial: "offering",
  states: {
    offering: {
      entry: "explain",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "refused.emergency" } }, actions: "emergency" },
          { guard: { type: "picked", params: { id: "refused.agree" } }, target: "agreed" },
        ],
        "nav.back": { target: "offering", reenter: true },
      },
    },
    // Their language was stored before they said no: onboarding goes on from the city.
    agreed: { type: "final", output: { next: "onboarding", params: { start: "city" } } },
  },
});

/** What someone who said no to storing data can still do. */
export const refusedFlow: FlowDefinition = { id: "refused", version: 1, machine: refusedMachine };
