/**
 * Running one step of a flow: start it or restore its saved snapshot, send
 * one event, and collect what it emitted (replies and effects) in order.
 * Nothing here touches storage; the engine persists the result.
 */
import { type AnyActorRef, type AnyActorScope, type AnyMachineSnapshot, createActor, type Snapshot } from "xstate";
import {
  type FlowDefinition,
  type FlowEmitted,
  type FlowEvent,
  type FlowInput,
  type FlowOutput,
  objectNumber,
} from "../../flows/kit.ts";
import { LotseError } from "../domain/errors.ts";
import { memoryTermOver } from "../domain/memory-term.ts";
import { cachedStep, forgetSteps, keepStep, startKey, stepKey } from "./step-cache.ts";
import { survivesJson } from "./survives-json.ts";

/** What one step produced. */
export interface FlowStep {
  emitted: FlowEmitted[];
  /** Set when the flow reached its final state. */
  output?: FlowOutput;
  /** The snapshot to save, when the flow is still running. */
  snapshot?: string;
}

/**
 * Starts a flow from the beginning; its entry actions produce the first replies. A start with the same
 * input as one before is that start (src/engine/step-cache.ts).
 *
 * @example
 * const step = startFlow(onboardingFlow, { user, params: {}, facts: {} });
 */
export function startFlow(flow: FlowDefinition, input: FlowInput): FlowStep {
  const key = startKey(flow, input);
  const cached = key === undefined ? undefined : cachedStep(key);
  if (cached !== undefined) return cached;
  const step = run(flow, (scope) => flow.machine.getInitialSnapshot(scope, input));
  if (key !== undefined) keepStep(key, step);
  return step;
}

/**
 * Restores a saved snapshot and sends one event. Throws `snapshot.corrupt`
 * when the snapshot cannot be read or no longer fits the machine. A restored
 * flow has its context: no input is needed (building one cost queries). A step
 * taken from the same saved text with the same event before is that step
 * (src/engine/step-cache.ts): many people walk the same pages.
 *
 * @example
 * const step = resumeFlow(menuFlow, saved, { type: "user.choice", choiceId: "go.settings" });
 */
export function resumeFlow(flow: FlowDefinition, saved: string, event: FlowEvent): FlowStep {
  const key = stepKey(flow, saved, event);
  const cached = key === undefined ? undefined : cachedStep(key);
  if (cached !== undefined) return cached;
  const step = transitionFrom(flow, saved, event);
  if (key !== undefined) keepStep(key, step);
  return step;
}

/** The step by XState: from the live snapshot saved as that text, else from the text parsed and restored. */
function transitionFrom(flow: FlowDefinition, saved: string, event: FlowEvent): FlowStep {
  const live = takeLive(flow, saved);
  if (live !== undefined) return run(flow, (scope) => flow.machine.transition(live, event, scope));
  let snapshot: Snapshot<unknown>;
  try {
    snapshot = JSON.parse(saved) as Snapshot<unknown>;
  } catch (error) {
    throw new LotseError("snapshot.corrupt", `saved ${flow.id} snapshot is not JSON`, { cause: error });
  }
  if (!isActive(snapshot)) throw new LotseError("snapshot.corrupt", `saved ${flow.id} snapshot does not fit`);
  return run(flow, (scope) => flow.machine.transition(restore(flow, snapshot, scope), event, scope));
}

/**
 * The saved snapshot as the machine's own. Restoring finds each state of the saved value in the
 * machine and throws when one is gone (a flow changed since): the snapshot does not fit. (Checking
 * that first with `resolveState` resolved every state twice a message.)
 */
function restore(flow: FlowDefinition, snapshot: Snapshot<unknown>, scope: AnyActorScope): AnyMachineSnapshot {
  try {
    return flow.machine.restoreSnapshot(snapshot, scope) as AnyMachineSnapshot;
  } catch (error) {
    throw new LotseError("snapshot.corrupt", `saved ${flow.id} snapshot does not fit`, { cause: error });
  }
}

/**
 * One step by XState's pure transition: no actor is created, started and stopped for a message (that
 * was a tenth of a message's CPU). Flows only compute their context and emit: the emitted events are
 * collected from the actions the transition hands over, in order. Any other action a flow might use
 * (a log, a raise, an inline function) is refused rather than silently skipped.
 */
function run(flow: FlowDefinition, step: (scope: AnyActorScope) => AnyMachineSnapshot): FlowStep {
  const emitted: FlowEmitted[] = [];
  let next: AnyMachineSnapshot;
  try {
    next = step(scopeFor(flow, emitted));
  } catch (error) {
    // Whatever a guard or an action threw: the flow cannot go on from here (the turn starts over).
    throw new LotseError("snapshot.corrupt", "the flow failed", { cause: error });
  }
  if (next.status === "error") throw new LotseError("snapshot.corrupt", "the flow failed", { cause: next.error });
  if (next.status === "done") return { emitted, output: (next.output as FlowOutput | undefined) ?? { next: "menu" } };
  const snapshot = persistedText(flow, next);
  keepLive(flow, snapshot, next);
  return { emitted, snapshot };
}

