/**
 * Regression tests for "acknowledged and dropped" (issue 15, finding 3): when
 * the database failed, the engine apologised, the webhook answered 200, the
 * platform never sent the message again and the person never got an answer.
 * Here the database really fails (a lock held by another connection beyond
 * the app's timeout); the webhook must answer 503, and once the fault is
 * released the same webhook, sent again as the platform would, is answered
 * exactly once.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createTelegramChannel } from "../../src/channels/telegram/channel.ts";
import { createWhatsAppChannel } from "../../src/channels/whatsapp/channel.ts";
import type { Address } from "../../src/domain/address.ts";
import { isLotseError } from "../../src/domain/errors.ts";
import type { Inbound } from "../../src/domain/inbound.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { silentLogger } from "../../src/log.ts";
import { OutboxSender } from "../../src/outbox/sender.ts";
import { storageCode } from "../../src/storage/unavailable.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import {
  metaJson,
  signature,
  startFakeGraph,
  whatsappContact,
  whatsappTextMessage,
  whatsappWebhookBody,
} from "../support/fake-graph.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { createFaultyApp, eventLogger, type StorageFault } from "../support/storage-fault.ts";

const appSecret = "test-app-secret-0123456789";
const waId = "4915112345678";
const chatId = 5123456789;
const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const secret = "test_secret-123";

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function faulty(backend: "sqlite" | "postgres", logger = silentLogger): Promise<[TestApp, StorageFault]> {
  const { app, fault } = await createFaultyApp(backend, { logger });
  disposers.push(() => app.dispose());
  return [app, fault];
}

const whatsappText = (id: string, body: string) =>
  whatsappWebhookBody({ contacts: [whatsappContact(waId)], messages: [whatsappTextMessage(waId, body, id)] });

const telegramText = (updateId: number, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    from: { id: chatId, is_bot: false, first_name: "Amal", language_code: "en" },
    chat: { id: chatId, first_name: "Amal", type: "private" },
    date: 1772442000,
    text,
  },
});

describe.each(backends)("storage outage on %s", (backend) => {
  it("regression: a storage failure was answered 200 on the WhatsApp webhook; now 503, and the retry is answered once", async () => {
    const [app, fault] = await faulty(backend);
    const graph = await startFakeGraph();
    disposers.push(() => graph.close());
    const channel = createWhatsAppChannel(app, {
      token: "EAAG-test-token-0123456789",
      phoneNumberId: "106540352242922",
      appSecret,
      verifyToken: "verify",
      apiUrl: graph.url,
      apiVersion: "v24.0",
      templates: {},
      rate: { perSecond: 200, perChatIntervalMs: 0 },
    });
    const http = createHttpApp(app, { webChat: false, channelRoutes: [channel.routes] });
    const sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
    const raw = metaJson(whatsappText("wamid.OUTAGE1", "hi"));
    const post = () =>
      http.request("/webhooks/whatsapp", {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signature(raw, appSecret) },
        body: raw,
      });

    await fault.hold();
    expect((await post()).status).toBe(503);
    await fault.release();
    expect((await post()).status).toBe(200);
    // Meta may deliver it once more: still one answer.
    expect((await post()).status).toBe(200);
    await sender.drain();
    expect(graph.requests.map((r) => r.body.to)).toEqual([waId]);
  });

  it("regression: a storage failure was answered 200 on the Telegram webhook; now 503, and the retry is answered once", async () => {
    const [app, fault] = await faulty(backend);
    const telegram = await startFakeTelegram();
    disposers.push(() => telegram.close());
    const channel = createTelegramChannel(app, {
      token,
      apiRoot: telegram.apiRoot,
      publicUrl: "https://bot.example.org",
      secret,
    });
    await channel.start();
    disposers.push(() => channel.stop());
    const http = createHttpApp(app, { webChat: false, channelRoutes: channel.routes ? [channel.routes] : [] });
    const sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
    const body = JSON.stringify(telegramText(800_000_001, "hi"));
    const post = () =>
      http.request("/webhooks/telegram", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
        body,
      });

    await fault.hold();
    expect((await post()).status).toBe(503);
    await fault.release();
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    await sender.drain();
    expect(telegram.sent().map((c) => c.params.chat_id)).toEqual([String(chatId)]);
  });

  it("regression: a storage failure under Telegram long polling dropped the update; now it is tried again until stored", async () => {
    const logger = eventLogger();
    const [app, fault] = await faulty(backend, logger);
    const telegram = await startFakeTelegram();
    disposers.push(() => telegram.close());
    const channel = createTelegramChannel(app, { token, apiRoot: telegram.apiRoot, secret: "unused" });
    disposers.push(() => channel.stop());
    const sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);

    await fault.hold();
    telegram.queueUpdates([telegramText(1, "hi")]);
    await channel.start();
    await until(() => logger.events.includes("engine.storage_unavailable"));
    await fault.release();
    await until(async () => {
      await sender.drain();
      return telegram.sent().length > 0;
    });
    expect(telegram.sent().map((c) => c.params.chat_id)).toEqual([String(chatId)]);
  });

  it("regression: a storage failure in the web chat was answered 200 without an answer; now 503 with a friendly text", async () => {
    const [app, fault] = await faulty(backend);
    const http = createHttpApp(app, { webChat: true });
    const post = () =>
      http.request("/chat/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ session: "outage-session-1", hint: "en-GB", text: "hi" }),
      });

    await fault.hold();
    const refused = await post();
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: string }).error).toBe(
      "Sorry, something went wrong on our side. Please try again in a minute.",
    );
    await fault.release();
    const answered = await post();
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as { messages: unknown[] }).messages.length).toBeGreaterThan(0);
  });
});

describe("a flow's own bug", () => {
  it("is still apologised for and acknowledged with 200: only storage failures are answered 503", async () => {
    const app = await createTestApp();
    disposers.push(() => app.dispose());
    const address = `whatsapp:${waId}` as Address;
    const at = app.clock.now().toISOString();
    await app.store.db
      .insertInto("users")
      .values({
        address,
        language: "en",
        city: null,
        time_zone: "Europe/Berlin",
        consent: "given",
        status: "active",
        created_at: at,
        updated_at: at,
        last_inbound_at: null,
      })
      .execute();
    app.registry.onInbound(async () => {
      throw new TypeError("a bug in a feature");
    });
    const channel = createWhatsAppChannel(app, {
      token: "EAAG-test-token-0123456789",
      phoneNumberId: "106540352242922",
      appSecret,
      verifyToken: "verify",
      apiUrl: "http://127.0.0.1:9",
      apiVersion: "v24.0",
      templates: {},
    });
    const http = createHttpApp(app, { webChat: false, channelRoutes: [channel.routes] });
    const raw = metaJson(whatsappText("wamid.BUG1", "hi"));
    const res = await http.request("/webhooks/whatsapp", {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature(raw, appSecret) },
      body: raw,
    });
    expect(res.status).toBe(200);
    const queued = await app.store.takeOutboxFor(address, app.clock.now());
    expect(JSON.stringify(queued)).toContain("Sorry, something went wrong on our side.");
  });
});

describe("disk full on SQLite", () => {
  it("regression: SQLITE_FULL was hidden behind 'cannot rollback' and the message apologised for; now it is the cause, and the message is processed once there is room", async () => {
    const [app] = await faulty("sqlite");
    const { page_count: pages } = (await sql<{ page_count: number }>`pragma page_count`.execute(app.store.db))
      .rows[0] ?? {
      page_count: 0,
    };
    // The file may not grow: the next transaction that needs a page fails as on a full disk.
    await sql.raw(`pragma max_page_count = ${pages}`).execute(app.store.db);
    const failures: { inbound: Inbound; error: unknown }[] = [];
    for (let n = 1; n <= 200 && failures.length === 0; n++) {
      const inbound: Inbound = {
        id: `full:${n}`,
        address: `console:person${n}` as Address,
        receivedAt: app.clock.now(),
        kind: "text",
        text: "hi",
      };
      await app.engine.handle(inbound).catch((error: unknown) => {
        failures.push({ inbound, error });
      });
    }
    const [failed] = failures;
    if (!failed) throw new Error("the database never filled up");
    expect(isLotseError(failed.error, "storage.unavailable")).toBe(true);
    expect(storageCode(failed.error)).toBe("SQLITE_FULL");

    await sql.raw("pragma max_page_count = 1073741823").execute(app.store.db);
    expect(await app.engine.handle(failed.inbound)).toEqual({ duplicate: false });
    const queued = await app.store.takeOutboxFor(failed.inbound.address, app.clock.now());
    expect(queued.length).toBeGreaterThan(0);
    expect(JSON.stringify(queued)).not.toContain("went wrong on our side");
  });
});

/** Waits for a condition the system reaches on its own (polling runs in the background). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the condition was not reached");
}
