/**
 * Broadcasts: audiences reach exactly the right people, 10,000 people get a
 * broadcast exactly once at the configured rate even when the sending process
 * restarts halfway, a broadcast can be cancelled while it sends, and staff
 * compose one in the chat with reach and preview.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  audienceAddresses,
  broadcastCounts,
  cancelBroadcast,
  createBroadcast,
} from "../../src/broadcasts/broadcasts.ts";
import type { Address } from "../../src/domain/address.ts";
import { silentLogger } from "../../src/log.ts";
import { answerMeeting, createMeeting } from "../../src/meetings/repository.ts";
import { OutboxSender } from "../../src/outbox/sender.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { type FakePlatform, fakeSender, startFakePlatform } from "../support/fake-platform.ts";

let app: TestApp;

/** Inserts people directly (a generated population), all agreeing to storage. */
async function population(
  count: number,
  make: (i: number) => { city?: string; language?: string; news?: boolean; status?: string },
): Promise<Address[]> {
  const at = app.clock.now().toISOString();
  const addresses: Address[] = [];
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, k) => start + k);
    const rows = batch.map((i) => {
      const p = make(i);
      const address = `telegram:${100000 + i}` as Address;
      addresses.push(address);
      return {
        address,
        language: p.language ?? "en",
        city: p.city ?? "leipzig",
        time_zone: "Europe/Berlin",
        consent: "given",
        status: p.status ?? "active",
        created_at: at,
        updated_at: at,
        last_inbound_at: at,
      };
    });
    await app.store.db.insertInto("users").values(rows).execute();
    const news = batch
      .filter((i) => make(i).news !== false)
      .map((i) => ({ address: `telegram:${100000 + i}`, created_at: at }));
    if (news.length > 0) await app.store.db.insertInto("news_subscriptions").values(news).execute();
  }
  return addresses;
}

