/**
 * Delivering what the engine wrote to the outbox, for push channels. One
 * message per chat is in flight at a time and always the oldest, so order is
 * kept; sends are paced to each channel's rates; 429, 5xx and network errors
 * are retried with back-off (honouring the platform's wait) until a bounded
 * time, then recorded as failed with the reason. A row is marked `sending`
 * with a lease before the request, so a crash between "sent" and "marked
 * sent" resends at most that one message; nothing is dropped silently.
 */
import { sql } from "kysely";
import type { Address } from "../domain/address.ts";
import type { Clock } from "../domain/clock.ts";
import type { Outbound } from "../domain/outbound.ts";
import { hashAddress, type Logger } from "../log.ts";
import type { Store } from "../storage/store.ts";
import type { ChannelSender, SendResult } from "./channel-sender.ts";
import { RateLimiter } from "./rate-limiter.ts";

/** Tuning of the sender. */
export interface OutboxSenderOptions {
  /** After this long since a message was queued, stop retrying and record it as failed. */
  giveUpAfterMs?: number;
  /** How long a `sending` claim holds before another pass may retry it. */
  leaseMs?: number;
  /** Chats served in one pass. */
  batch?: number;
}

/** What one pass did. */
export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
}

interface Claimed {
  id: number;
  address: Address;
  channel: string;
  outbound: Outbound;
  attempts: number;
  createdAt: Date;
  purge: boolean;
}

/**
 * The outbox sender.
 *
 * @example
 * const sender = new OutboxSender(store, [telegramSender], systemClock, logger);
 * sender.start();
 */
export class OutboxSender {
  private readonly senders = new Map<string, { sender: ChannelSender; limiter: RateLimiter }>();
  private readonly giveUpAfterMs: number;
  private readonly leaseMs: number;
  private readonly batch: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    senders: ChannelSender[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: OutboxSenderOptions = {},
  ) {
    for (const sender of senders) this.senders.set(sender.channel, { sender, limiter: new RateLimiter(sender.rate) });
    this.giveUpAfterMs = options.giveUpAfterMs ?? 24 * 3_600_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batch = options.batch ?? 100;
  }

  /** Delivers in the background: a pass, then the next as soon as there is work, else every `idleMs`. */
  start(idleMs = 250): void {
    const loop = async () => {
      const report = await this.deliverDue().catch((error: unknown) => {
        this.logger.error("outbox.pass_failed", { error });
        return { sent: 0, retried: 0, failed: 0 };
      });
      const busy = report.sent + report.retried + report.failed > 0;
      this.timer = setTimeout(
        () => {
          this.running = loop();
        },
        busy ? 0 : idleMs,
      );
    };
    this.running = loop();
  }

