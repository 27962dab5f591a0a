/**
 * Running one step of a flow: start it or restore its saved snapshot, send
 * one event, and collect what it emitted (replies and effects) in order.
 * Nothing here touches storage; the engine persists the result.
 */
import { type AnyActorRef, createActor, type Snapshot } from "xstate";
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
  return run(() => createActor(flow.machine, { input }));
}

/**
 * Restores a saved snapshot and sends one event. Throws `snapshot.corrupt`
 * when the snapshot cannot be read or no longer fits the machine.
 *
 * @example
 * const step = resumeFlow(menuFlow, saved, { type: "user.choice", choiceId: "go.settings" }, input);
 */
export function resumeFlow(flow: FlowDefinition, saved: string, event: FlowEvent, input: FlowInput): FlowStep {
  let snapshot: Snapshot<unknown>;
  try {
    snapshot = JSON.parse(saved) as Snapshot<unknown>;
  } catch (error) {
    throw new LotseError("snapshot.corrupt", `saved ${flow.id} snapshot is not JSON`, { cause: error });
  }
  if (!fitsMachine(flow, snapshot)) throw new LotseError("snapshot.corrupt", `saved ${flow.id} snapshot does not fit`);
  return run(() => createActor(flow.machine, { snapshot, input }), event);
}

function run(create: () => AnyActorRef, event?: FlowEvent): FlowStep {
  const emitted: FlowEmitted[] = [];
  let actor: AnyActorRef;
  try {
    actor = create();
    // Without an error observer XState rethrows a failure later, outside this call.
    actor.subscribe({ error: () => undefined });
    actor.on("*", (e: FlowEmitted) => emitted.push(e));
    actor.start();
    if (event) actor.send(event);
  } catch (error) {
    if (error instanceof LotseError) throw error;
    throw new LotseError("snapshot.corrupt", "the flow could not run from its saved state", { cause: error });
  }
  const snapshot = actor.getSnapshot() as Snapshot<unknown> & { output?: FlowOutput };
  const persisted = JSON.stringify(actor.getPersistedSnapshot());
  actor.stop();
  if (snapshot.status === "error")
    throw new LotseError("snapshot.corrupt", "the flow failed", { cause: snapshot.error });
  if (snapshot.status === "done") return { emitted, output: snapshot.output ?? { next: "menu" } };
  return { emitted, snapshot: persisted };
}

/** A saved snapshot fits when it is an active state the machine still has. */
function fitsMachine(flow: FlowDefinition, snapshot: Snapshot<unknown>): boolean {
  const saved = snapshot as { status?: unknown; value?: unknown; context?: unknown };
  if (saved.status !== "active" || saved.value === undefined || typeof saved.context !== "object") return false;
  try {
    flow.machine.resolveState({ value: saved.value as string, context: saved.context as Record<string, unknown> });
    return true;
  } catch {
    return false;
  }
}
