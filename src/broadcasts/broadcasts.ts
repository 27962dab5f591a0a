/**
 * Staff broadcasts: a message to an audience, now or at a set time. When it
 * is due, one job queues one outbox row per person with set operations in the
 * database (see fan-out.ts; a unique key per broadcast and person makes a
 * second run harmless); the outbox sender then delivers them in the bulk lane
 * within the platforms' limits. A broadcast still queuing or sending can be
 * cancelled: what is not sent yet is withdrawn. Its counts outlive the outbox
 * rows: pruning adds the rows it deletes to the broadcast's pruned counts.
 */
import type { Scheduler } from "../scheduler/scheduler.ts";
import type { StoreTx } from "../storage/store.ts";
import { type Audience, toFilter } from "./audience.ts";
import { deliveryCounts } from "./counts.ts";
import { markCancelled } from "./lifecycle.ts";

export {
  type Audience,
  type AudienceFilter,
  type AudienceReach,
  audienceAddresses,
  audienceQuery,
  audienceReach,
  audienceSchema,
  everyone,
  filterProblems,
  storedFilter,
  toFilter,
} from "./audience.ts";
export { type DeliveryCounts, deliveryCounts } from "./counts.ts";
export { type CreatorCheck, creatorStillStaff, withdrawBroadcastsOf } from "./creator.ts";
export { fanOut, queueBroadcast, queuePage } from "./fan-out.ts";
export { type BroadcastStatus, broadcastStatuses, cancelReasons } from "./lifecycle.ts";
export { type BroadcastMessage, broadcastOutbound, shownLanguage } from "./message.ts";

/** The job kind that fans a broadcast out into the outbox. */
export const broadcastKind = "broadcast.send";

/**
 * The scheduler key of a broadcast's job. It ends in ":send" so that
 * cancelling broadcast 1 (a key prefix) never matches broadcast 12's job.
 */
const jobKey = (broadcastId: number): string => `broadcast:${broadcastId}:send`;

/** Delivery counts of a broadcast, all channels together (the chat's and the old API's summary). */
export interface BroadcastCounts {
  id: number;
  status: string;
  recipients: number;
  /** Waiting or being sent. */
  queued: number;
  /** Each row counted once by its last status: a read message is in `read`, not also in `sent`. */
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

/** What a new broadcast needs. */
export interface NewBroadcast {
  /** The text per language. */
  text: Record<string, string>;
  /** The language for people whose own and second language have no text (default: English, else the first). */
  defaultLanguage?: string | undefined;
  /** Any audience form; stored as the combination. */
  audience: Audience;
  sendAt: Date;
  /** The zone a scheduled time was entered in, to show it back the same way. */
  timeZone?: string | undefined;
  /** A staff member's address, `admin-token`, `admin-api`, or null. */
  createdBy: string | null;
}

/**
 * Creates a broadcast and schedules its sending at `sendAt`.
 *
 * @example
 * const id = await createBroadcast(tx, scheduler, { text: { en: "...", ar: "..." }, defaultLanguage: "en", audience, sendAt: now, createdBy }, now);
 */
export async function createBroadcast(
  tx: StoreTx,
  scheduler: Scheduler,
  input: NewBroadcast,
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  const languages = Object.keys(input.text);
  const defaultLanguage =
    input.defaultLanguage && languages.includes(input.defaultLanguage)
      ? input.defaultLanguage
      : languages.includes("en")
        ? "en"
        : (languages[0] ?? "en");
  const row = await tx.db
    .insertInto("broadcasts")
    .values({
      text: JSON.stringify(input.text),
      default_language: defaultLanguage,
      audience: JSON.stringify(toFilter(input.audience)),
      status: "scheduled",
      send_at: input.sendAt.toISOString(),
      time_zone: input.timeZone ?? null,
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
 * sends nothing more (a fan-out still running stops at its next page; the
 * outbox rows not yet sent are deleted). False when it is gone, already
 * cancelled, or sent completely.
 *
 * @example
 * const done = await cancelBroadcast(tx, scheduler, id, now);
 */
export async function cancelBroadcast(
  tx: StoreTx,
  scheduler: Scheduler,
  broadcastId: number,
  now: Date,
  reason: string | null = null,
): Promise<boolean> {
  const counts = await deliveryCounts(tx, broadcastId);
  if (!counts || counts.status === "cancelled" || counts.status === "sent") return false;
  await scheduler.cancel(tx, jobKey(broadcastId));
  // A job scheduled before keys ended in ":send" stays; it finds the broadcast cancelled and does nothing.
  return markCancelled(tx, broadcastId, reason, now);
}

/**
 * Delivery counts: the broadcast's outbox rows by status, plus the rows that
 * pruning deleted (kept per broadcast), so old broadcasts keep their figures.
 *
 * @example
 * const counts = await broadcastCounts(tx, id); // { status: "sending", recipients: 40000, queued: 12000, ... }
 */
export async function broadcastCounts(tx: StoreTx, broadcastId: number): Promise<BroadcastCounts | undefined> {
  const counts = await deliveryCounts(tx, broadcastId);
  if (!counts) return undefined;
  const t = counts.tally;
  return {
    id: broadcastId,
    status: counts.status,
    recipients: counts.recipients,
    queued: t.queued + t.sending,
    sent: t.sent,
    delivered: t.delivered,
    read: t.read,
    failed: t.failed,
  };
}
