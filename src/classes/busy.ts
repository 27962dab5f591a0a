/**
 * Whether a person is in the middle of something the bot must not take from them: a lesson, a quiz
 * or a review whenever it is open, any other question while it is recent. A message on the bot's own
 * initiative (a class's new session) is then a line of text that leaves their place, and the numbers
 * of their choices, as they are. The same rule as the daily nudge's (src/nudges/nudges.ts).
 */
import { learningFlowIds } from "../../flows/learning/nudge.ts";
import type { Address } from "../domain/address.ts";
import type { StoreTx } from "../storage/store.ts";

/** A conversation that moved within this time is one the person is in. */
const busyWithinMs = 3 * 3_600_000;

/**
 * Flows left behind that are no open question: menus and lists a person only looked at. A learner who
 * last looked at "my class" or the meetings gets the new session's card with its buttons, not a line
 * telling them where to answer (the WhatsApp trial: he had to find the session in the menu).
 */
const idleFlows: ReadonlySet<string> = new Set(["menu", "nudge", "settings", "meetings", "classes"]);

/**
 * Whether the person is busy with a lesson, a quiz or another recent question.
 *
 * @example
 * if (await isBusy(tx, "telegram:42", now)) await engine.notify(tx, "telegram:42", reply, now);
 */
export async function isBusy(tx: StoreTx, address: Address, now: Date): Promise<boolean> {
  const open = await tx.getConversation(address);
  if (!open) return false;
  if (learningFlowIds.has(open.flowId)) return true;
  const recent = open.updatedAt !== undefined && now.getTime() - open.updatedAt.getTime() < busyWithinMs;
  return recent && !idleFlows.has(open.flowId);
}
