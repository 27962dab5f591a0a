/**
 * Counting what became of each send. The outbox tells us through its
 * `onResult` option (a call once results are recorded): the platform's
 * answer and what was recorded, which differ when a retry was given up after
 * the outbox's time limit. Reasons are sorted into a few classes, so the
 * label stays small whatever a platform writes.
 */
import type { SendResult } from "../outbox/channel-sender.ts";
import type { Metrics } from "./metrics.ts";

/** How many sends with one result the outbox recorded as sent, to retry, or failed. */
export interface RecordedCounts {
  sent: number;
  retried: number;
  failed: number;
}

/** A small set of reasons, fit for a metric's label. */
export type ReasonClass =
  | "ok"
  | "rate_limited"
  | "timeout"
  | "network"
  | "platform_error"
  | "gave_up"
  | "blocked"
  | "window_closed"
  | "internal"
  | "refused";

/**
 * The class of a send's result as recorded.
 *
 * @example
 * reasonClass({ kind: "retry", reason: "429 Too Many Requests", afterMs: 3000 }, "retried"); // "rate_limited"
 */
export function reasonClass(result: SendResult, recorded: "sent" | "retried" | "failed"): ReasonClass {
  switch (result.kind) {
    case "sent":
      return "ok";
    case "blocked":
      return "blocked";
    case "retry":
      if (recorded === "failed") return "gave_up";
      if (result.afterMs !== undefined || /^429\b|too many requests/i.test(result.reason)) return "rate_limited";
      if (/^timed out/i.test(result.reason)) return "timeout";
      if (/^network/i.test(result.reason)) return "network";
      return "platform_error";
    case "failed":
      if (/^refused before sending/i.test(result.reason)) return "internal";
      if (/24-hour window/i.test(result.reason)) return "window_closed";
      return "refused";
  }
}

/**
 * The outbox's `onResult` hook for these metrics: `recorded` counts the sends with this result
 * (accepted sends are recorded, and reported, in batches).
 *
 * @example
 * new OutboxSender(store, senders, clock, logger, { onResult: countDeliveries(app.metrics) });
 */
export function countDeliveries(
  metrics: Metrics,
): (channel: string, result: SendResult, recorded: RecordedCounts) => void {
  return (channel, result, recorded) => {
    for (const outcome of ["sent", "retried", "failed"] as const) {
      const count = recorded[outcome];
      if (count > 0) metrics.replies.inc({ channel, result: outcome, reason: reasonClass(result, outcome) }, count);
    }
  };
}
