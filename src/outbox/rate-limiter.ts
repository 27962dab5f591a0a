/**
 * Spacing sends: a global rate per channel and a least interval per chat.
 * Works on real time (`performance.now()`), since it paces real requests.
 */

/** Waits for a slot. */
export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A limiter that hands out send slots no faster than `perSecond` overall and
 * `perChatIntervalMs` apart for one chat.
 *
 * @example
 * const limiter = new RateLimiter({ perSecond: 30, perChatIntervalMs: 1000 });
 * await limiter.take("telegram:42");
 */
export class RateLimiter {
  private nextGlobal = 0;
  private readonly nextPerChat = new Map<string, number>();
  private readonly spacing: number;

  constructor(
    private readonly rate: { perSecond: number; perChatIntervalMs: number },
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: Sleep = realSleep,
  ) {
    this.spacing = 1000 / Math.max(rate.perSecond, 0.001);
  }

  /** Resolves when a message to `chat` may be sent. */
  async take(chat: string): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextGlobal, this.nextPerChat.get(chat) ?? 0);
    this.nextGlobal = at + this.spacing;
    this.nextPerChat.set(chat, at + this.rate.perChatIntervalMs);
    if (this.nextPerChat.size > 10_000) this.forgetOld(now);
    if (at > now) await this.sleep(at - now);
  }

  /** Pushes every send back (after a 429 that names no chat). */
  pause(ms: number): void {
    this.nextGlobal = Math.max(this.nextGlobal, this.now() + ms);
  }

  private forgetOld(now: number): void {
    for (const [chat, next] of this.nextPerChat) if (next < now) this.nextPerChat.delete(chat);
  }
}
