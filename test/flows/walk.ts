/**
 * Walking every flow through every choice it offers (plus "back" and an
 * unexpected text), collecting each distinct state and every reply on the way.
 */
import { createActor } from "xstate";
import type { FlowDefinition, FlowEvent, FlowInput, Reply } from "../../flows/kit.ts";
import { type FlowStep, resumeFlow, startFlow } from "../../src/engine/flow-runner.ts";

/** One visited state: its snapshot, the replies that led to it, and the events tried from it. */
export interface Visited {
  snapshot: string;
  replies: Reply[];
  prompt: Reply | undefined;
  /** Events that ended the flow from here, with where they led. */
  exits: { event: FlowEvent; next: string | null }[];
  /** What "back" did here: answered (moved or re-asked), ended the flow, or nothing. */
  back: "answered" | "ended" | "ignored";
}

function promptOf(step: FlowStep): Reply | undefined {
  const replies = step.emitted.flatMap((e) => (e.type === "bot.reply" ? [e.reply] : []));
  return replies.at(-1);
}

/** What a walk tries besides the choices each question offers, "back" and an unexpected text. */
export interface WalkOptions {
  /** Texts a person would type at this question (a class name, a date), so free-text answers are walked too. */
  texts?: (prompt: Reply | undefined) => readonly string[];
  /** Snapshots with the same key are walked once: keeps a walk over drafts built in any order finite. */
  stateKey?: (snapshot: string) => string;
}

function eventsFor(prompt: Reply | undefined, options: WalkOptions): FlowEvent[] {
  const choices =
    prompt?.kind === "choices" ? prompt.choices.map((c) => ({ type: "user.choice" as const, choiceId: c.id })) : [];
  const texts = (options.texts?.(prompt) ?? []).map((text) => ({ type: "user.text" as const, text }));
  return [...choices, { type: "nav.back" }, { type: "user.text", text: "something unexpected" }, ...texts];
}

/**
 * Visits every state reachable from the flow's start by the events its own questions offer.
 *
 * @example
 * const states = walkFlow(settingsFlow, input);
 */
export function walkFlow(
  flow: FlowDefinition,
  input: FlowInput,
  limit = 500,
  options: WalkOptions = {},
): { states: Visited[]; replies: Reply[] } {
  const key = options.stateKey ?? ((snapshot: string) => snapshot);
  const first = startFlow(flow, input);
  const all: Reply[] = [];
  const seen = new Map<string, Visited>();
  const queue: FlowStep[] = [first];
  while (queue.length > 0 && seen.size < limit) {
    const step = queue.shift() as FlowStep;
    all.push(...step.emitted.flatMap((e) => (e.type === "bot.reply" ? [e.reply] : [])));
    if (!step.snapshot || seen.has(key(step.snapshot))) continue;
    expectXStateText(flow, step.snapshot);
    const visited: Visited = {
      snapshot: step.snapshot,
      replies: [],
      prompt: promptOf(step),
      exits: [],
      back: "ignored",
    };
    seen.set(key(step.snapshot), visited);
    for (const event of eventsFor(visited.prompt, options)) {
      const next = resumeFlow(flow, step.snapshot, event);
      if (next.output) visited.exits.push({ event, next: next.output.next });
      if (event.type === "nav.back")
        visited.back = next.output ? "ended" : next.emitted.length > 0 ? "answered" : "ignored";
      all.push(...next.emitted.flatMap((e) => (e.type === "bot.reply" ? [e.reply] : [])));
      if (next.snapshot && !seen.has(key(next.snapshot))) queue.push(next);
    }
  }
  return { states: [...seen.values()], replies: all };
}

/**
 * The runner writes a flow's snapshot itself (src/engine/flow-runner.ts, `persistedText`): every state a
 * walk reaches must be saved as the very text XState's own `getPersistedSnapshot` writes.
 */
function expectXStateText(flow: FlowDefinition, saved: string): void {
  const actor = createActor(flow.machine, { snapshot: JSON.parse(saved) });
  const xstate = JSON.stringify(actor.getPersistedSnapshot());
  if (xstate !== saved) throw new Error(`${flow.id}: saved ${saved}\nbut XState writes ${xstate}`);
}