describe("broadcasts", () => {
  let platform: FakePlatform | undefined;
  beforeEach(async () => {
    app = await createTestApp(undefined, { staffAddresses: "console:anna=staff" });
  });
  afterEach(async () => {
    await platform?.close();
    platform = undefined;
    await app.dispose();
  });

  it("reach only people who want news, are active, and match the audience", async () => {
    await population(8, (i) => ({
      city: i < 4 ? "leipzig" : "mainz",
      language: i % 2 ? "ar" : "de",
      news: i !== 1,
      status: i === 2 ? "stopped" : "active",
    }));
    const count = async (audience: Parameters<typeof audienceAddresses>[1]) =>
      (await audienceAddresses(app.store.reader, audience, app.content)).length;
    expect(await count({ kind: "news" })).toBe(6);
    expect(await count({ kind: "city", city: "leipzig" })).toBe(2);
    expect(await count({ kind: "language", language: "ar" })).toBe(3);
    const m = await createMeeting(
      app.store.db,
      {
        title: { en: "x" },
        description: { en: "x" },
        startsAt: new Date("2026-04-01T10:00:00Z"),
        endsAt: new Date("2026-04-01T11:00:00Z"),
        timeZone: "UTC",
        place: null,
        mapUrl: null,
        onlineUrl: "https://meet.example.org/x",
        city: null,
        languages: [],
        capacity: null,
      },
      null,
      app.clock.now(),
    );
    await answerMeeting(app.store.db, m, "telegram:100001" as Address, "yes", app.clock.now());
    expect(await count({ kind: "meeting", meetingId: m.id })).toBe(1);
  });

  it("delivers to 10,000 people exactly once each at the configured rate, also when the sender restarts halfway", async () => {
    const people = await population(10_000, () => ({}));
    const rate = { perSecond: 2_000, perChatIntervalMs: 0 };
    platform = await startFakePlatform(rate);
    const id = await app.store.transaction((tx) =>
      createBroadcast(
        tx,
        app.scheduler,
        {
          text: { en: "The library has free Wi-Fi now." },
          audience: { kind: "news" },
          sendAt: app.clock.now(),
          createdBy: "console:anna",
        },
        app.clock.now(),
      ),
    );
    await app.scheduler.runDue(app.clock.now());
    expect(await broadcastCounts(app.store.reader, id)).toMatchObject({ recipients: 10_000, queued: 10_000 });
    // The first process sends about half, then stops (a restart); a new one finishes.
    const first = new OutboxSender(app.store, [fakeSender(platform.url, rate)], app.clock, silentLogger);
    while (platform.accepted.length < 5_000) await first.deliverDue();
    const second = new OutboxSender(app.store, [fakeSender(platform.url, rate)], app.clock, silentLogger);
    await second.drain();
    const chats = platform.accepted.map((a) => a.chat);
    expect(chats).toHaveLength(10_000);
    expect(new Set(chats)).toEqual(new Set(people));
    expect(platform.rejected429).toBe(0);
    // Never more than the rate (with the fake's 10% tolerance) in any second.
    const times = platform.accepted.map((a) => a.at).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] ?? 0) - (times[j] ?? 0) >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(rate.perSecond * 1.1 + 1);
    expect(await broadcastCounts(app.store.reader, id)).toMatchObject({ status: "sent", sent: 10_000, queued: 0 });
    // 10,000 real HTTP requests and their records: about 15 s alone, several times that on a busy machine.
  }, 180_000);

  it("can be cancelled while sending: what is not sent yet is never sent", async () => {
    await population(2_000, () => ({}));
    const rate = { perSecond: 1000, perChatIntervalMs: 0 };
    platform = await startFakePlatform(rate);
    const id = await app.store.transaction((tx) =>
      createBroadcast(
        tx,
        app.scheduler,
        { text: { en: "Hello" }, audience: { kind: "news" }, sendAt: app.clock.now(), createdBy: null },
        app.clock.now(),
      ),
    );
    await app.scheduler.runDue(app.clock.now());
    const sender = new OutboxSender(app.store, [fakeSender(platform.url, rate)], app.clock, silentLogger);
    // One paced pass sends part of the audience (a second's worth at most), then staff cancel.
    while (platform.accepted.length === 0) await sender.deliverDue();
    const sentBeforeCancel = platform.accepted.length;
    expect(sentBeforeCancel).toBeLessThan(2_000);
    expect(await app.store.transaction((tx) => cancelBroadcast(tx, app.scheduler, id, app.clock.now()))).toBe(true);
    await sender.drain();
    expect(platform.accepted).toHaveLength(sentBeforeCancel);
    expect(await broadcastCounts(app.store.reader, id)).toMatchObject({
      status: "cancelled",
      recipients: 2_000,
      sent: sentBeforeCancel,
      queued: 0,
    });
  });

  it("staff compose one in the chat: audience, reach, preview, send later, then cancel", async () => {
    await population(3, () => ({ city: "leipzig" }));
    const anna = chatWith(app, "anna");
    await anna.sayAll(
      "hi",
      "English",
      "Leipzig",
      "yes",
      "no news",
      "staff",
      "broadcasts",
      "new broadcast",
      "Meeting tomorrow at the library!",
    );
    const preview = await anna.sayAll("people in a city", "Leipzig");
    expect(preview).toContain("This reaches 3 people.");
    expect(preview).toContain("Telegram: 3 · WhatsApp: 0 · other: 0");
    expect(preview).toContain("Meeting tomorrow at the library!");
    await anna.say("send later");
    expect(await anna.say("2026-03-03 10:00")).toContain("Broadcast #1 is planned");
    const counts = await anna.sayAll("sent broadcasts", "1");
    // The status word is translated, as every word of the chat.
    expect(counts).toContain("Broadcast #1 (planned)");
    expect(await anna.say("cancel the rest")).toContain("Cancelled. Nothing more is sent.");
    app.clock.advance(48 * 3_600_000);
    await app.scheduler.runDue(app.clock.now());
    expect(await app.store.db.selectFrom("outbox").select("id").where("broadcast_id", "=", 1).execute()).toEqual([]);
  });
});
