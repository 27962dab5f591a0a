/**
 * "My progress": lessons done, quiz scores, the streak and a competence bar
 * per DigComp area, computed by the engine from storage (the effect
 * `feature.learning.progress`), then a way on.
 */
import { emit, setup } from "xstate";
import {
  ask,
  choice,
  effect,
  exitOutput,
  type FlowDefinition,
  flowTypes,
  msg,
  picked,
  type ReplyChoice,
} from "../kit.ts";

const onward: ReplyChoice[] = [choice("go.lessons", "learning.menuEntry"), choice("nav.menu", "common.toMenu")];

const progressMachine = setup({
  types: flowTypes<Record<string, never>>(),
  guards: {
    picked,
  },
  actions: {
    report: emit(() => effect({ kind: "feature.learning.progress", data: {} })),
    offer: emit(() => ask([msg("learning.progress.onward")], onward)),
  },
}).createMachine({
  id: "progress",
  output: exitOutput,
  context: {},
  initial: "showing",
  states: {
    showing: {
      entry: ["report", "offer"],
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "go.lessons" } }, target: "lessons" },
          { guard: { type: "picked", params: { id: "nav.menu" } }, target: "menu" },
        ],
        "nav.back": "menu",
      },
    },
    lessons: { type: "final", output: { next: "lessons" } },
    menu: { type: "final", output: { next: "menu" } },
  },
});

/** The "my progress" flow. */
export const progressFlow: FlowDefinition = {
  id: "progress",
  version: 1,
  machine: progressMachine,
  menu: { order: 30, label: msg("learning.progress.menuEntry") },
};
