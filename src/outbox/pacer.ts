/**
 * Pacing one channel's sends to the platform's ceilings. In one process the
 * pacer spaces sends evenly (1/ceiling apart; a timer firing late is caught up
 * within a few milliseconds, so the rate holds), never lets any one-second
 * window hold more than the ceiling, keeps each chat's least interval, and
 * holds bulk to its share of the ceiling. With
 * several processes it also takes one point per send from budgets shared
 * through Redis (rate-limiter-flexible), one budget per slice of a calendar
 * second, so the processes together stay under the ceiling in every second.
 * Bulk's budget in a slice is what conversation left in the slice before
 * (never more than its share), so replies keep their place even when other
 * processes are busy with a broadcast. Pacing runs on real time: it paces
 * real requests.
 */
import { createHash } from "node:crypto";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Address } from "../domain/address.ts";
import type { ChannelRate } from "./channel-sender.ts";

/** A node-redis client, as rate-limiter-flexible takes it (`useRedisPackage`). */
export type SharedStore = object;

/** What a pacer needs. */
export interface PacerOptions {
  channel: string;
  rate: ChannelRate;
  /** The share of the ceiling bulk (broadcasts) may use at most; conversation is served first. */
  bulkShare: number;
  /** A Redis client to share the ceilings with other processes; none: this process alone sends. */
  shared?: SharedStore | undefined;
  now?: () => number;
  /** How long a slice's shared counts live in Redis, in seconds: 2 (the next slice reads the one before). */
  sliceKeySeconds?: number;
}

/** How far even spacing may fall behind and catch up (timers fire late by a millisecond or more). */
const catchUpMs = 20;

/**
 * The one-second guard counts from when a send leaves, the platform from when it arrives: a send
 * delayed on the way may land in the next second. A window 2.5% longer keeps that second whole, at a
 * cost of 2.5% of the ceiling only while it is reached.
 */
const windowMarginMs = 25;

interface Shared {
  any: RateLimiterAbstract;
  /** One send per chat per interval across processes (1 s; 3 s for groups). */
  chat: RateLimiterAbstract;
  group: RateLimiterAbstract;
  /** The shared pause, looked at most every 100 ms. */
  pausedUntil: { checkedAt: number; until: number };
  /** Counted here, limited below (the limit changes with conversation). */
  bulk: RateLimiterAbstract;
  conversation: RateLimiterAbstract;
  pause: RateLimiterAbstract;
  /** Slice length in ms (it divides a second) and the ceiling's sends per slice. */
  sliceMs: number;
  perSlice: number;
  bulkPerSlice: number;
  /** Conversation sends of all processes in the slice last looked at. */
  lastConversation: { slice: number; count: number };
}

/**
 * The shortest slice of a second (100, 200, 250, 500 or 1000 ms) holding a whole number of at least
 * 50 sends at `perSecond`: short slices spread sends over the second, whole numbers lose nothing, and
 * 50 leave bulk most of a slice after the one send always kept for conversation.
 */
function sliceFor(perSecond: number): number {
  for (const ms of [100, 200, 250, 500]) {
    const points = (perSecond * ms) / 1000;
    if (points >= 50 && Number.isInteger(points)) return ms;
  }
  return 1000;
}

/**
 * The pacer of one channel.
 *
 * @example
 * const pacer = new Pacer({ channel: "telegram", rate: telegramRate, bulkShare: 0.98 });
 * const wait = await pacer.take("telegram:42", false); // 0: send now
 */
export class Pacer {
  private nextAny = 0;
  private nextBulk = 0;
  private pausedUntil = 0;
  private readonly chatReadyAt = new Map<string, number>();
  /** The times of the last `ceiling` sends: the oldest must be a second old before another goes. */
  private readonly recent: number[];
  private recentIndex = 0;
  private readonly anySpacing: number;
  private readonly bulkSpacing: number;
  private readonly now: () => number;
  private readonly shared: Shared | undefined;

  constructor(private readonly options: PacerOptions) {
    const perSecond = Math.max(options.rate.perSecond, 0.001);
    const share = Math.min(Math.max(options.bulkShare, 0.01), 1);
    this.anySpacing = 1000 / perSecond;
    this.bulkSpacing = 1000 / Math.max(perSecond * share, 0.001);
    this.now = options.now ?? (() => Date.now());
    this.recent = new Array<number>(Math.max(1, Math.floor(perSecond))).fill(Number.NEGATIVE_INFINITY);
    if (options.shared) {
      this.shared = sharedBudgets(options.channel, options.shared, options.rate, share, options.sliceKeySeconds ?? 2);
    }
  }

  /** Milliseconds until any message of this kind may go by this process's own pace (0: now). */
  channelWait(bulk: boolean): number {
    const oldest = this.recent[this.recentIndex] ?? Number.NEGATIVE_INFINITY;
    const at = Math.max(this.nextAny, this.pausedUntil, oldest + 1000 + windowMarginMs, bulk ? this.nextBulk : 0);
    return Math.max(0, at - this.now());
  }

  /** Whether `chat` itself may be sent to now (other chats may go meanwhile). */
  chatReady(chat: Address): boolean {
    return (this.chatReadyAt.get(chat) ?? 0) <= this.now();
  }

  /** Milliseconds until a message to `chat` may go by this process's own pace (0: now). */
  waitFor(chat: Address, bulk: boolean): number {
    return Math.max(this.channelWait(bulk), (this.chatReadyAt.get(chat) ?? 0) - this.now());
  }

