/**
 * Steps kept for the next person at the same place (src/engine/step-cache.ts): a flow's step is a
 * function of its saved snapshot and the event (its start, of its input), so a step seen before is
 * handed out again, frozen, without a transition. What may not be kept is not: a staff flow's, a
 * counsellor conversation's, a long text, an input that JSON would change; and "delete my data"
 * forgets them all.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { assign, emit, setup } from "xstate";
import { type FlowDefinition, msg } from "../../flows/kit.ts";
import { forgetLiveSnapshots, resumeFlow, startFlow } from "../../src/engine/flow-runner.ts";

const input = {
  user: { language: "en", city: null, timeZone: "Europe/Berlin", consent: "given" as const },
  params: {},
  facts: {},
  data: {},
};

/** A two-page flow that counts how often its guard ran (the transitions XState made). */
function countingFlow(extra: Partial<FlowDefinition> = {}) {
  const ran = { guard: 0 };
  const machine = setup({
    guards: {
      isNext: ({ event }) => {
        ran.guard += 1;
        return (event as { choiceId?: string; text?: string }).choiceId === "next";
      },
    },
  }).createMachine({
    context: { said: "" },
    initial: "one",
    states: {
      one: {
        entry: [
          emit({ type: "bot.reply", reply: { kind: "text", lines: [msg("common.raw", { text: "1" })] } } as never),
        ],
        on: {
          "user.choice": { guard: "isNext", target: "two" },
          "user.text": {
            actions: [
              assign({ said: ({ event }) => event.text }),
              emit({ type: "bot.reply", reply: { kind: "text", lines: [msg("common.raw", { text: "?" })] } } as never),
            ],
          },
        },
      },
      two: {
        entry: emit({ type: "bot.reply", reply: { kind: "text", lines: [msg("common.raw", { text: "2" })] } } as never),
      },
    },
  });
  return {
    ran,
    flow: { id: "counting", version: 1, machine, sharesSteps: true, ...extra } as unknown as FlowDefinition,
  };
}

describe("a step kept for the next person at the same place", () => {
  beforeEach(() => forgetLiveSnapshots());
  afterEach(() => forgetLiveSnapshots());

  it("is the same step, frozen, without another transition, once its place came twice", () => {
    const { ran, flow } = countingFlow();
    const saved = startFlow(flow, input).snapshot ?? "";
    const next = { type: "user.choice", choiceId: "next" } as const;
    const once = resumeFlow(flow, saved, next);
    const twice = resumeFlow(flow, saved, next);
    const again = resumeFlow(flow, saved, next);
    // Seen once, a step is not kept (most quiz steps are one person's own); the second time it is.
    expect(ran.guard).toBe(2);
    expect(twice).not.toBe(once);
    expect(again).toBe(twice);
    expect(Object.isFrozen(twice.emitted)).toBe(true);
    expect(Object.isFrozen(twice.emitted[0])).toBe(true);
    // Down to each message in it: only content texts (strings with an English one) are the pack's own.
    const reply = (twice.emitted[0] as { reply: { lines: object[] } }).reply;
    expect(Object.isFrozen(reply.lines[0])).toBe(true);
    // A turn that tried to change what everyone at this step is handed would fail, not spread it.
    expect(() => (twice.emitted as unknown[]).push("x")).toThrow(TypeError);
  });

  it("is not another event's or another snapshot's step", () => {
    const { ran, flow } = countingFlow();
    const saved = startFlow(flow, input).snapshot ?? "";
    for (const _time of [1, 2, 3]) resumeFlow(flow, saved, { type: "user.choice", choiceId: "next" });
    expect(ran.guard).toBe(2);
    const other = resumeFlow(flow, saved, { type: "user.choice", choiceId: "back" });
    expect(ran.guard).toBe(3);
    expect(other.emitted).toEqual([]);
    const afterText = resumeFlow(flow, saved, { type: "user.text", text: "hello" });
    const elsewhere = resumeFlow(flow, afterText.snapshot ?? "", { type: "user.choice", choiceId: "next" });
    expect(ran.guard).toBe(4);
    expect(elsewhere.emitted).toHaveLength(1);
  });

  it('is forgotten with the live snapshots (after "delete my data")', () => {
    const { ran, flow } = countingFlow();
    const saved = startFlow(flow, input).snapshot ?? "";
    const next = { type: "user.choice", choiceId: "next" } as const;
    resumeFlow(flow, saved, next);
    const before = resumeFlow(flow, saved, next);
    forgetLiveSnapshots();
    // Forgotten too: that it was seen once (the next one is not kept yet).
    const after = resumeFlow(flow, saved, next);
    expect(resumeFlow(flow, saved, next)).not.toBe(after);
    expect(ran.guard).toBe(4);
    expect(after).not.toBe(before);
    expect(after).toEqual(before);
  });

  it.each([
    ["a flow that does not say its steps depend on nothing that changes", { sharesSteps: undefined }],
    ["a staff flow", { staffOnly: true }],
    ["a conversation with a counsellor (free text)", { takesFreeText: true }],
  ])("is never kept for %s", (_which, extra) => {
    const { ran, flow } = countingFlow(extra);
    const saved = startFlow(flow, input).snapshot ?? "";
    startFlow(flow, input);
    expect(startFlow(flow, input)).not.toBe(startFlow(flow, input));
    for (const _time of [1, 2, 3]) resumeFlow(flow, saved, { type: "user.choice", choiceId: "next" });
    expect(ran.guard).toBe(3);
  });

  it("is never kept for a text longer than an answer (a person's own words)", () => {
    const { flow } = countingFlow();
    const saved = startFlow(flow, input).snapshot ?? "";
    const long = "I need help with my residence permit, my landlord and my daughter's school, please call me";
    const text = `${long} ${long}`;
    resumeFlow(flow, saved, { type: "user.text", text });
    expect(resumeFlow(flow, saved, { type: "user.text", text })).not.toBe(
      resumeFlow(flow, saved, { type: "user.text", text }),
    );
    resumeFlow(flow, saved, { type: "user.text", text: "ok" });
    expect(resumeFlow(flow, saved, { type: "user.text", text: "ok" })).toBe(
      resumeFlow(flow, saved, { type: "user.text", text: "ok" }),
    );
  });
});

