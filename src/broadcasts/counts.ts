/**
 * Live delivery counts of a broadcast, per channel: queued, sending, sent, failed with the reasons
 * grouped, and delivered and read where the platform reports them (WhatsApp does; Telegram and the web
 * chat do not, so theirs are `null`, never a meaningless 0). The outbox rows still there are counted
 * as they are, and the rows pruning deleted are added from `broadcast_pruned` (pruned.ts), so the
 * figures are the same before and after pruning.
 */
import { sql } from "kysely";
import { scrub } from "../log.ts";
import type { StoreTx } from "../storage/store.ts";
import { type BroadcastStatus, shownStatus } from "./lifecycle.ts";
import { prunedErrorLength } from "./pruned.ts";

/** Outbox statuses a broadcast row can have, each counted once (a read message is not also "delivered"). */
export interface StatusTally {
  queued: number;
  sending: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

/** One channel's figures as staff read them: each later step is part of the one before. */
export interface ChannelCounts {
  /** `telegram`, `whatsapp`, `web`, ...; empty for counts pruned before they were kept per channel. */
  channel: string;
  queued: number;
  sending: number;
  /** Handed to the platform (including those since delivered or read). */
  sent: number;
  /** Reached the phone (including read); null where the platform does not report it. */
  delivered: number | null;
  /** Read; null where the platform does not report it. */
  read: number | null;
  failed: number;
}

/** Why sends failed, in a few classes staff can act on. */
export type FailureReason =
  | "blocked"
  | "no_template"
  | "window_closed"
  | "gave_up"
  | "unconfirmed"
  | "refused_before_sending"
  | "refused";

/** Failed sends of one reason on one channel, with up to three of the platform's own error texts. */
export interface FailureGroup {
  channel: string;
  reason: FailureReason;
  count: number;
  examples: string[];
}

/** Everything the console and the API show about a broadcast's delivery. */
export interface DeliveryCounts {
  id: number;
  status: BroadcastStatus;
  cancelReason: string | null;
  /** People queued. */
  recipients: number;
  channels: ChannelCounts[];
  /** All channels together; delivered and read only from the channels that report them. */
  total: ChannelCounts;
  failures: FailureGroup[];
  /** The raw counts by outbox status, all channels. */
  tally: StatusTally;
}

/** Whether a channel's platform reports delivery and reading (WhatsApp's status callbacks). */
export function reportsDelivery(channel: string): boolean {
  return channel === "whatsapp" || channel === "";
}

/**
 * The class of a stored outbox error.
 *
 * @example
 * failureReason("blocked: Forbidden: bot was blocked by the user"); // "blocked"
 */
export function failureReason(error: string): FailureReason {
  if (/^blocked\b/i.test(error)) return "blocked";
  if (/no template is configured/i.test(error)) return "no_template";
  if (/24-hour window|\b131047\b/i.test(error)) return "window_closed";
  if (/^gave up after/i.test(error)) return "gave_up";
  if (/^unconfirmed/i.test(error)) return "unconfirmed";
  if (/^refused before sending/i.test(error)) return "refused_before_sending";
  return "refused";
}

const emptyTally = (): StatusTally => ({ queued: 0, sending: 0, sent: 0, delivered: 0, read: 0, failed: 0 });

/**
 * The delivery counts of a broadcast, undefined when there is none with this id.
 *
 * @example
 * const counts = await deliveryCounts(app.store.reader, 7);
 * counts?.channels.find((c) => c.channel === "telegram")?.delivered; // null: Telegram does not report it
 */
export async function deliveryCounts(tx: StoreTx, broadcastId: number): Promise<DeliveryCounts | undefined> {
  const broadcast = await tx.db
    .selectFrom("broadcasts")
    .select(["status", "recipients", "cancel_reason"])
    .where("id", "=", broadcastId)
    .executeTakeFirst();
  if (!broadcast) return undefined;
  const errorOf = sql<string>`case when status = 'failed' then substr(coalesce(error, ''), 1, ${sql.lit(prunedErrorLength)}) else '' end`;
  const live = await tx.db
    .selectFrom("outbox")
    .select([
      sql<string>`coalesce(channel, '')`.as("channel"),
      "status",
      errorOf.as("error"),
      sql<number | string>`count(*)`.as("n"),
    ])
    .where("broadcast_id", "=", broadcastId)
    .groupBy([sql`coalesce(channel, '')`, "status", errorOf])
    .execute();
  const pruned = await tx.db
    .selectFrom("broadcast_pruned")
    .select(["channel", "status", "error", "n"])
    .where("broadcast_id", "=", broadcastId)
    .execute();

  const byChannel = new Map<string, StatusTally>();
  const failures = new Map<string, FailureGroup>();
  const tally = emptyTally();
  for (const row of [...live, ...pruned]) {
    const n = Number(row.n);
    if (n === 0) continue;
    const status = (row.status in tally ? row.status : "failed") as keyof StatusTally;
    const channel = byChannel.get(row.channel) ?? emptyTally();
    channel[status] += n;
    tally[status] += n;
    byChannel.set(row.channel, channel);
    if (status === "failed") {
      const reason = failureReason(row.error);
      const key = `${row.channel}\u0000${reason}`;
      const group = failures.get(key) ?? { channel: row.channel, reason, count: 0, examples: [] };
      group.count += n;
      const example = scrub(row.error);
      if (example && group.examples.length < 3 && !group.examples.includes(example)) group.examples.push(example);
      failures.set(key, group);
    }
  }
  const channels = [...byChannel]
    .sort(([a], [b]) => channelOrder(a) - channelOrder(b) || a.localeCompare(b))
    .map(([channel, t]) => shown(channel, t));
  const waiting = tally.queued + tally.sending;
  return {
    id: broadcastId,
    status: shownStatus(broadcast.status, waiting),
    cancelReason: broadcast.cancel_reason,
    recipients: Number(broadcast.recipients),
    channels,
    total: totalOf(channels),
    // Most first; ties in a fixed order, so the list reads the same whatever order the rows came in.
    failures: [...failures.values()].sort(
      (a, b) =>
        b.count - a.count || channelOrder(a.channel) - channelOrder(b.channel) || a.reason.localeCompare(b.reason),
    ),
    tally,
  };
}

function shown(channel: string, t: StatusTally): ChannelCounts {
  const reports = reportsDelivery(channel);
  return {
    channel,
    queued: t.queued,
    sending: t.sending,
    sent: t.sent + t.delivered + t.read,
    delivered: reports ? t.delivered + t.read : null,
    read: reports ? t.read : null,
    failed: t.failed,
  };
}

function totalOf(channels: ChannelCounts[]): ChannelCounts {
  const sum = (f: (c: ChannelCounts) => number | null) => channels.reduce((s, c) => s + (f(c) ?? 0), 0);
  const reporting = channels.some((c) => c.delivered !== null);
  return {
    channel: "all",
    queued: sum((c) => c.queued),
    sending: sum((c) => c.sending),
    sent: sum((c) => c.sent),
    delivered: reporting ? sum((c) => c.delivered) : null,
    read: reporting ? sum((c) => c.read) : null,
    failed: sum((c) => c.failed),
  };
}

const order = ["telegram", "whatsapp", "web", "console"];
function channelOrder(channel: string): number {
  const i = order.indexOf(channel);
  return i === -1 ? order.length : i;
}
