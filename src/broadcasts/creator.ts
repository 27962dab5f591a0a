/**
 * A broadcast goes out on its creator's authority at the moment it goes out, not when it was written:
 * a staff member who loses the staff role (removed by an admin, taken out of STAFF_ADDRESSES) before
 * their scheduled or half-queued broadcast is queued leaves it cancelled, with the reason recorded
 * and logged; so does a teacher's class message once they no longer teach that class. The check runs before every page of the fan-out, so also at the start of a scheduled one.
 */
import { canSeeClass } from "../classes/access.ts";
import { getClass } from "../classes/repository.ts";
import { type Address, parseAddress } from "../domain/address.ts";
import { hashAddress, type Logger } from "../log.ts";
import type { StaffRights } from "../staff/rights.ts";
import type { StoreTx } from "../storage/store.ts";
import { storedFilter } from "./audience-filter.ts";
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

/** The class a broadcast's audience is (a teacher's class message), or null for any other broadcast. */
async function classOfBroadcast(tx: StoreTx, broadcastId: number): Promise<number | null> {
  const row = await tx.db.selectFrom("broadcasts").select("audience").where("id", "=", broadcastId).executeTakeFirst();
  return row ? storedFilter(row.audience).classId : null;
}

/**
 * The check the running bot uses: the creator must have the staff role now (StaffRights reads the
 * directory and the staff table as they are at this moment). A class message needs instead that the
 * creator may still see that class: still its teacher (with the teacher role), or an admin. A
 * refusal is logged with the broadcast's id and the creator's address as its hash.
 *
 * @example
 * await queueBroadcast(store, id, pack, now, { creatorCheck: creatorStillStaff(rights, logger), renderer });
 */
export function creatorStillStaff(rights: StaffRights, logger: Logger): CreatorCheck {
  return async (tx, broadcast) => {
    if (!isPerson(broadcast.createdBy)) return true;
    const address = broadcast.createdBy as Address;
    const classId = await classOfBroadcast(tx, broadcast.id);
    let allowed: boolean;
    if (classId === null) allowed = await rights.has(tx, address, "staff");
    else {
      const cls = await getClass(tx.db, classId);
      allowed = cls !== undefined && canSeeClass({ address, roles: [...(await rights.rolesOf(tx, address))] }, cls);
    }
    if (!allowed)
      logger.warn("broadcast.creator_revoked", { broadcastId: broadcast.id, who: hashAddress(broadcast.createdBy) });
    return allowed;
  };
}

/**
 * Cancels every unfinished broadcast (scheduled, queuing or sending) a person created, withdrawing what
 * is not sent yet; for the moment their staff role is taken away. With `keepClassMessages` (they keep the
 * teacher role) their class messages stay: those are checked against the class when they go out.
 * Returns the ids cancelled.
 *
 * @example
 * const ids = await withdrawBroadcastsOf(tx, "telegram:100", now);
 */
export async function withdrawBroadcastsOf(
  tx: StoreTx,
  createdBy: string,
  now: Date,
  options: { keepClassMessages?: boolean } = {},
): Promise<number[]> {
  const open = await tx.db
    .selectFrom("broadcasts")
    .select(["id", "audience"])
    .where("created_by", "=", createdBy)
    .where("status", "in", ["scheduled", "queuing", "sending"])
    .execute();
  const cancelled: number[] = [];
  for (const { id, audience } of open) {
    if (options.keepClassMessages && storedFilter(audience).classId !== null) continue;
    if (await markCancelled(tx, Number(id), cancelReasons.creatorRevoked, now)) cancelled.push(Number(id));
  }
  return cancelled;
}