/**
 * The snapshot's saved text, the same text as `JSON.stringify(machine.getPersistedSnapshot(snapshot))`.
 * XState's copies the snapshot and walks the whole context looking for child actors to replace by
 * references. Flows have none ({@link scopeFor} refuses every action but emit; a spawn inside an
 * `assign` would show as children, which this checks), so a snapshot is written as it stands. One with
 * children or a history state, which XState writes in a form of its own, goes through XState.
 */
function persistedText(flow: FlowDefinition, snapshot: AnyMachineSnapshot): string {
  if (!isEmpty(snapshot.children) || !isEmpty(snapshot.historyValue)) {
    return JSON.stringify(flow.machine.getPersistedSnapshot(snapshot));
  }
  // In the order XState writes them (undefined ones, output and error while running, are left out).
  const { status, output, error, value, context } = snapshot;
  return JSON.stringify({ status, output, error, value, historyValue: {}, context, children: {} });
}

function isEmpty(record: object | undefined): boolean {
  for (const _ in record) return false;
  return true;
}

/**
 * The snapshots this process saved last, live, by the text they were saved as: a message of a person
 * whose saved text is here transitions from it instead of parsing and restoring the text (many people
 * stand at the same step with the same text). A text read back is exactly a text saved, so it means the
 * same snapshot, whichever process saved it. A live snapshot acts as the restored one only when its
 * context survives JSON unchanged (strings, finite numbers, booleans, null, plain objects and arrays);
 * that is checked before it is kept, and the context is frozen, as shared values are: a flow that
 * changed it in place, instead of through `assign`, would change it for everyone (such a flow now
 * fails in every test that runs it). Like parsed prompts, they may hold what a person typed: a bounded
 * number, all forgotten every ten minutes and after "delete my data".
 */
const live = new Map<string, AnyMachineSnapshot>();
let liveSince = Date.now();
const liveMax = 2000;
const liveForMs = 10 * 60_000;

/** A live snapshot's key: the machine's number, then the saved text (JSON has no raw NUL). */
function liveKey(flow: FlowDefinition, text: string): string {
  return `${objectNumber(flow.machine)}\u0000${text}`;
}

/**
 * Keeps a snapshot by its saved text; when full, the one kept first is forgotten. (Forgetting all of
 * them at once, as before, meant that with a thousand people in a quiz, two of every five steps parsed
 * and restored a text their own previous step had just saved.)
 */
function keepLive(flow: FlowDefinition, text: string, snapshot: AnyMachineSnapshot): void {
  if (memoryTermOver(liveSince, liveForMs)) forgetLive();
  if (!survivesJson(snapshot.context, { freeze: true })) return;
  const key = liveKey(flow, text);
  if (!live.has(key) && live.size >= liveMax) live.delete(live.keys().next().value as string);
  live.set(key, snapshot);
}

function takeLive(flow: FlowDefinition, text: string): AnyMachineSnapshot | undefined {
  // Ten minutes at most, also in a process that saved nothing since (a review found them used later).
  if (memoryTermOver(liveSince, liveForMs)) forgetLive();
  return live.get(liveKey(flow, text));
}

/**
 * Forgets every live snapshot and every kept step (after "delete my data": nothing of a person may
 * stay in memory).
 *
 * @example
 * forgetLiveSnapshots();
 */
export function forgetLiveSnapshots(): void {
  forgetSteps();
  forgetLive();
}

/** The live snapshots only: when they are old, the kept steps (bounded on their own) stay. */
function forgetLive(): void {
  live.clear();
  liveSince = Date.now();
}

/** Per machine, an actor that is never started: the `self` and `system` a transition refers to. */
const inert = new WeakMap<FlowDefinition["machine"], AnyActorRef>();

function scopeFor(flow: FlowDefinition, emitted: FlowEmitted[]): AnyActorScope {
  let self = inert.get(flow.machine);
  if (self === undefined) {
    self = createActor(flow.machine);
    inert.set(flow.machine, self);
  }
  return {
    self,
    system: self.system,
    id: "",
    sessionId: "",
    logger: () => undefined,
    defer: () => undefined,
    emit: () => undefined,
    stopChild: () => undefined,
    actionExecutor: (action) => {
      if (action.type === "xstate.emit") emitted.push((action.params as { event: FlowEmitted }).event);
      // Flows compute their context and emit, nothing else: any other action would silently not run.
      else throw new LotseError("flow.unsupported", `${flow.id}: action ${action.type} is not supported in flows`);
    },
  } as AnyActorScope;
}

/** A saved snapshot of a running flow: active, with a state value and a context. */
function isActive(snapshot: Snapshot<unknown>): boolean {
  const saved = snapshot as { status?: unknown; value?: unknown; context?: unknown };
  return (
    saved.status === "active" &&
    saved.value !== undefined &&
    typeof saved.context === "object" &&
    saved.context !== null
  );
}
