/**
 * What stands in the queues, read when `/metrics` is scraped: per channel and
 * lane the outbox rows still to send and the age of the oldest (one grouped
 * query, served by the outbox's status index), and how late the oldest due
 * job is (one range scan of the scheduler's claim index).
 */
import type { Store } from "../storage/store.ts";
import type { Metrics } from "./metrics.ts";

/** The queues at one moment. */
export interface QueueReading {
  outbox: Array<{ channel: string; lane: number; depth: number; oldestAgeSeconds: number }>;
  jobLagSeconds: number;
}

/**
 * Reads the queues as of `now`.
 *
 * @example
 * const reading = await readQueues(app.store, app.clock.now());
 */
export async function readQueues(store: Store, now: Date): Promise<QueueReading> {
  const at = now.toISOString();
  const rows = await store.db
    .selectFrom("outbox")
    .select((eb) => [
      "channel",
      "lane",
      eb.fn.countAll<number | string>().as("depth"),
      eb.fn.min<string>("created_at").as("oldest"),
    ])
    .where("status", "in", ["queued", "sending"])
    .groupBy(["channel", "lane"])
    .execute();
  const job = await store.db
    .selectFrom("jobs")
    .select((eb) => eb.fn.min<string | null>("due_at").as("oldest"))
    .where("claim_at", "<=", at)
    .where("status", "=", "pending")
    .executeTakeFirst();
  const secondsSince = (iso: string | null | undefined) =>
    iso ? Math.max(0, (now.getTime() - new Date(iso).getTime()) / 1000) : 0;
  return {
    outbox: rows.map((row) => ({
      channel: row.channel ?? "none",
      lane: Number(row.lane),
      depth: Number(row.depth),
      oldestAgeSeconds: secondsSince(row.oldest),
    })),
    jobLagSeconds: secondsSince(job?.oldest),
  };
}

/**
 * Sets the queue gauges to a reading; a channel and lane that emptied disappears instead of keeping its last value.
 *
 * @example
 * setQueueGauges(app.metrics, await readQueues(app.store, app.clock.now()));
 */
export function setQueueGauges(metrics: Metrics, reading: QueueReading): void {
  metrics.outboxDepth.reset();
  metrics.outboxOldestAge.reset();
  for (const row of reading.outbox) {
    const labels = { channel: row.channel, lane: String(row.lane) };
    metrics.outboxDepth.set(labels, row.depth);
    metrics.outboxOldestAge.set(labels, row.oldestAgeSeconds);
  }
  metrics.jobLag.set(reading.jobLagSeconds);
}
