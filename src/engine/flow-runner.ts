/**
 * Running one step of a flow: start it or restore its saved snapshot, send
 * one event, and collect what it emitted (replies and effects) in order.
 * Nothing here touches storage; the engine persists the result.
 */
import { type AnyActorRef, type AnyActorScope, type AnyMachineSnapshot, createActor, type Snapshot } from "xstate";
import type { FlowDefinition, FlowEmitted, FlowEvent, FlowInput, FlowOutput } from "../../flows/kit.ts";
import { LotseError } from "../domain/errors.ts";

/** What one step produced. */
export interface FlowStep {
  emitted: FlowEmitted[];
  /** Set when the flow reached its final state. */
  output?: FlowOutput;
  /** The snapshot to save, when the flow is still running. */
  snapshot?: string;
}

/**
 * Starts a flow from the beginning; its entry actions produce the first replies.
 *
 * @example
 * const step = startFlow(onboardingFlow, { user, params: {}, facts: {} });
 */
export function startFlow(flow: FlowDefinition, input: FlowInput): FlowStep {
  return run(flow, (scope) => flow.machine.getInitialSnapshot(scope, input));
}

/**
 * Restores a saved snapshot and sends one event. Throws `snapshot.corrupt`
 * when the snapshot cannot be read or no longer fits the machine. A restored
 * flow has its context: no input is needed (building one cost queries).
 *
 * @example
 * const step = resumeFlow(menuFlow, saved, { type: "user.choice", choiceId: "go.settings" });
 */
export function resumeFlow(flow: FlowDefinition, saved: string, event: FlowEvent): FlowStep {
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
  return { emitted, snapshot: JSON.stringify(flow.machine.getPersistedSnapshot(next)) };
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
