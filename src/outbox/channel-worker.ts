/**
 * One channel's sender: it claims rows lane by lane (conversation first, bulk
 * only a short window ahead), keeps them in priority order, and sends each
 * as soon as the pacer gives it a slot, without waiting for other sends, so a
 * slow request, chat or channel never holds another. Every send has a
 * timeout shorter than the claim's lease, so a hung request is never taken
 * and sent again by another process while it still runs.
 */
import type { Clock } from "../domain/clock.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../storage/store.ts";
import type { ChannelSender, SendResult } from "./channel-sender.ts";
import { type Claimed, claimLanes } from "./claim.ts";
import { bulkLane, type Lane } from "./lanes.ts";
import type { Pacer } from "./pacer.ts";
import { type Accepted, type DeliveryReport, noDeliveries, recordAccepted, recordResult } from "./record.ts";

/** Tuning of a channel worker. */
export interface ChannelWorkerOptions {
  giveUpAfterMs: number;
  leaseMs: number;
  /** A send taking longer is abandoned and retried later; shorter than `leaseMs`. */
  sendTimeoutMs: number;
  /** How often the background loop looks for new rows while it is busy sending. */
  claimEveryMs: number;
  /** How far ahead bulk is claimed, in time at its pace: a reply never waits behind more than this. */
  bulkWindowMs: number;
  bulkShare: number;
  maxInFlight: number;
  /** Told of sends once their result is recorded (what the platform said, what was recorded, counted): metrics. */
  onResult?: ((channel: string, result: SendResult, recorded: DeliveryReport) => void) | undefined;
}

const conversationLanes: readonly Lane[] = [0, 1, 2];

/** The adaptive limit never goes below this: a few hung requests must not stop a channel. */
const minInFlight = 8;

/** How long accepted sends wait to be recorded together; a crash in that time resends them once. */
const recordEveryMs = 25;

/** The most bulk rows claimed at once, whatever the ceiling: all must go out well within their lease. */
const bulkClaimMax = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

function byPriority(a: Claimed, b: Claimed): number {
  return a.lane - b.lane || a.id - b.id;
}

/**
 * The sender of one channel.
 *
 * @example
 * const worker = new ChannelWorker(store, telegramSender(api, ids), pacer, clock, logger, options);
 * await worker.pass(); // or worker.start()
 */
