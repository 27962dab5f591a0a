/**
 * Regression tests for "malformed webhooks give 500" (issue 15, finding 4):
 * addresses built from a missing id (`telegram:undefined`, `telegram:null`,
 * `whatsapp:undefined`) merged strangers into one conversation, and one bad
 * message in a WhatsApp batch made the whole webhook fail on every retry, so
 * the valid message beside it was never answered.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramChannel, type TelegramChannel } from "../../src/channels/telegram/channel.ts";
import { createWhatsAppChannel } from "../../src/channels/whatsapp/channel.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { silentLogger } from "../../src/log.ts";
import { OutboxSender } from "../../src/outbox/sender.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { type FakeGraph, metaJson, signature, startFakeGraph, whatsappWebhookBody } from "../support/fake-graph.ts";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.ts";

const appSecret = "test-app-secret-0123456789";
const secret = "test_secret-123";

async function users(app: TestApp): Promise<string[]> {
  const rows = await app.store.db.selectFrom("users").select("address").execute();
  return rows.map((r) => r.address).sort();
}

describe("WhatsApp", () => {
  let app: TestApp;
  let graph: FakeGraph;
  let http: ReturnType<typeof createHttpApp>;
  let sender: OutboxSender;
  beforeEach(async () => {
    app = await createTestApp();
    graph = await startFakeGraph();
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
    http = createHttpApp(app, { webChat: false, channelRoutes: [channel.routes] });
    sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
  });
  afterEach(async () => {
    await app.dispose();
    await graph.close();
  });

  const webhook = (contacts: object[], messages: object[]) => whatsappWebhookBody({ contacts, messages });
  const post = (body: unknown) => {
    const raw = metaJson(body);
    return http.request("/webhooks/whatsapp", {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature(raw, appSecret) },
      body: raw,
    });
  };

  it("regression: two people without `from` (username users, known by a BSUID) became one `whatsapp:undefined`", async () => {
    // As Meta sends them for people who use a username: no `from`, no `wa_id`, a business-scoped user id.
    const person = (bsuid: string, name: string, id: string) =>
      webhook(
        [{ profile: { name, username: `@${name.toLowerCase()}` }, user_id: bsuid }],
        [{ from_user_id: bsuid, id, timestamp: "1772442000", type: "text", text: { body: "hi" } }],
      );
    expect((await post(person("US.13491208655302741918", "Amal", "wamid.BSUID1"))).status).toBe(200);
    expect((await post(person("DE.99887766554433221100", "Omar", "wamid.BSUID2"))).status).toBe(200);
    expect(await users(app)).toEqual([]);
    await sender.drain();
    expect(graph.requests).toEqual([]);
  });

  it("regression: one bad message in a batch sank the valid one beside it on every retry", async () => {
    const valid = {
      from: "4915112345678",
      id: "wamid.GOOD",
      timestamp: "1772442000",
      type: "text",
      text: { body: "hi" },
    };
    const bad = { from: "not a number!", id: "wamid.BAD", timestamp: "1772442000", type: "text", text: { body: "hi" } };
    const batch = webhook([{ profile: { name: "Amal" }, wa_id: "4915112345678" }], [bad, valid]);
    expect((await post(batch)).status).toBe(200);
    // Meta's retry of the same webhook changes nothing.
    expect((await post(batch)).status).toBe(200);
    await sender.drain();
    expect(graph.requests.map((r) => r.body.to)).toEqual(["4915112345678"]);
    expect(await users(app)).toEqual(["whatsapp:4915112345678"]);
  });
});

describe("Telegram", () => {
  let app: TestApp;
  let telegram: FakeTelegram;
  let channel: TelegramChannel;
  let http: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    app = await createTestApp();
    telegram = await startFakeTelegram();
    channel = createTelegramChannel(app, {
      token: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
      apiRoot: telegram.apiRoot,
      publicUrl: "https://bot.example.org",
      secret,
    });
    await channel.start();
    http = createHttpApp(app, { webChat: false, channelRoutes: channel.routes ? [channel.routes] : [] });
  });
  afterEach(async () => {
    await channel.stop();
    await app.dispose();
    await telegram.close();
  });

  const post = (body: unknown) =>
    http.request("/webhooks/telegram", {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(body),
    });

  it("regression: a chat without an id, or with id null, became `telegram:undefined` and `telegram:null`", async () => {
    const from = { id: 42, is_bot: false, first_name: "A" };
    const updates = [
      { update_id: 1, message: { message_id: 1, date: 1, from, chat: { type: "private" }, text: "hi" } },
      { update_id: 2, message: { message_id: 2, date: 1, from, chat: { id: null, type: "private" }, text: "hi" } },
      {
        update_id: 3,
        callback_query: { id: "cb", from, chat_instance: "1", data: "x", message: { chat: { type: "private" } } },
      },
      { update_id: 4, my_chat_member: { chat: { id: null, type: "private" }, new_chat_member: { status: "kicked" } } },
      { update_id: 5, message: { message_id: 5, date: 1, from, chat: { id: 1.5, type: "private" }, text: "hi" } },
      { update_id: 6, message: { message_id: 6, date: 1, from, chat: { id: 2 ** 60, type: "private" }, text: "hi" } },
    ];
    for (const update of updates) expect((await post(update)).status).toBe(200);
    expect(await users(app)).toEqual([]);
  });
});
