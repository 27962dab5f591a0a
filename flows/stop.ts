/**
 * "stop" typed inside a lesson or a quiz: does the person want to stop this
 * lesson, or all messages from the bot? Asked, never guessed.
 */
import { emit, setup } from "xstate";
import { ask, choice, effect, exitOutput, type FlowDefinition, flowTypes, msg, say } from "./kit.ts";

const machine = setup({
  types: flowTypes<{ from: string }>(),
  actions: {
    askWhat: emit(() =>
      ask(
        [msg("stop.question")],
        [choice("stop.this", "stop.this"), choice("stop.all", "stop.all"), choice("stop.continue", "stop.continue")],
      ),
    ),
    stopAll: emit(() => effect({ kind: "user.update", patch: { status: "stopped" } })),
    confirmStopped: emit(() => say(msg("engine.stopped"))),
  },
}).createMachine({
  id: "stop",
  output: exitOutput,
  context: ({ input }) => ({ from: input.params.from ?? "menu" }),
  initial: "asking",
  states: {
    asking: {
      entry: "askWhat",
      on: {
        "user.choice": [
          { guard: ({ event }) => event.choiceId === "stop.this", target: "menu" },
          {
            guard: ({ event }) => event.choiceId === "stop.all",
            target: "stopped",
            actions: ["stopAll", "confirmStopped"],
          },
          { guard: ({ event }) => event.choiceId === "stop.continue", target: "back" },
        ],
        "nav.back": "back",
      },
    },
    menu: { type: "final", output: { next: "menu" } },
    back: { type: "final", output: ({ context }) => ({ next: context.from, params: { resume: "1" } }) },
    stopped: { type: "final", output: { next: null } },
  },
});

/** Asks what "stop" means inside a lesson or quiz. */
export const stopFlow: FlowDefinition = { id: "stop", version: 1, machine };
