/**
 * The outbox sender against a local fake platform over real HTTP: order per
 * chat, the platform's rate limits, 429 with retry_after, 5xx, a blocked user,
 * giving up after a bounded time, and a crash between "sent" and "marked sent".
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { silentLogger } from "../../src/log.ts";
import { claimHeads } from "../../src/outbox/claim.ts";
import { OutboxSender, type OutboxSenderOptions } from "../../src/outbox/sender.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { type FakePlatform, fakeSender, startFakePlatform } from "../support/fake-platform.ts";

const chats = Array.from({ length: 5 }, (_, i) => `telegram:${1000 + i}` as Address);

async function queue(app: TestApp, perChat: number): Promise<void> {
  await app.store.transaction(async (tx) => {
    for (let n = 1; n <= perChat; n++) {
      for (const chat of chats) await tx.enqueue(chat, [{ kind: "text", text: `${chat} #${n}` }], app.clock.now());
    }
  });
}

async function statuses(app: TestApp): Promise<Record<string, number>> {
  const rows = await app.store.db.selectFrom("outbox").select(["status"]).execute();
  return rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
}

describe("outbox sender", () => {
  /** A sender over the fake platform at the rate the bot believes it has. */
  const senderFor = (rate: { perSecond: number; perChatIntervalMs: number }, options?: OutboxSenderOptions) =>
    new OutboxSender(app.store, [fakeSender((platform as FakePlatform).url, rate)], app.clock, silentLogger, options);

  let app: TestApp;
  let platform: FakePlatform;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(async () => {
    await app.dispose();
    await platform?.close();
  });

  it("delivers everything once, in order per chat, within the platform's rates", async () => {
    platform = await startFakePlatform({ perSecond: 20, perChatIntervalMs: 100 });
    await queue(app, 6);
    const sender = senderFor({ perSecond: 20, perChatIntervalMs: 100 });
    await sender.drain();
    expect(platform.accepted).toHaveLength(30);
    expect(platform.rejected429).toBe(0);
    for (const chat of chats) {
      expect(platform.accepted.filter((r) => r.chat === chat).map((r) => r.text)).toEqual(
        Array.from({ length: 6 }, (_, i) => `${chat} #${i + 1}`),
      );
    }
    expect(await statuses(app)).toEqual({ sent: 30 });
  });

  it("waits retry_after on 429 and still delivers everything in order", async () => {
    // The bot believes it may send faster than the platform allows.
    platform = await startFakePlatform({ perSecond: 10, perChatIntervalMs: 50 });
    await queue(app, 3);
    const sender = senderFor({ perSecond: 40, perChatIntervalMs: 0 });
    for (let i = 0; i < 20 && platform.accepted.length < 15; i++) {
      await sender.drain();
      app.clock.advance(1_000);
    }
    expect(platform.rejected429).toBeGreaterThan(0);
    expect(platform.accepted).toHaveLength(15);
    for (const chat of chats) {
      expect(platform.accepted.filter((r) => r.chat === chat).map((r) => r.text)).toEqual(
        [1, 2, 3].map((n) => `${chat} #${n}`),
      );
    }
  });

  it("retries 502 answers with back-off", async () => {
    platform = await startFakePlatform({ perSecond: 100, perChatIntervalMs: 0, failNext: 3 });
    await queue(app, 1);
    const sender = senderFor({ perSecond: 100, perChatIntervalMs: 0 });
    const first = await sender.drain();
    expect(first.retried).toBe(3);
    app.clock.advance(60_000);
    await sender.drain();
    expect(platform.accepted).toHaveLength(5);
  });

  it("marks a user who blocked the bot unreachable and sends them nothing more", async () => {
    platform = await startFakePlatform({
      perSecond: 100,
      perChatIntervalMs: 0,
      blocked: new Set([chats[0] as string]),
    });
    await app.store.transaction((tx) => tx.lockUser(chats[0] as Address, "UTC", app.clock.now()));
    await queue(app, 2);
    const sender = senderFor({ perSecond: 100, perChatIntervalMs: 0 });
    await sender.drain();
    expect(await app.store.reader.getUser(chats[0] as Address)).toMatchObject({ status: "unreachable" });
    expect(platform.accepted.filter((r) => r.chat === chats[0])).toHaveLength(0);
    const failed = await app.store.db
      .selectFrom("outbox")
      .selectAll()
      .where("address", "=", chats[0] as Address)
      .execute();
    expect(failed.map((r) => [r.status, r.error?.startsWith("blocked")])).toEqual([
      ["failed", true],
      ["failed", true],
    ]);
  });

  it("gives up after the bounded time and records why, never dropping silently", async () => {
    platform = await startFakePlatform({ perSecond: 100, perChatIntervalMs: 0, failNext: 1_000 });
    await queue(app, 1);
    const sender = senderFor(
      { perSecond: 100, perChatIntervalMs: 0 },
      {
        giveUpAfterMs: 3_600_000,
      },
    );
    for (let i = 0; i < 10; i++) {
      await sender.drain();
      app.clock.advance(15 * 60_000);
    }
    const rows = await app.store.db.selectFrom("outbox").select(["status", "error"]).execute();
    expect(rows.every((r) => r.status === "failed" && r.error?.startsWith("gave up after"))).toBe(true);
    expect(rows).toHaveLength(5);
  });

  it("after a crash between sending and marking sent, resends at most that one message", async () => {
    platform = await startFakePlatform({ perSecond: 100, perChatIntervalMs: 0 });
    await queue(app, 2);
    const sender = senderFor(
      { perSecond: 100, perChatIntervalMs: 0 },
      {
        leaseMs: 30_000,
      },
    );
    // A process claims the heads and sends them, then dies before recording it.
    const crashed = await claimHeads(app.store, {
      channel: "telegram",
      lane: 0,
      limit: 100,
      now: app.clock.now(),
      leaseMs: 30_000,
    });
    for (const m of crashed)
      await fetch(`${platform.url}/send`, {
        method: "POST",
        body: JSON.stringify({ chat: m.address, text: "text" in m.outbound ? m.outbound.text : "" }),
      });
    // Before the lease ends nothing of those chats is sent again; after it, the rest goes out.
    expect((await sender.drain()).sent).toBe(0);
    app.clock.advance(31_000);
    await sender.drain();
    const perChat = chats.map((c) => platform.accepted.filter((r) => r.chat === c).map((r) => r.text));
    for (const [i, texts] of perChat.entries()) {
      expect(texts).toEqual([`${chats[i]} #1`, `${chats[i]} #1`, `${chats[i]} #2`]);
    }
  });

  it("keeps a later delivered or read status, never going backwards", async () => {
    platform = await startFakePlatform({ perSecond: 100, perChatIntervalMs: 0 });
    await queue(app, 1);
    await senderFor({ perSecond: 100, perChatIntervalMs: 0 }).drain();
    expect(await app.store.recordDeliveryStatus("1", "read", app.clock.now())).toBe(true);
    expect(await app.store.recordDeliveryStatus("1", "delivered", app.clock.now())).toBe(false);
    const row = await app.store.db
      .selectFrom("outbox")
      .select("status")
      .where("platform_id", "=", "1")
      .executeTakeFirst();
    expect(row?.status).toBe("read");
  });
});