describe("a start kept for the next person with the same input", () => {
  beforeEach(() => forgetLiveSnapshots());

  it("is shared for the same input and not for another", () => {
    const { flow } = countingFlow();
    startFlow(flow, input);
    const first = startFlow(flow, input);
    expect(startFlow(flow, { ...input })).toBe(first);
    expect(startFlow(flow, { ...input, params: { start: "x" } })).not.toBe(first);
  });

  it("is never kept for an input that JSON would change (two inputs could share a text)", () => {
    const { flow } = countingFlow();
    const withDate = { ...input, data: { at: new Date(0) } };
    startFlow(flow, withDate);
    expect(startFlow(flow, withDate)).not.toBe(startFlow(flow, withDate));
  });
});

describe("the steps kept, over time and in number", () => {
  beforeEach(() => forgetLiveSnapshots());
  afterEach(() => {
    vi.useRealTimers();
    forgetLiveSnapshots();
  });

  it("are forgotten after ten minutes (one may hold what a person typed)", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { ran, flow } = countingFlow();
    const saved = startFlow(flow, input).snapshot ?? "";
    const next = { type: "user.choice", choiceId: "next" } as const;
    resumeFlow(flow, saved, next);
    const kept = resumeFlow(flow, saved, next);
    vi.advanceTimersByTime(9 * 60_000);
    expect(resumeFlow(flow, saved, next)).toBe(kept);
    vi.advanceTimersByTime(2 * 60_000);
    expect(resumeFlow(flow, saved, next)).not.toBe(kept);
    expect(ran.guard).toBe(3);
  });

  it("are at most 2,000, and the one forgotten first is the one nobody took for longest", () => {
    const { ran, flow } = countingFlow();
    const saved = startFlow(flow, input).snapshot ?? "";
    const take = (choiceId: string) => resumeFlow(flow, saved, { type: "user.choice", choiceId });
    const keep = (choiceId: string) => {
      take(choiceId);
      return take(choiceId);
    };
    const first = keep("next");
    const second = keep("other-0");
    for (let i = 1; i < 1999; i++) keep(`other-${i}`);
    // 2,000 kept; "next" taken again, so "other-0" is now the one nobody took for longest.
    expect(take("next")).toBe(first);
    keep("one-more");
    const before = ran.guard;
    expect(take("next")).toBe(first);
    expect(take("other-0")).not.toBe(second);
    expect(ran.guard).toBe(before + 1);
  });

  it("never include a step that would not read back the same from JSON", () => {
    const machine = setup({}).createMachine({
      initial: "one",
      states: {
        one: { on: { "user.choice": { actions: emit({ type: "bot.reply", reply: { at: new Date(0) } } as never) } } },
      },
    });
    const flow = { id: "dated", version: 1, machine, sharesSteps: true } as unknown as FlowDefinition;
    const saved = startFlow(flow, input).snapshot ?? "";
    const next = { type: "user.choice", choiceId: "next" } as const;
    resumeFlow(flow, saved, next);
    expect(resumeFlow(flow, saved, next)).not.toBe(resumeFlow(flow, saved, next));
  });
});
