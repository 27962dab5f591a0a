/**
 * A broadcast goes out on its creator's authority at the moment it goes out, not when it was written:
 * a staff member who loses the staff role (removed by an admin, taken out of STAFF_ADDRESSES) before
 * their scheduled or half-queued broadcast is queued leaves it cancelled, with the reason recorded
 * and logged. The check runs before every page of the fan-out, so also at the start of a scheduled one.
 */
import { parseAddress } from "../domain/address.ts";
import { hashAddress, type Logger } from "../log.ts";
import type { StaffRights } from "../staff/rights.ts";
import type { StoreTx } from "../storage/store.ts";
import { cancelReasons, markCancelled } from "./lifecycle.ts";

/** Whether a broadcast may still be sent on its creator's authority. */
export type CreatorCheck = (tx: StoreTx, broadcast: { id: number; createdBy: string | null }) => Promise<boolean>;

/**
 * Whether `createdBy` is a person's chat address (whose role can be taken away), rather than the
 * bootstrap admin token, the old bearer API, or nobody (an erased creator: the broadcast stays theirs
 * to no one, and is treated as the organisation's).
 */
function isPerson(createdBy: string | null): createdBy is string {
  if (!createdBy) return false;
  try {
    parseAddress(createdBy);
    return true;
  } catch {
    return false;
  }
}

/**
 * The check the running bot uses: the creator must have the staff role now (StaffRights reads the
 * directory and the staff table as they are at this moment). A refusal is logged with the
 * broadcast's id and the creator's address as its hash.
 *
 * @example
 * await queueBroadcast(store, id, pack, now, { creatorCheck: creatorStillStaff(rights, logger), renderer });
 */
export function creatorStillStaff(rights: StaffRights, logger: Logger): CreatorCheck {
  return async (tx, broadcast) => {
    if (!isPerson(broadcast.createdBy)) return true;
    const allowed = await rights.has(tx, broadcast.createdBy as Parameters<StaffRights["has"]>[1], "staff");
    if (!allowed)
      logger.warn("broadcast.creator_revoked", { broadcastId: broadcast.id, who: hashAddress(broadcast.createdBy) });
    return allowed;
  };
}

/**
 * Cancels every unfinished broadcast (scheduled, queuing or sending) a person created, withdrawing what
 * is not sent yet; for the moment their staff role is taken away. Returns the ids cancelled.
 *
 * @example
 * const ids = await withdrawBroadcastsOf(tx, "telegram:100", now);
 */
export async function withdrawBroadcastsOf(tx: StoreTx, createdBy: string, now: Date): Promise<number[]> {
  const open = await tx.db
    .selectFrom("broadcasts")
    .select("id")
    .where("created_by", "=", createdBy)
    .where("status", "in", ["scheduled", "queuing", "sending"])
    .execute();
  const cancelled: number[] = [];
  for (const { id } of open)
    if (await markCancelled(tx, Number(id), cancelReasons.creatorRevoked, now)) cancelled.push(Number(id));
  return cancelled;
}
