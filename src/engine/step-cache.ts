/**
 * Steps a flow already took, by the snapshot it was saved at and the event it was sent (or, for its
 * first step, by its input): the next person who stands at the same step and says the same gets the
 * same step without a transition.
 *
 * Many people go through the same onboarding, menu and lesson pages; their saved snapshots are the
 * same text (a snapshot holds only the flow's context and state), and a page's "next" is the same
 * event. A flow's step is a function of its snapshot and the event alone: flows are pure (they compute
 * their context and emit; the runner refuses every other action), and what they know of the world
 * came in with their input and lives in their context. So a step seen before is the step.
 *
 * What is kept is frozen, because it is handed to every turn that takes the same step. Like live
 * snapshots, it may hold what a person typed: a bounded number, all forgotten every ten minutes and
 * after "delete my data" ({@link forgetSteps}).
 */
import {
  type FlowDefinition,
  type FlowEmitted,
  type FlowEvent,
  type FlowInput,
  type FlowOutput,
  isContentText,
  objectNumber,
} from "../../flows/kit.ts";
import { memoryTermOver } from "../domain/memory-term.ts";
import { survivesJson } from "./survives-json.ts";

/** What one step produced (the runner's `FlowStep`). */
export interface CachedStep {
  emitted: FlowEmitted[];
  output?: FlowOutput;
  snapshot?: string;
}

/** Steps kept at most, over all flows; the one taken least recently is forgotten first. */
const stepsMax = 2000;
/** Steps are forgotten at least this often (one may hold what a person typed). */
const stepsForMs = 10 * 60_000;
/** A typed text longer than this is not kept in a key (it is a person's own words, not an answer). */
const typedMax = 100;

/** Kept steps by key (the machine's number first), the one taken least recently first. */
const steps = new Map<string, CachedStep>();
/**
 * Keys seen once, oldest first: a step is kept the second time its key comes. Most steps of a quiz are
 * one person's own (their option order is in the snapshot); kept at once, they would push out the
 * pages everyone reads, and freezing them would be work for nothing.
 */
const seenOnce = new Set<string>();
let stepsSince = Date.now();

/**
 * The key of a flow's saved snapshot and an event, or undefined for a step not kept: one of a flow not
 * shared (see {@link isShared}), a shared location (coordinates are not kept in memory), a photo, and a
 * text longer than an answer.
 *
 * @example
 * stepKey(flow, saved, { type: "user.choice", choiceId: "next" }); // "3\u0000{...}\u0000c\u0000next"
 */
export function stepKey(flow: FlowDefinition, saved: string, event: FlowEvent): string | undefined {
  if (!isShared(flow)) return undefined;
  // The saved text first: JSON has no raw NUL, so what a person typed cannot reach into it.
  const machine = objectNumber(flow.machine);
  switch (event.type) {
    case "user.choice":
      return `${machine}\u0000${saved}\u0000c\u0000${event.choiceId}`;
    case "user.text":
      if (event.text.length > typedMax) return undefined;
      return `${machine}\u0000${saved}\u0000t\u0000${event.text}`;
    case "nav.back":
      return `${machine}\u0000${saved}\u0000b`;
    default:
      return undefined;
  }
}

/**
 * The key of a flow's start with this input, or undefined when the input would not read back the same
 * from JSON (two different inputs could then share a key). A flow's first step is a function of its
 * input alone, as its other steps are of their snapshot and event.
 *
 * @example
 * startKey(flow, { user, params: {}, facts: {}, data: { done: [] } }); // "3\u0000s\u0000{...}"
 */
export function startKey(flow: FlowDefinition, input: FlowInput): string | undefined {
  if (!isShared(flow) || !survivesJson(input)) return undefined;
  return `${objectNumber(flow.machine)}\u0000s\u0000${JSON.stringify(input)}`;
}

/**
 * The step taken from that key before, if it is still kept.
 *
 * @example
 * const step = cachedStep(key) ?? takeStep();
 */
export function cachedStep(key: string): CachedStep | undefined {
  if (memoryTermOver(stepsSince, stepsForMs)) forgetSteps();
  const step = steps.get(key);
  if (step !== undefined) {
    // Last used goes last: the steps forgotten first are those nobody took for longest.
    steps.delete(key);
    steps.set(key, step);
  }
  return step;
}

/**
 * Keeps a step for the next person at the same place, the second time its key comes (see
 * {@link seenOnce}), when everything in it survives JSON (what a flow emits is data: replies, effects,
 * its output); it is frozen as it is checked. A content text (an object of strings with an English
 * one, as the pack holds them) is left unfrozen: it is the pack's own, shared with every lesson and
 * search, and freezing it would give it a second hidden class in all the code that reads it.
 *
 * @example
 * keepStep(key, step);
 */
export function keepStep(key: string, step: CachedStep): void {
  if (memoryTermOver(stepsSince, stepsForMs)) forgetSteps();
  if (steps.has(key)) return;
  if (!seenOnce.delete(key)) {
    if (seenOnce.size >= stepsMax) seenOnce.delete(seenOnce.values().next().value as string);
    seenOnce.add(key);
    return;
  }
  if (!survivesJson(step, keptAsIs)) return;
  if (steps.size >= stepsMax) steps.delete(steps.keys().next().value as string);
  steps.set(key, step);
}

/**
 * Whether a flow's steps are kept: it says they depend on nothing that changes
 * (`FlowDefinition.sharesSteps`), and it is neither a staff flow (a few people, each their own) nor one
 * that takes free text (a conversation with a counsellor: every message is the person's own words).
 */
function isShared(flow: FlowDefinition): boolean {
  return flow.sharesSteps === true && flow.staffOnly !== true && flow.takesFreeText !== true;
}

/** Content texts (objects of strings with an English one, as the pack holds them) are left as they are. */
const keptAsIs = {
  freeze: true,
  judge: (value: object): boolean | undefined => (isContentText(value) ? true : undefined),
};

/**
 * Forgets every kept step (after "delete my data": nothing of a person may stay in memory).
 *
 * @example
 * forgetSteps();
 */
export function forgetSteps(): void {
  steps.clear();
  seenOnce.clear();
  stepsSince = Date.now();
}
