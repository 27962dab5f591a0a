/**
 * Lotse's Prometheus metrics, in a registry of their own per app (never the
 * process-wide default), so tests can build several apps side by side. What
 * moves (messages, sends, errors, webhook time) is counted where it happens;
 * what stands (outbox depth and age, job lag) is read from the database when
 * `/metrics` is scraped (see queue-gauges.ts).
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** What became of an inbound message. */
export type InboundResult = "handled" | "duplicate" | "malformed" | "failed";

/** The app's metrics. */
export interface Metrics {
  registry: Registry;
  /** Messages in by `channel` and `result` ({@link InboundResult}). */
  messagesIn: Counter<"channel" | "result">;
  /** Sends by `channel`, `result` (sent, retried, failed) and `reason` class (see delivery.ts). */
  replies: Counter<"channel" | "result" | "reason">;
  /** Rows waiting to be sent (queued or being sent) by `channel` and `lane`. */
  outboxDepth: Gauge<"channel" | "lane">;
  /** Age of the oldest waiting row by `channel` and `lane`, in seconds. */
  outboxOldestAge: Gauge<"channel" | "lane">;
  /** How late the oldest due pending job is, in seconds (0 when none is due). */
  jobLag: Gauge;
  /** Time to answer a platform's webhook, by `channel`. */
  webhookSeconds: Histogram<"channel">;
  /** Failed database queries and dropped connections, by `kind` (unavailable, query, connection_lost). */
  databaseErrors: Counter<"kind">;
}

/**
 * A fresh registry with every Lotse metric in it.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.messagesIn.inc({ channel: "telegram", result: "handled" });
 * const text = await metrics.registry.metrics();
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const databaseErrors = new Counter({
    name: "lotse_database_errors_total",
    help: "Failed database queries (unavailable: locked, full, down; query: any other), dropped connections, shared transactions rolled back to run their works again alone (Postgres: a lock wait, a deadlock, a work's error), and failed background checkpoints (SQLite).",
    labelNames: ["kind"] as const,
    registers,
  });
  // Known from the start, so a rate over them is 0 rather than absent until the first error.
  for (const kind of ["unavailable", "query", "connection_lost", "shared_rollback", "checkpoint"])
    databaseErrors.inc({ kind }, 0);
  return {
    registry,
    messagesIn: new Counter({
      name: "lotse_messages_in_total",
      help: "Inbound messages by channel and result (handled, duplicate, malformed, failed).",
      labelNames: ["channel", "result"] as const,
      registers,
    }),
    replies: new Counter({
      name: "lotse_replies_total",
      help: "Outbox sends by channel, result (sent, retried, failed) and reason class.",
      labelNames: ["channel", "result", "reason"] as const,
      registers,
    }),
    outboxDepth: new Gauge({
      name: "lotse_outbox_depth",
      help: "Outbox rows waiting to be sent (queued or being sent), by channel and lane.",
      labelNames: ["channel", "lane"] as const,
      registers,
    }),
    outboxOldestAge: new Gauge({
      name: "lotse_outbox_oldest_age_seconds",
      help: "Age of the oldest outbox row waiting to be sent, by channel and lane.",
      labelNames: ["channel", "lane"] as const,
      registers,
    }),
    jobLag: new Gauge({
      name: "lotse_job_lag_seconds",
      help: "Seconds since the oldest due pending job was due (0 when none is waiting).",
      registers,
    }),
    webhookSeconds: new Histogram({
      name: "lotse_webhook_duration_seconds",
      help: "Time to answer a platform's webhook, by channel.",
      labelNames: ["channel"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    databaseErrors,
  };
}
