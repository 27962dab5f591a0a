/**
 * Lanes of the outbox against a local fake platform over real HTTP: replies
 * overtake broadcasts, each channel keeps its own pace, a hanging request
 * holds nobody else, a multi-part message resumes at the part that failed,
 * and a reply queued while the sender idles is looked at at once. Checks are
 * on order, never on time.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import type { Outbound } from "../../src/domain/outbound.ts";
import { silentLogger } from "../../src/log.ts";
import { OutboxSender, type OutboxSenderOptions } from "../../src/outbox/sender.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { type FakePlatform, type FakeRules, fakeSender, startFakePlatform } from "../support/fake-platform.ts";

const broadcast = (text: string): Outbound => ({ kind: "text", text, purpose: "broadcast" });
const reply = (text: string): Outbound => ({ kind: "text", text });

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("outbox lanes", () => {
  let app: TestApp;
  const platforms: FakePlatform[] = [];
  const senders: OutboxSender[] = [];
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(async () => {
    for (const sender of senders.splice(0)) await sender.stop();
    for (const platform of platforms.splice(0)) await platform.close();
    await app.dispose();
  });

  const platform = async (rules: FakeRules) => {
    const started = await startFakePlatform(rules);
    platforms.push(started);
    return started;
  };
  const sender = (
    channels: Array<{ platform: FakePlatform; perSecond: number; channel?: "telegram" | "whatsapp" }>,
    options: OutboxSenderOptions = {},
  ) => {
    const built = new OutboxSender(
      app.store,
      channels.map((c) => fakeSender(c.platform.url, { perSecond: c.perSecond, perChatIntervalMs: 0 }, c.channel)),
      app.clock,
      silentLogger,
      options,
    );
    senders.push(built);
    return built;
  };
  const queue = (address: string, messages: Outbound[]) =>
    app.store.transaction((tx) => tx.enqueue(address as Address, messages, app.clock.now()));
  const queueMany = (addresses: string[], message: (address: string) => Outbound) =>
    app.store.transaction(async (tx) => {
      for (const address of addresses) await tx.enqueue(address as Address, [message(address)], app.clock.now());
    });

  it("regression: replies go out during a broadcast (0 of 850 replies went in 45 s of a 30,000 broadcast)", async () => {
    const fake = await platform({ perSecond: 200, perChatIntervalMs: 0 });
    const audience = Array.from({ length: 2_000 }, (_, i) => `telegram:${10_000 + i}`);
    await queueMany(audience, () => broadcast("news"));
    const running = sender([{ platform: fake, perSecond: 200 }]);
    running.start(50);
    await until(() => fake.accepted.length >= 200);
    const people = Array.from({ length: 20 }, (_, i) => `telegram:${500 + i}`);
    const before = fake.accepted.length;
    await queueMany(people, (address) => reply(`answer to ${address}`));
    await until(() => fake.accepted.filter((r) => r.text.startsWith("answer")).length === people.length);
    const log = fake.accepted.slice(before);
    const lastReply = log.findLastIndex((r) => r.text.startsWith("answer"));
    const newsBeforeLastReply = log.slice(0, lastReply).filter((r) => r.text === "news").length;
    // At most the bulk share of one second of the ceiling (0.98 x 200) goes out before every reply has.
    expect(newsBeforeLastReply).toBeLessThanOrEqual(196);
    expect(fake.accepted.filter((r) => r.text === "news").length).toBeLessThan(audience.length);
  });

  it("regression: one channel's pace never holds the other (WhatsApp sent nothing in the first 30 s)", async () => {
    const telegram = await platform({ perSecond: 10, perChatIntervalMs: 0 });
    const whatsapp = await platform({ perSecond: 200, perChatIntervalMs: 0 });
    // Telegram's rows are the oldest: a sender taking the oldest rows of all channels would serve them first.
    await queueMany(
      Array.from({ length: 300 }, (_, i) => `telegram:${i + 1}`),
      () => broadcast("news"),
    );
    await queueMany(
      Array.from({ length: 40 }, (_, i) => `whatsapp:${4900 + i}`),
      () => broadcast("news"),
    );
    const running = sender([
      { platform: telegram, perSecond: 10, channel: "telegram" },
      { platform: whatsapp, perSecond: 200, channel: "whatsapp" },
    ]);
    running.start(50);
    await until(() => whatsapp.accepted.length === 40);
    // Telegram at 10 a second is far from done when WhatsApp at 200 a second has finished.
    expect(telegram.accepted.length).toBeLessThan(100);
  });

  it("a request that hangs for one person holds nobody else, and is retried after its timeout", async () => {
    const fake = await platform({ perSecond: 1000, perChatIntervalMs: 0, hangChats: new Set(["telegram:666"]) });
    await queue("telegram:666", [reply("to the hanging chat")]);
    await queueMany(
      Array.from({ length: 10 }, (_, i) => `telegram:${700 + i}`),
      () => reply("hello"),
    );
    const report = await sender([{ platform: fake, perSecond: 1000 }], { sendTimeoutMs: 300 }).deliverDue();
    expect(report).toEqual({ sent: 10, retried: 1, failed: 0 });
    const hung = await app.store.db
      .selectFrom("outbox")
      .select(["status", "error"])
      .where("address", "=", "telegram:666")
      .executeTakeFirstOrThrow();
    expect(hung).toEqual({ status: "queued", error: "timed out after 300 ms" });
  });

  it("a multi-part message whose second part failed resumes there, never sending the first part twice", async () => {
    const fake = await platform({ perSecond: 1000, perChatIntervalMs: 0, failTexts: new Set(["part two"]) });
    await queue("telegram:42", [reply("part one | part two | part three")]);
    const running = sender([{ platform: fake, perSecond: 1000 }]);
    expect(await running.deliverDue()).toEqual({ sent: 0, retried: 1, failed: 0 });
    app.clock.advance(5_000);
    await running.drain();
    expect(fake.accepted.map((r) => r.text)).toEqual(["part one", "part two", "part three"]);
  });

  it("keeps each lane's order per chat while a reply overtakes the chat's own broadcast", async () => {
    const fake = await platform({ perSecond: 1000, perChatIntervalMs: 0 });
    await queue("telegram:7", [broadcast("news 1"), broadcast("news 2")]);
    await queue("telegram:7", [reply("reply 1"), reply("reply 2"), reply("reply 3")]);
    await sender([{ platform: fake, perSecond: 1000 }]).drain();
    const texts = fake.accepted.map((r) => r.text);
    expect(texts.filter((t) => t.startsWith("reply"))).toEqual(["reply 1", "reply 2", "reply 3"]);
    expect(texts.filter((t) => t.startsWith("news"))).toEqual(["news 1", "news 2"]);
    expect(texts[0]).toBe("reply 1");
  });

  it("sends a reply queued while the sender idles at once, not at the end of its idle wait", async () => {
    const fake = await platform({ perSecond: 1000, perChatIntervalMs: 0 });
    const running = sender([{ platform: fake, perSecond: 1000 }]);
    // An idle wait of ten minutes: without the wake-up the test would time out.
    running.start(600_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await queue("telegram:8", [reply("right away")]);
    await until(() => fake.accepted.length === 1);
    expect(fake.accepted[0]?.text).toBe("right away");
  });
});
