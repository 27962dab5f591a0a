/**
 * Delivering what the engine wrote to the outbox, for push channels. Each
 * channel has its own worker and pace, so one channel never holds another.
 * Within a channel, rows go by lane (replies, then reminders and notices,
 * then nudges, then broadcasts) and, per chat and lane, oldest first, one at a
 * time. 429, 5xx, timeouts and network errors are retried with back-off
 * (honouring the platform's wait) until a bounded time, then recorded as
 * failed with the reason. A row is marked `sending` with a lease before the
 * request, so a crash between "sent" and "marked sent" resends at most that
 * one message; nothing is dropped silently.
 */
import type { Clock } from "../domain/clock.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../storage/store.ts";
import type { ChannelSender } from "./channel-sender.ts";
import { ChannelWorker, type ChannelWorkerOptions } from "./channel-worker.ts";
import { Pacer, type SharedStore } from "./pacer.ts";
import { type DeliveryReport, noDeliveries } from "./record.ts";

export type { DeliveryReport } from "./record.ts";

/** Tuning of the sender. */
export interface OutboxSenderOptions extends Partial<ChannelWorkerOptions> {
  /** A Redis client: the platforms' ceilings are then shared by every process that sends. */
  shared?: SharedStore | undefined;
}

/** Defaults: a day of retrying, a minute's lease, 20 s per send, bulk at most 98% of a ceiling. */
export const senderDefaults: ChannelWorkerOptions = {
  giveUpAfterMs: 24 * 3_600_000,
  leaseMs: 60_000,
  sendTimeoutMs: 20_000,
  claimEveryMs: 200,
  bulkWindowMs: 500,
  bulkShare: 0.98,
  maxInFlight: 256,
};

/**
 * The outbox sender.
 *
 * @example
 * const sender = new OutboxSender(store, [telegramSender], systemClock, logger, { shared: redis });
 * sender.start();
 */
export class OutboxSender {
  private readonly workers: ChannelWorker[];
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    senders: ChannelSender[],
    clock: Clock,
    logger: Logger,
    options: OutboxSenderOptions = {},
  ) {
    const { shared, ...tuning } = options;
    const settings: ChannelWorkerOptions = { ...senderDefaults, ...definedOnly(tuning) };
    if (settings.sendTimeoutMs >= settings.leaseMs) settings.sendTimeoutMs = Math.floor(settings.leaseMs / 2);
    this.workers = senders.map((sender) => {
      const pacer = new Pacer({
        channel: sender.account ? `${sender.channel}:${sender.account}` : sender.channel,
        rate: sender.rate,
        bulkShare: settings.bulkShare,
        shared,
      });
      return new ChannelWorker(store, sender, pacer, clock, logger, settings);
    });
  }

  /** Delivers in the background; a reply queued in this process is looked at at once, others within `idleMs`. */
  start(idleMs = 250): void {
    for (const worker of this.workers) worker.start(idleMs);
    this.unsubscribe = this.store.onEnqueued(() => {
      for (const worker of this.workers) worker.wake();
    });
  }

  /** Stops after the sends in flight. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }

  /** One pass of every channel at once: what is due is claimed and sent, paced. */
  async deliverDue(): Promise<DeliveryReport> {
    const reports = await Promise.all(this.workers.map((worker) => worker.pass()));
    return reports.reduce(add, noDeliveries());
  }

  /** Sends until nothing due is left (for tests and the terminal chat). */
  async drain(maxPasses = 10_000): Promise<DeliveryReport> {
    let total = noDeliveries();
    for (let pass = 0; pass < maxPasses; pass++) {
      const report = await this.deliverDue();
      total = add(total, report);
      if (report.sent + report.retried + report.failed === 0) break;
    }
    return total;
  }
}

function add(a: DeliveryReport, b: DeliveryReport): DeliveryReport {
  return { sent: a.sent + b.sent, retried: a.retried + b.retried, failed: a.failed + b.failed };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