  /**
   * Takes a send slot for `chat`: 0 when taken (send now), else the milliseconds to wait before
   * asking again. Conversation and bulk share the ceiling; bulk also keeps to its share.
   */
  async take(chat: Address, bulk: boolean): Promise<number> {
    const wait = this.waitFor(chat, bulk);
    if (wait > 0) return wait;
    if (this.shared) {
      const sharedWait = await this.takeShared(this.shared, chat, bulk);
      if (sharedWait > 0) return sharedWait;
    }
    const now = this.now();
    // The schedule may lag `catchUpMs` behind: sends a late timer held back go out at once, the
    // one-second window above still bounding them.
    this.nextAny = Math.max(now - catchUpMs, this.nextAny) + this.anySpacing;
    if (bulk) this.nextBulk = Math.max(now - catchUpMs, this.nextBulk) + this.bulkSpacing;
    this.recent[this.recentIndex] = now;
    this.recentIndex = (this.recentIndex + 1) % this.recent.length;
    this.chatReadyAt.set(chat, now + this.intervalOf(chat));
    if (this.chatReadyAt.size > 10_000) this.forgetOld(now);
    return 0;
  }

  /** The platform said "too many": every process waits `ms`. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    if (this.shared) void this.shared.pause.block("all", Math.max(1, Math.ceil(ms / 1000))).catch(() => undefined);
  }

  /** The platform said "too many to this person": only this chat waits `ms`. */
  pauseChat(chat: Address, ms: number): void {
    this.chatReadyAt.set(chat, Math.max(this.chatReadyAt.get(chat) ?? 0, this.now() + ms));
  }

  private intervalOf(chat: Address): number {
    const { perChatIntervalMs, perGroupIntervalMs, isGroup } = this.options.rate;
    return perGroupIntervalMs !== undefined && isGroup?.(chat) ? perGroupIntervalMs : perChatIntervalMs;
  }

  private async takeShared(shared: Shared, chat: Address, bulk: boolean): Promise<number> {
    const now = this.now();
    const slice = Math.floor(now / shared.sliceMs);
    const key = String(slice);
    const toNextSlice = shared.sliceMs - (now % shared.sliceMs) + 1;
    if (now - shared.pausedUntil.checkedAt >= 100) {
      const paused = await shared.pause.get("all").catch(() => null);
      shared.pausedUntil = {
        checkedAt: now,
        until: paused && paused.consumedPoints > 1 ? now + paused.msBeforeNext : 0,
      };
    }
    if (shared.pausedUntil.until > now) return shared.pausedUntil.until - now;
    try {
      // The chat first: another process may just have sent to this person. Only this chat waits then.
      if (this.intervalOf(chat) > 0) {
        const { isGroup } = this.options.rate;
        await (isGroup?.(chat) ? shared.group : shared.chat).consume(chatKey(chat));
      }
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      this.pauseChat(chat, Math.max(error.msBeforeNext, 1));
      return 1;
    }
    try {
      if (bulk) {
        // Bulk gets what conversation left in the slice before, keeping one more for it, within its share.
        const allowance = Math.min(
          shared.bulkPerSlice,
          shared.perSlice - (await conversationIn(shared, slice - 1)) - 1,
        );
        if (allowance <= 0) return toNextSlice;
        const taken = await shared.bulk.consume(key);
        if (taken.consumedPoints > allowance) return toNextSlice;
      } else {
        await shared.conversation.consume(key);
      }
      await shared.any.consume(key);
      return 0;
    } catch (error) {
      if (error instanceof RateLimiterRes) return toNextSlice;
      throw error;
    }
  }

  private forgetOld(now: number): void {
    for (const [chat, at] of this.chatReadyAt) if (at < now) this.chatReadyAt.delete(chat);
  }
}

function sharedBudgets(
  channel: string,
  client: SharedStore,
  rate: ChannelRate,
  share: number,
  keySeconds: number,
): Shared {
  const perSecond = Math.max(rate.perSecond, 0.001);
  const sliceMs = sliceFor(perSecond);
  const perSlice = Math.max(1, Math.floor((perSecond * sliceMs) / 1000));
  const limiter = (name: string, points: number, duration = keySeconds) =>
    new RateLimiterRedis({
      storeClient: client,
      useRedisPackage: true,
      keyPrefix: `lotse:pace:${channel}:${name}`,
      points,
      // Slice keys outlive their slice, so the next slice can read the one before.
      duration,
      // If Redis is away, each process paces itself alone rather than stopping.
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  return {
    // One send a slice kept back: a request leaving at a slice's end may arrive in the next second.
    any: limiter("any", perSlice >= 50 ? perSlice - 1 : perSlice),
    chat: limiter("chat", 1, Math.max(1, Math.ceil(rate.perChatIntervalMs / 1000))),
    group: limiter("group", 1, Math.max(1, Math.ceil((rate.perGroupIntervalMs ?? rate.perChatIntervalMs) / 1000))),
    pausedUntil: { checkedAt: Number.NEGATIVE_INFINITY, until: 0 },
    bulk: limiter("bulk", perSlice * 100),
    conversation: limiter("conversation", perSlice * 100),
    pause: limiter("pause", 1),
    sliceMs,
    perSlice,
    bulkPerSlice: Math.max(1, Math.floor(perSlice * share)),
    lastConversation: { slice: -1, count: 0 },
  };
}

/** A chat's key in Redis: a digest, so no phone number or chat id is stored there, the same in every process. */
function chatKey(chat: Address): string {
  return createHash("sha256").update(chat).digest("base64url").slice(0, 22);
}

/** Conversation sends of all processes in `slice`, read once per slice. */
async function conversationIn(shared: Shared, slice: number): Promise<number> {
  if (shared.lastConversation.slice !== slice) {
    const res = await shared.conversation.get(String(slice)).catch(() => null);
    shared.lastConversation = { slice, count: res?.consumedPoints ?? 0 };
  }
  return shared.lastConversation.count;
}
