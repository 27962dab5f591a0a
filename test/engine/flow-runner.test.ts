/**
 * The flow runner steps a flow by XState's pure transition and keeps only what the flow emitted: a
 * flow that relied on another kind of action (a log, an inline function) would silently lose it, so
 * such an action is refused.
 */

import { describe, expect, it } from "vitest";
import { assign, createActor, emit, setup } from "xstate";
import type { FlowDefinition } from "../../flows/kit.ts";
import { isLotseError } from "../../src/domain/errors.ts";
import { forgetLiveSnapshots, resumeFlow, startFlow } from "../../src/engine/flow-runner.ts";

const input = {
  user: { language: "en", city: null, timeZone: "Europe/Berlin", consent: "given" },
  params: {},
  facts: {},
  data: {},
};

function flowOf(machine: unknown): FlowDefinition {
  return { id: "test", version: 1, machine } as unknown as FlowDefinition;
}

describe("flow runner", () => {
  it("emits in order, keeps the context and ends with the output", () => {
    const machine = setup({}).createMachine({
      context: { n: 0 },
      initial: "asking",
      states: {
        asking: {
          entry: [emit({ type: "bot.reply", n: 1 } as never), emit({ type: "bot.reply", n: 2 } as never)],
          on: {
            "user.text": { target: "done", actions: [assign({ n: 5 }), emit({ type: "bot.reply", n: 3 } as never)] },
          },
        },
        done: { type: "final" },
      },
      output: ({ context }) => ({ next: `menu-${context.n}` }),
    });
    const flow = flowOf(machine);
    const first = startFlow(flow, input as never);
    expect(first.emitted).toEqual([
      { type: "bot.reply", n: 1 },
      { type: "bot.reply", n: 2 },
    ]);
    const second = resumeFlow(flow, first.snapshot ?? "", { type: "user.text", text: "x" } as never);
    expect(second.emitted).toEqual([{ type: "bot.reply", n: 3 }]);
    expect(second.output).toEqual({ next: "menu-5" });
  });

  it("refuses an action it would not run (an inline function), instead of skipping it silently", () => {
    const machine = setup({}).createMachine({
      initial: "asking",
      states: { asking: { entry: () => undefined } },
    });
    let thrown: unknown;
    try {
      startFlow(flowOf(machine), input as never);
    } catch (error) {
      thrown = error;
    }
    expect(isLotseError(thrown, "snapshot.corrupt")).toBe(true);
    expect(isLotseError((thrown as Error).cause, "flow.unsupported")).toBe(true);
  });
});

describe("the saved text of a snapshot", () => {
  it("is XState's own for a flow with a history state, which XState writes in a form of its own", () => {
    const machine = setup({}).createMachine({
      initial: "lesson",
      states: {
        lesson: {
          initial: "one",
          states: {
            one: { entry: emit({ type: "bot.reply", n: 1 } as never), on: { "user.text": "two" } },
            two: { entry: emit({ type: "bot.reply", n: 2 } as never) },
            last: { type: "history" },
          },
          on: { "nav.back": "aside" },
        },
        aside: { entry: emit({ type: "bot.reply", n: 0 } as never), on: { "user.text": "lesson.last" } },
      },
    });
    const flow = flowOf(machine);
    forgetLiveSnapshots();
    let step = startFlow(flow, input as never);
    step = resumeFlow(flow, step.snapshot ?? "", { type: "user.text", text: "x" } as never);
    step = resumeFlow(flow, step.snapshot ?? "", { type: "nav.back" } as never);
    const saved = JSON.parse(step.snapshot ?? "{}") as { historyValue: Record<string, unknown> };
    expect(Object.keys(saved.historyValue)).not.toEqual([]);
    expect(step.snapshot).toBe(
      JSON.stringify(createActor(machine, { snapshot: saved as never }).getPersistedSnapshot()),
    );
    // Read back from its text (not the live snapshot), the history state still returns to step two.
    forgetLiveSnapshots();
    const back = resumeFlow(flow, step.snapshot ?? "", { type: "user.text", text: "y" } as never);
    expect(back.emitted).toEqual([{ type: "bot.reply", n: 2 }]);
  });
});

