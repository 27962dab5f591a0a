/**
 * The pacer on a simulated clock: even spacing at the ceiling, bulk held to
 * its share, a chat's least interval (and a Telegram group's), pauses after
 * "too many"; and, with Redis, budgets shared by two processes that keep
 * every slice under the ceiling and leave conversation its room.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramRate } from "../../src/channels/telegram/sender.ts";
import { connectRedis, type RedisConnection } from "../../src/cluster/redis.ts";
import type { Address } from "../../src/domain/address.ts";
import { silentLogger } from "../../src/log.ts";
import { Pacer } from "../../src/outbox/pacer.ts";

const chat = (n: number) => `telegram:${n}` as Address;

function clock(start = 1_000_000) {
  const state = { now: start };
  const advance = (ms: number) => {
    state.now += ms;
  };
  return { now: () => state.now, advance, state };
}

describe("pacer", () => {
  it("spaces sends 1/ceiling apart after catching up at most 20 ms of a late timer", async () => {
    const time = clock();
    const pacer = new Pacer({
      channel: "t",
      rate: { perSecond: 100, perChatIntervalMs: 0 },
      bulkShare: 0.98,
      now: time.now,
    });
    // After a quiet spell, 20 ms of sends (two at 100 a second) may catch up, plus the one due now.
    expect(await pacer.take(chat(1), false)).toBe(0);
    expect(await pacer.take(chat(2), false)).toBe(0);
    expect(await pacer.take(chat(3), false)).toBe(0);
    expect(await pacer.take(chat(4), false)).toBeCloseTo(10);
    time.advance(10);
    expect(await pacer.take(chat(4), false)).toBe(0);
    expect(await pacer.take(chat(5), false)).toBeCloseTo(10);
  });

  it("holds bulk to its share: 1/(share x ceiling) apart, while conversation uses the rest", async () => {
    const time = clock();
    const pacer = new Pacer({
      channel: "t",
      rate: { perSecond: 100, perChatIntervalMs: 0 },
      bulkShare: 0.5,
      now: time.now,
    });
    let bulk = 0;
    let conversation = 0;
    // Two seconds of a busy sender that always prefers conversation when bulk must wait.
    for (let ms = 0; ms < 2_000; ms++) {
      if ((await pacer.take(chat(ms), true)) === 0) bulk += 1;
      else if ((await pacer.take(chat(ms), false)) === 0) conversation += 1;
      time.advance(1);
    }
    expect(bulk).toBeGreaterThanOrEqual(99);
    expect(bulk).toBeLessThanOrEqual(102);
    expect(bulk + conversation).toBeLessThanOrEqual(200);
    expect(bulk + conversation).toBeGreaterThanOrEqual(198);
  });

  it("never lets a one-second window hold more than the ceiling", async () => {
    const time = clock();
    const pacer = new Pacer({
      channel: "t",
      rate: { perSecond: 30, perChatIntervalMs: 0 },
      bulkShare: 0.98,
      now: time.now,
    });
    const sent: number[] = [];
    for (let ms = 0; ms < 5_000; ms += 0.5) {
      if ((await pacer.take(chat(ms), false)) === 0) sent.push(time.now());
      time.advance(0.5);
    }
    for (let i = 30; i < sent.length; i++) expect((sent[i] ?? 0) - (sent[i - 30] ?? 0)).toBeGreaterThanOrEqual(1000);
    // 30 a second less the 2.5% margin of the guard.
    expect(sent.length).toBeGreaterThanOrEqual(145);
  });

  it("keeps a chat's least interval, and 3 s for a Telegram group, while other chats go", async () => {
    const time = clock();
    const pacer = new Pacer({
      channel: "t",
      rate: { ...telegramRate, perSecond: 1000 },
      bulkShare: 0.98,
      now: time.now,
    });
    const group = "telegram:-1001234" as Address;
    expect(await pacer.take(chat(1), false)).toBe(0);
    time.advance(1);
    expect(await pacer.take(group, false)).toBe(0);
    time.advance(4);
    expect(await pacer.take(chat(2), false)).toBe(0);
    expect(pacer.waitFor(chat(1), false)).toBeCloseTo(995);
    expect(pacer.waitFor(group, false)).toBeCloseTo(2996);
  });

  it("waits out a pause for every chat, and a chat's own pause only for that chat", async () => {
    const time = clock();
    const pacer = new Pacer({
      channel: "t",
      rate: { perSecond: 1000, perChatIntervalMs: 0 },
      bulkShare: 0.98,
      now: time.now,
    });
    pacer.pauseChat(chat(1), 6_000);
    expect(pacer.waitFor(chat(1), false)).toBe(6_000);
    expect(await pacer.take(chat(2), false)).toBe(0);
    time.advance(1);
    pacer.pause(2_000);
    expect(pacer.waitFor(chat(3), false)).toBe(2_000);
  });
});

const redisUrl = process.env.REDIS_URL;
describe.skipIf(!redisUrl)("pacer shared through Redis (two processes)", () => {
  let redis: RedisConnection;
  beforeAll(async () => {
    redis = await connectRedis({ url: redisUrl as string, logger: silentLogger });
  });
  afterAll(async () => {
    await redis?.close();
  });

  /** Four processes pacing one channel together, on one simulated clock starting at a slice's start. */
  const processes = (perSecond: number) => {
    const time = clock(Math.floor(Date.now() / 1000) * 1000 + 5_000_000);
    const channel = `test-${randomBytes(6).toString("hex")}`;
    const build = () =>
      new Pacer({
        channel,
        rate: { perSecond, perChatIntervalMs: 0 },
        bulkShare: 0.98,
        shared: redis.client,
        now: time.now,
        // The clock here is simulated, Redis's is real: keys must outlive a slow run of the test.
        sliceKeySeconds: 120,
      });
    return { time, start: time.state.now, pacers: [build(), build(), build(), build()] };
  };

  /**
   * Each process in turn asks for a slot every 1 ms (its own spacing at 1,000 a second allows that):
   * 4,000 asks a second in all, so only the shared budget says no.
   */
  async function ask(pacers: Pacer[], time: ReturnType<typeof clock>, bulk: boolean, tries: number) {
    let taken = 0;
    for (let i = 0; i < tries; i++) {
      if ((await (pacers[i % pacers.length] as Pacer).take(chat(i), bulk)) === 0) taken += 1;
      time.advance(0.25);
    }
    return taken;
  }

  it("four processes together take no more than the ceiling's share of a slice", async () => {
    const { time, pacers } = processes(1000);
    // 1,000 a second: slices of 100 ms with 99 sends (one kept back for the boundary); bulk gets 98 (its share).
    expect(await ask(pacers, time, true, 300)).toBe(98);
    expect(await ask(pacers, time, false, 80)).toBe(1);
  });

  it("bulk leaves the next slice what conversation used in the slice before", async () => {
    const { time, start, pacers } = processes(1000);
    expect(await ask(pacers, time, false, 60)).toBe(60);
    time.state.now = start + 100;
    // 60 conversation sends in the last slice: bulk may take 100 - 60 - 1 in this one.
    expect(await ask(pacers, time, true, 300)).toBe(39);
  });
});
