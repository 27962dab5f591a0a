/**
 * Recording what became of a send: sent (or deleted, for a goodbye after
 * erasure), retried later with back-off, failed with its reason, or the person
 * blocked the bot (every queued row of theirs fails, they become unreachable).
 */
import { sql } from "kysely";
import { hashAddress, type Logger } from "../log.ts";
import type { Store } from "../storage/store.ts";
import type { SendResult } from "./channel-sender.ts";
import type { Claimed } from "./claim.ts";

/** What a pass did. */
export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
}

/** An empty report. */
export const noDeliveries = (): DeliveryReport => ({ sent: 0, retried: 0, failed: 0 });

/** A send the platform accepted, waiting to be recorded with others. */
export interface Accepted {
  message: Claimed;
  platformId: string | undefined;
}

/**
 * Records many accepted sends in one statement (and deletes the accepted
 * goodbyes after erasure): at a thousand sends a second, one commit per send
 * would cost more than the sends.
 *
 * @example
 * await recordAccepted(store, [{ message, platformId: "42:7" }], now);
 */
export async function recordAccepted(store: Store, accepted: readonly Accepted[], now: Date): Promise<void> {
  if (accepted.length === 0) return;
  const at = now.toISOString();
  const purge = accepted.filter((a) => a.message.purge).map((a) => a.message.id);
  const keep = accepted.filter((a) => !a.message.purge);
  await store.transaction(async (tx) => {
    if (purge.length > 0) await tx.db.deleteFrom("outbox").where("id", "in", purge).execute();
    for (let i = 0; i < keep.length; i += 500) {
      const chunk = keep.slice(i, i + 500);
      const withId = chunk.filter((a) => a.platformId !== undefined);
      const platformId =
        withId.length === 0
          ? sql<string | null>`null`
          : sql<string | null>`case id ${sql.join(
              withId.map((a) => sql`when ${a.message.id} then ${a.platformId}`),
              sql` `,
            )} else null end`;
      await tx.db
        .updateTable("outbox")
        .set({ status: "sent", sent_at: at, updated_at: at, lease_until: null, error: null, platform_id: platformId })
        .where(
          "id",
          "in",
          chunk.map((a) => a.message.id),
        )
        .execute();
    }
  });
}

/** A send that did not go through: accepted sends are recorded together by {@link recordAccepted}. */
export type NotAccepted = Exclude<SendResult, { kind: "sent" }>;

/**
 * Stores what became of a send that did not go through (retried later, failed, blocked) and counts it
 * in `report`.
 *
 * @example
 * await recordResult(store, logger, message, { kind: "retry", reason: "502" }, now, report, 86_400_000);
 */
export async function recordResult(
  store: Store,
  logger: Logger,
  message: Claimed,
  result: NotAccepted,
  now: Date,
  report: DeliveryReport,
  giveUpAfterMs: number,
): Promise<void> {
  const at = now.toISOString();
  const who = hashAddress(message.address);
  const row = store.db.updateTable("outbox").where("id", "=", message.id);
  switch (result.kind) {
    case "retry": {
      const partsSent = result.partsSent ?? message.partsSent;
      if (now.getTime() - message.createdAt.getTime() > giveUpAfterMs) {
        report.failed += 1;
        logger.warn("outbox.gave_up", {
          who,
          channel: message.channel,
          attempts: message.attempts,
          reason: result.reason,
        });
        await row
          .set({
            status: "failed",
            error: `gave up after ${message.attempts} attempts: ${result.reason}`.slice(0, 500),
            updated_at: at,
            lease_until: null,
            parts_sent: partsSent,
          })
          .execute();
        return;
      }
      report.retried += 1;
      const backoff = result.afterMs ?? Math.min(600_000, 1000 * 2 ** Math.min(message.attempts - 1, 10));
      await row
        .set({
          status: "queued",
          not_before: new Date(now.getTime() + backoff).toISOString(),
          updated_at: at,
          lease_until: null,
          error: result.reason.slice(0, 500),
          parts_sent: partsSent,
        })
        .execute();
      return;
    }
    case "blocked":
      report.failed += 1;
      logger.info("outbox.blocked", { who, channel: message.channel });
      await store.transaction(async (tx) => {
        await tx.updateUser(message.address, { status: "unreachable" }, now);
        await tx.db
          .updateTable("outbox")
          .set({
            status: "failed",
            error: `blocked: ${result.reason}`.slice(0, 500),
            updated_at: at,
            lease_until: null,
          })
          .where("address", "=", message.address)
          .where("status", "in", ["queued", "sending"])
          .execute();
      });
      return;
    case "failed":
      report.failed += 1;
      logger.warn("outbox.refused", { who, channel: message.channel, reason: result.reason });
      await row
        .set({
          status: "failed",
          error: result.reason.slice(0, 500),
          updated_at: at,
          lease_until: null,
          parts_sent: result.partsSent ?? message.partsSent,
        })
        .execute();
      return;
  }
}