describe("a saved snapshot that does not fit", () => {
  const machine = setup({}).createMachine({
    initial: "asking",
    states: { asking: { on: { "user.text": "done" } }, done: { type: "final" } },
  });
  const saved = (value: unknown, status = "active") =>
    JSON.stringify({ status, value, context: {}, children: {}, historyValue: {} });

  it.each([
    ["a state the flow no longer has", saved("renamed")],
    ["a nested state under a state that has none", saved({ asking: "deeper" })],
    ["a flow that had ended", saved("asking", "done")],
    ["no JSON", "{not json"],
  ])("is refused as snapshot.corrupt: %s", (_why, text) => {
    let thrown: unknown;
    try {
      resumeFlow(flowOf(machine), text, { type: "user.text", text: "x" } as never);
    } catch (error) {
      thrown = error;
    }
    expect(isLotseError(thrown, "snapshot.corrupt")).toBe(true);
  });

  it("one that fits goes on", () => {
    const step = resumeFlow(flowOf(machine), saved("asking"), { type: "user.text", text: "x" } as never);
    expect(step.output).toEqual({ next: "menu" });
  });

  describe("live snapshots (a saved text resumed without parsing it)", () => {
    /** A counter whose context keeps what `keep` puts in it, answering each text with the count. */
    const counter = (keep: (n: number) => unknown) =>
      flowOf(
        setup({}).createMachine({
          context: { n: 0, kept: null as unknown },
          initial: "counting",
          states: {
            counting: {
              on: {
                "user.text": {
                  actions: [
                    // What the context held before this message: live or restored from the text.
                    emit(({ context }) => ({ type: "bot.reply", n: context.n, kept: typeof context.kept }) as never),
                    assign(({ context }) => ({ n: context.n + 1, kept: keep(context.n + 1) })),
                  ],
                },
              },
            },
          },
        }),
      );
    const text = { type: "user.text", text: "x" } as never;

    it("answers from a live snapshot as from the saved text, and again after forgetting it", () => {
      const flow = counter((n) => ({ list: [n], label: `n${n}` }));
      const started = startFlow(flow, input as never);
      const once = resumeFlow(flow, started.snapshot ?? "", text);
      const again = resumeFlow(flow, once.snapshot ?? "", text);
      forgetLiveSnapshots();
      const fromText = resumeFlow(flow, once.snapshot ?? "", text);
      expect(again).toEqual(fromText);
      expect(fromText.emitted).toEqual([{ type: "bot.reply", n: 1, kept: "object" }]);
    });

    it("regression: a live snapshot was used after its ten minutes in a process that saved nothing since", () => {
      // The context each step starts from (before) and ends with (after): the same object when the
      // step resumed from the live snapshot, a copy when it was restored from the text.
      const seen: { before: unknown[]; after: unknown[] } = { before: [], after: [] };
      const flow = flowOf(
        setup({}).createMachine({
          context: { n: 0 },
          initial: "counting",
          states: {
            counting: {
              on: {
                "user.text": {
                  actions: [
                    emit(({ context }) => {
                      seen.before.push(context);
                      return { type: "bot.reply" } as never;
                    }),
                    assign(({ context }) => ({ n: context.n + 1 })),
                    emit(({ context }) => {
                      seen.after.push(context);
                      return { type: "bot.reply" } as never;
                    }),
                  ],
                },
              },
            },
          },
        }),
      );
      const started = startFlow(flow, input as never);
      const first = resumeFlow(flow, started.snapshot ?? "", text);
      resumeFlow(flow, first.snapshot ?? "", text);
      expect(seen.before[1]).toBe(seen.after[0]); // within the ten minutes: live
      const realNow = Date.now;
      try {
        Date.now = () => realNow() + 11 * 60_000;
        resumeFlow(flow, first.snapshot ?? "", text);
      } finally {
        Date.now = realNow;
      }
      expect(seen.before[2]).not.toBe(seen.after[0]);
      expect(seen.before[2]).toEqual(seen.after[0]);
    });

    it("regression: every live snapshot was forgotten when 2,000 were kept; now only the one kept first", () => {
      // The context a step starts from: the saved one itself when live, a copy when restored from text.
      let before: unknown;
      const flow = flowOf(
        setup({ types: { input: {} as { params: { who: string } } } }).createMachine({
          context: ({ input }) => ({ who: input.params.who, n: 0 }),
          initial: "counting",
          states: {
            counting: {
              on: {
                "user.text": {
                  actions: [
                    emit(({ context }) => {
                      before = context;
                      return { type: "bot.reply" } as never;
                    }),
                    assign(({ context }) => ({ n: context.n + 1 })),
                  ],
                },
              },
            },
          },
        }),
      );
      forgetLiveSnapshots();
      const person = (who: string) => startFlow(flow, { ...input, params: { who } } as never).snapshot ?? "";
      const first = person("first");
      const second = person("second");
      // 1,999 more people: 2,001 snapshots kept in all, over the limit by one.
      for (let i = 0; i < 1999; i++) person(`p${i}`);
      resumeFlow(flow, second, text);
      expect(Object.isFrozen(before)).toBe(true); // live: the kept context, frozen when kept
      resumeFlow(flow, first, text);
      expect(Object.isFrozen(before)).toBe(false); // the first kept was forgotten: restored from its text
    });

    it("keeps a context only when it survives JSON: a Date comes back from the text as a string", () => {
      const flow = counter(() => new Date("2026-11-30T10:00:00Z"));
      const started = startFlow(flow, input as never);
      const once = resumeFlow(flow, started.snapshot ?? "", text);
      // Live, the Date would still be a Date (typeof "object"); restored from the text it is a string.
      const again = resumeFlow(flow, once.snapshot ?? "", text);
      expect(again.emitted).toEqual([{ type: "bot.reply", n: 1, kept: "string" }]);
      expect(JSON.parse(once.snapshot ?? "").context.kept).toBe("2026-11-30T10:00:00.000Z");
    });

    it("freezes a kept context: a flow changing it in place, not through assign, fails in every test", () => {
      const flow = flowOf(
        setup({}).createMachine({
          context: { seen: [] as string[] },
          initial: "asking",
          states: {
            asking: {
              on: {
                "user.text": {
                  actions: [
                    assign(({ context }) => {
                      context.seen.push("x");
                      return { seen: context.seen };
                    }),
                    emit({ type: "bot.reply" } as never),
                  ],
                },
              },
            },
          },
        }),
      );
      const started = startFlow(flow, input as never);
      expect(() => resumeFlow(flow, started.snapshot ?? "", text)).toThrow();
    });
  });
});
