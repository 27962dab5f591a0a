/**
 * Staff broadcasts: a message to an audience, now or at a set time. When it
 * is due, one job queues one outbox row per person with set operations in the
 * database (see fan-out.ts; a unique key per broadcast and person makes a
 * second run harmless); the outbox sender then delivers them in the bulk lane
 * within the platforms' limits. A broadcast still queuing or sending can be
 * cancelled: what is not sent yet is withdrawn. Its counts outlive the outbox
 * rows: pruning adds the rows it deletes to the broadcast's pruned counts.
 */
import { sql } from "kysely";
import type { Scheduler } from "../scheduler/scheduler.ts";
import type { StoreTx } from "../storage/store.ts";
import type { Audience } from "./audience.ts";

export {
  type Audience,
  type AudienceReach,
  audienceAddresses,
  audienceQuery,
  audienceReach,
  audienceSchema,
} from "./audience.ts";
export { fanOut, queueBroadcast, queuePage } from "./fan-out.ts";

/** The job kind that fans a broadcast out into the outbox. */
export const broadcastKind = "broadcast.send";

/**
 * The scheduler key of a broadcast's job. It ends in ":send" so that
 * cancelling broadcast 1 (a key prefix) never matches broadcast 12's job.
 */
const jobKey = (broadcastId: number): string => `broadcast:${broadcastId}:send`;

/** Delivery counts of a broadcast. */
export interface BroadcastCounts {
  id: number;
  status: string;
  recipients: number;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

/**
 * Creates a broadcast and schedules its sending at `sendAt`.
 *
 * @example
 * const id = await createBroadcast(tx, scheduler, { text: { en: "..." }, audience, sendAt: now, createdBy }, now);
 */
export async function createBroadcast(
  tx: StoreTx,
  scheduler: Scheduler,
  input: { text: Record<string, string>; audience: Audience; sendAt: Date; createdBy: string | null },
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  const row = await tx.db
    .insertInto("broadcasts")
    .values({
      text: JSON.stringify(input.text),
      audience: JSON.stringify(input.audience),
      status: "scheduled",
      send_at: input.sendAt.toISOString(),
      recipients: 0,
      created_by: input.createdBy,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await scheduler.schedule(tx, {
    kind: broadcastKind,
    dueAt: input.sendAt,
    payload: { broadcastId: id },
    uniqueKey: jobKey(id),
  });
  return id;
}

/**
 * Cancels a broadcast: a scheduled one never starts, a queuing or sending one
 * sends nothing more (a fan-out still running stops at its next page).
 *
 * @example
 * const done = await cancelBroadcast(tx, scheduler, id, now);
 */
export async function cancelBroadcast(
  tx: StoreTx,
  scheduler: Scheduler,
  broadcastId: number,
  now: Date,
): Promise<boolean> {
  const broadcast = await tx.db
    .selectFrom("broadcasts")
    .select("status")
    .where("id", "=", broadcastId)
    .executeTakeFirst();
  if (!broadcast || broadcast.status === "cancelled" || broadcast.status === "sent") return false;
  await scheduler.cancel(tx, jobKey(broadcastId));
  // A job scheduled before keys ended in ":send" stays; it finds the broadcast cancelled and does nothing.
  await tx.db.deleteFrom("outbox").where("broadcast_id", "=", broadcastId).where("status", "=", "queued").execute();
  await tx.db
    .updateTable("broadcasts")
    .set({ status: "cancelled", updated_at: now.toISOString() })
    .where("id", "=", broadcastId)
    .execute();
  return true;
}

/**
 * Delivery counts: the broadcast's outbox rows by status, plus the rows that
 * pruning deleted (kept on the broadcast), so old broadcasts keep their figures.
 *
 * @example
 * const counts = await broadcastCounts(tx, id); // { status: "sending", recipients: 40000, queued: 12000, ... }
 */
export async function broadcastCounts(tx: StoreTx, broadcastId: number): Promise<BroadcastCounts | undefined> {
  const broadcast = await tx.db
    .selectFrom("broadcasts")
    .select(["status", "recipients", "pruned_sent", "pruned_delivered", "pruned_read", "pruned_failed"])
    .where("id", "=", broadcastId)
    .executeTakeFirst();
  if (!broadcast) return undefined;
  const rows = await tx.db
    .selectFrom("outbox")
    .select(["status", sql<number>`count(*)`.as("n")])
    .where("broadcast_id", "=", broadcastId)
    .groupBy("status")
    .execute();
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const queued = (by.queued ?? 0) + (by.sending ?? 0);
  const status = broadcast.status === "sending" && queued === 0 ? "sent" : broadcast.status;
  return {
    id: broadcastId,
    status,
    recipients: Number(broadcast.recipients),
    queued,
    sent: (by.sent ?? 0) + Number(broadcast.pruned_sent),
    delivered: (by.delivered ?? 0) + Number(broadcast.pruned_delivered),
    read: (by.read ?? 0) + Number(broadcast.pruned_read),
    failed: (by.failed ?? 0) + Number(broadcast.pruned_failed),
  };
}
