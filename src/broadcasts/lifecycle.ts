/**
 * Where a broadcast is in its life, and how it ends early. Stored statuses are `scheduled`, `queuing`
 * (people being put into the outbox), `sending` and `cancelled`; `sent` is derived once nothing of a
 * sending broadcast waits any more. Cancelling withdraws what is not sent yet: its queued outbox rows
 * are deleted, rows already handed to a platform are not.
 */
import type { StoreTx } from "../storage/store.ts";

/** Every status a broadcast is shown with. */
export const broadcastStatuses = ["scheduled", "queuing", "sending", "sent", "cancelled"] as const;
export type BroadcastStatus = (typeof broadcastStatuses)[number];

/** Why a broadcast was cancelled other than by staff pressing "cancel". */
export const cancelReasons = {
  /** Its creator no longer has the staff role when it was to be queued. */
  creatorRevoked: "creator_revoked",
} as const;

/**
 * The status to show: a sending broadcast with nothing left waiting is sent.
 *
 * @example
 * shownStatus("sending", 0); // "sent"
 */
export function shownStatus(stored: string, waiting: number): BroadcastStatus {
  if (stored === "sending" && waiting === 0) return "sent";
  return (broadcastStatuses as readonly string[]).includes(stored) ? (stored as BroadcastStatus) : "scheduled";
}

/**
 * Marks a broadcast cancelled and deletes its outbox rows not yet sent; `reason` says why when it was
 * not staff's own decision. Returns false when it was already cancelled or gone.
 *
 * @example
 * await markCancelled(tx, id, cancelReasons.creatorRevoked, now);
 */
export async function markCancelled(
  tx: StoreTx,
  broadcastId: number,
  reason: string | null,
  now: Date,
): Promise<boolean> {
  const result = await tx.db
    .updateTable("broadcasts")
    .set({ status: "cancelled", cancel_reason: reason, updated_at: now.toISOString() })
    .where("id", "=", broadcastId)
    .where("status", "!=", "cancelled")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await tx.db.deleteFrom("outbox").where("broadcast_id", "=", broadcastId).where("status", "=", "queued").execute();
  return true;
}