  /** Stops after the pass in progress. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
    clearTimeout(this.timer);
  }

  /** One pass: claims the oldest due message of each waiting chat and sends them, paced. */
  async deliverDue(): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
    const claimed = await this.claim(this.clock.now());
    await Promise.all(claimed.map((message) => this.deliver(message, report)));
    return report;
  }

  /** Sends until nothing due is left (for tests and the terminal chat). */
  async drain(maxPasses = 10_000): Promise<DeliveryReport> {
    const total: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
    for (let pass = 0; pass < maxPasses; pass++) {
      const report = await this.deliverDue();
      total.sent += report.sent;
      total.retried += report.retried;
      total.failed += report.failed;
      if (report.sent + report.retried + report.failed === 0) break;
    }
    return total;
  }

  private async claim(now: Date): Promise<Claimed[]> {
    const at = now.toISOString();
    const channels = [...this.senders.keys()];
    if (channels.length === 0) return [];
    return this.store.transaction(async (tx) => {
      // The head of each chat's queue, if no message of that chat is being sent right now.
      let query = tx.db
        .selectFrom("outbox as o")
        .selectAll("o")
        .where("o.channel", "in", channels)
        .where((eb) =>
          eb.or([
            eb("o.status", "=", "queued"),
            eb.and([eb("o.status", "=", "sending"), eb("o.lease_until", "<", at)]),
          ]),
        )
        .where("o.not_before", "<=", at)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("outbox as earlier")
                .select("earlier.id")
                .whereRef("earlier.address", "=", "o.address")
                .whereRef("earlier.id", "<", "o.id")
                .where("earlier.status", "in", ["queued", "sending"]),
            ),
          ),
        )
        .orderBy("o.id")
        .limit(this.batch);
      if (tx.dialect === "postgres") query = query.forUpdate("o").skipLocked();
      const rows = await query.execute();
      if (rows.length === 0) return [];
      await tx.db
        .updateTable("outbox")
        .set({
          status: "sending",
          lease_until: new Date(now.getTime() + this.leaseMs).toISOString(),
          attempts: sql`attempts + 1`,
          updated_at: at,
        })
        .where(
          "id",
          "in",
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        address: r.address as Address,
        channel: r.channel ?? "",
        outbound: JSON.parse(r.payload) as Outbound,
        attempts: Number(r.attempts) + 1,
        createdAt: new Date(r.created_at),
        purge: Number(r.purge) === 1,
      }));
    });
  }

  private async deliver(message: Claimed, report: DeliveryReport): Promise<void> {
    const channel = this.senders.get(message.channel);
    if (!channel) return;
    await channel.limiter.take(message.address);
    let result: SendResult;
    try {
      result = await channel.sender.send(message.address, message.outbound);
    } catch (error) {
      // Senders turn platform and network answers into results themselves; what they throw is a local
      // refusal (a builder rejecting a message), which no retry can cure: record it and let the next one go.
      result = {
        kind: "failed",
        reason: `refused before sending: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (result.kind === "retry" && result.afterMs) channel.limiter.pause(Math.min(result.afterMs, 60_000));
    await this.record(message, result, report);
  }

  private async record(message: Claimed, result: SendResult, report: DeliveryReport): Promise<void> {
    const now = this.clock.now();
    const at = now.toISOString();
    const who = hashAddress(message.address);
    switch (result.kind) {
      case "sent":
        report.sent += 1;
        if (message.purge) {
          await this.store.db.deleteFrom("outbox").where("id", "=", message.id).execute();
          return;
        }
        await this.store.db
          .updateTable("outbox")
          .set({
            status: "sent",
            sent_at: at,
            updated_at: at,
            lease_until: null,
            platform_id: result.platformId ?? null,
            error: null,
          })
          .where("id", "=", message.id)
          .execute();
        return;
      case "retry": {
        if (now.getTime() - message.createdAt.getTime() > this.giveUpAfterMs) {
          report.failed += 1;
          this.logger.warn("outbox.gave_up", {
            who,
            channel: message.channel,
            attempts: message.attempts,
            reason: result.reason,
          });
          return this.fail(message.id, `gave up after ${message.attempts} attempts: ${result.reason}`, at);
        }
        report.retried += 1;
        const backoff = result.afterMs ?? Math.min(60_000 * 10, 1000 * 2 ** Math.min(message.attempts - 1, 10));
        await this.store.db
          .updateTable("outbox")
          .set({
            status: "queued",
            not_before: new Date(now.getTime() + backoff).toISOString(),
            updated_at: at,
            lease_until: null,
            error: result.reason.slice(0, 500),
          })
          .where("id", "=", message.id)
          .execute();
        return;
      }
      case "blocked":
        report.failed += 1;
        this.logger.info("outbox.blocked", { who, channel: message.channel });
        await this.store.transaction(async (tx) => {
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
        this.logger.warn("outbox.refused", { who, channel: message.channel, reason: result.reason });
        return this.fail(message.id, result.reason, at);
    }
  }

  private async fail(id: number, reason: string, at: string): Promise<void> {
    await this.store.db
      .updateTable("outbox")
      .set({ status: "failed", error: reason.slice(0, 500), updated_at: at, lease_until: null })
      .where("id", "=", id)
      .execute();
  }
}