export class ChannelWorker {
  private pending: Claimed[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private lastClaim = Number.NEGATIVE_INFINITY;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wakeIdle: (() => void) | undefined;
  private claiming: Promise<void> | undefined;
  /**
   * Sends allowed in flight at once, adapted to how the platform answers: one more after each
   * answer, half after a timeout or a network failure (as TCP does), so a platform or a process
   * that slows down is not buried under requests that time out after the platform took them.
   */
  private inFlightLimit = minInFlight;
  /** Set by a wake-up that came while a claim was running: the loop claims again instead of idling. */
  private woken = false;
  private lastStateLog = 0;
  /** Accepted sends not yet recorded: written together every `recordEveryMs` or 200 rows. */
  private accepted: Accepted[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** When each pending row was claimed (performance.now()), so a row held past half its lease is let go. */
  private readonly claimedAt = new Map<number, number>();
  private lastStaleCheck = 0;

  constructor(
    private readonly store: Store,
    private readonly sender: ChannelSender,
    private readonly pacer: Pacer,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: ChannelWorkerOptions,
  ) {}

  get channel(): string {
    return this.sender.channel;
  }

  /** One pass: claims what is due, sends all of it (paced) and waits for every send. */
  async pass(): Promise<DeliveryReport> {
    const report = noDeliveries();
    await this.claim();
    while (this.pending.length > 0) await this.dispatch(report, Number.POSITIVE_INFINITY);
    await this.settle();
    return report;
  }

  /** Sends in the background until {@link stop}: new rows are looked for every `claimEveryMs` while busy. */
  start(idleMs: number): void {
    if (!this.stopped) return;
    this.stopped = false;
    const report = noDeliveries();
    this.loop = (async () => {
      while (!this.stopped) {
        // Claims run beside the sending, never in its way: a slow database holds no send already claimed.
        if (
          !this.claiming &&
          (this.pending.length === 0 || performance.now() - this.lastClaim >= this.options.claimEveryMs)
        ) {
          this.claiming = this.claim()
            .catch((error: unknown) => this.logger.error("outbox.claim_failed", { error }))
            .finally(() => {
              this.claiming = undefined;
            });
        }
        if (this.pending.length === 0) {
          await this.claiming;
          if (this.pending.length === 0) await this.idle(idleMs);
          continue;
        }
        // What the worker holds, every 10 s at debug level: enough to see a lane stuck behind another.
        if (performance.now() - this.lastStateLog > 10_000) {
          this.lastStateLog = performance.now();
          const first = this.pending[0];
          this.logger.debug("outbox.worker_state", {
            channel: this.channel,
            pending: this.pending.length,
            lane0: this.pending.filter((m) => m.lane === 0).length,
            inFlight: this.inFlight.size,
            limit: this.inFlightLimit,
            firstLane: first?.lane,
            firstChatReady: first ? this.pacer.chatReady(first.address) : undefined,
            firstWait: first ? this.pacer.waitFor(first.address, first.lane === bulkLane) : undefined,
            channelWait: this.pacer.channelWait(false),
          });
        }
        try {
          await this.dispatch(report, this.lastClaim + this.options.claimEveryMs);
        } catch (error) {
          // A pacer whose Redis failed, say: the loop must live on, or its claimed rows wait for their lease.
          this.logger.error("outbox.dispatch_failed", { channel: this.channel, error });
          await sleep(100);
        }
      }
      await this.claiming;
    })();
  }

  /** Something was queued: look now instead of at the end of the idle wait. */
  wake(): void {
    this.woken = true;
    this.wakeIdle?.();
  }

  /** Stops claiming, lets the sends in flight finish; claimed rows not sent wait for their lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    await this.settle();
  }

  private async claim(): Promise<void> {
    // A wake-up from here on is for rows this claim may not see.
    this.woken = false;
    const now = this.clock.now();
    const { leaseMs } = this.options;
    const perSecond = this.sender.rate.perSecond;
    const pendingIn = (lane: Lane) => this.pending.filter((m) => m.lane === lane).length;
    const conversationRoom =
      Math.max(10, Math.ceil(perSecond)) - this.pending.filter((m) => m.lane !== bulkLane).length;
    // Bulk only a short window ahead of its pace, so a reply queued now is claimed before much bulk goes.
    const bulkTarget = Math.min(
      bulkClaimMax,
      Math.max(1, Math.ceil((perSecond * this.options.bulkShare * this.options.bulkWindowMs) / 1000)),
    );
    const bulkPending = pendingIn(bulkLane);
    const claimed = await claimLanes(this.store, {
      channel: this.channel,
      lanes: [
        ...conversationLanes.map((lane) => ({ lane, limit: (soFar: number) => conversationRoom - soFar })),
        { lane: bulkLane, limit: bulkPending * 2 <= bulkTarget ? bulkTarget - bulkPending : 0 },
      ],
      now,
      leaseMs,
    });
    this.lastClaim = performance.now();
    if (claimed.length === 0) return;
    for (const message of claimed) this.claimedAt.set(message.id, this.lastClaim);
    this.pending.push(...claimed);
    this.pending.sort(byPriority);
  }

  /** Sends the first message that may go now, or waits (until `until` at most) for one to be ready. */
  private async dispatch(report: DeliveryReport, until: number): Promise<void> {
    const untilWait = until - performance.now();
    this.releaseStale();
    if (this.pending.length === 0) return;
    // Conversation first: the pending list is in lane order, so the first ready row is the one to send.
    const first = this.pending[0] as Claimed;
    const channelWait = this.pacer.channelWait(first.lane === bulkLane);
    if (channelWait > 0) return sleep(Math.min(channelWait, untilWait));
    let index = -1;
    for (let i = 0; i < this.pending.length; i++) {
      const message = this.pending[i] as Claimed;
      if (this.pacer.chatReady(message.address) && this.pacer.channelWait(message.lane === bulkLane) === 0) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      let soonest = Number.POSITIVE_INFINITY;
      for (const message of this.pending) {
        soonest = Math.min(soonest, this.pacer.waitFor(message.address, message.lane === bulkLane));
      }
      return sleep(Math.min(soonest, untilWait));
    }
    const message = this.pending[index] as Claimed;
    const wait = await this.pacer.take(message.address, message.lane === bulkLane);
    if (wait > 0) return sleep(Math.min(wait, untilWait));
    // A claim may have added rows (and re-sorted) while the pacer answered: find the row again. If it
    // was let go as stale meanwhile, another process may take it after its lease: do not send it here.
    const at = this.pending.indexOf(message);
    if (at < 0) return;
    this.pending.splice(at, 1);
    this.claimedAt.delete(message.id);
    // Bulk keeps to the adaptive limit; conversation only to the hard one, so a few hung bulk sends
    // never hold a reply.
    const cap =
      message.lane === bulkLane ? Math.min(this.inFlightLimit, this.options.maxInFlight) : this.options.maxInFlight;
    while (this.inFlight.size >= cap) await Promise.race(this.inFlight);
    const sending: Promise<void> = this.deliver(message, report).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  /**
   * Lets go of rows held past half their lease without a slot (a platform pausing us for long):
   * after the lease another process may take them, and they must not go out twice.
   */
  private releaseStale(): void {
    const now = performance.now();
    if (now - this.lastStaleCheck < 1_000) return;
    this.lastStaleCheck = now;
    const limit = now - this.options.leaseMs / 2;
    const isStale = (m: Claimed) => (this.claimedAt.get(m.id) ?? now) <= limit;
    const stale = this.pending.filter(isStale);
    if (stale.length === 0) return;
    this.pending = this.pending.filter((m) => !isStale(m));
    for (const m of stale) this.claimedAt.delete(m.id);
    this.logger.warn("outbox.released", { channel: this.channel, rows: stale.length });
  }

  private async deliver(message: Claimed, report: DeliveryReport): Promise<void> {
    const result = await this.send(message);
    const struggling = result.kind === "retry" && /^(timed out|network)/.test(result.reason);
    this.inFlightLimit = struggling
      ? Math.max(minInFlight, Math.floor(this.inFlightLimit / 2))
      : Math.min(this.options.maxInFlight, this.inFlightLimit + 1);
    if (result.kind === "sent") {
      report.sent += 1;
      this.accepted.push({ message, platformId: result.platformId });
      if (this.accepted.length >= 200) await this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), recordEveryMs);
      return;
    }
    if (result.kind === "retry" && result.afterMs) {
      const ms = Math.min(result.afterMs, 60_000);
      if (result.scope === "chat") this.pacer.pauseChat(message.address, ms);
      else this.pacer.pause(ms);
    }
    // Counted on its own first: what was recorded (a retry given up is a failure) is what onResult is told.
    const recorded = noDeliveries();
    try {
      await recordResult(
        this.store,
        this.logger,
        message,
        result,
        this.clock.now(),
        recorded,
        this.options.giveUpAfterMs,
      );
      this.options.onResult?.(this.channel, result, recorded);
    } catch (error) {
      // The row keeps its lease and is tried again when it runs out: at most this one message twice.
      this.logger.error("outbox.record_failed", { channel: this.channel, error });
    }
    report.retried += recorded.retried;
    report.failed += recorded.failed;
  }

  private async send(message: Claimed): Promise<SendResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SendResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ kind: "retry", reason: `timed out after ${this.options.sendTimeoutMs} ms` }),
        this.options.sendTimeoutMs,
      );
    });
    try {
      return await Promise.race([
        this.sender.send(message.address, message.outbound, { fromPart: message.partsSent }),
        timeout,
      ]);
    } catch (error) {
      // Senders turn platform and network answers into results themselves; what they throw is a local
      // refusal (a builder rejecting a message), which no retry can cure: record it and let the next one go.
      return {
        kind: "failed",
        reason: `refused before sending: ${error instanceof Error ? error.message : String(error)}`,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private idle(ms: number): Promise<void> {
    // A row queued while the last claim ran may have been missed by it: look again at once.
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeIdle = done;
    }).finally(() => {
      this.wakeIdle = undefined;
      this.woken = false;
    });
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.flush();
  }

  /** Records the accepted sends gathered so far in one statement. */
  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.accepted;
    this.accepted = [];
    this.flushing = this.flushing.then(async () => {
      try {
        await recordAccepted(this.store, batch, this.clock.now());
        this.options.onResult?.(this.channel, { kind: "sent" }, { sent: batch.length, retried: 0, failed: 0 });
      } catch (error) {
        // The rows keep their lease and are sent again when it runs out: at most this batch twice.
        this.logger.error("outbox.record_failed", { channel: this.channel, rows: batch.length, error });
      }
    });
    return this.flushing;
  }
}
