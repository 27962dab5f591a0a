// Throwaway persona run (Khaled, WhatsApp, Arabic). Delete when done.
import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createWhatsAppChannel } from "../src/channels/whatsapp/channel.ts";
import { createHttpApp } from "../src/http/server.ts";
import { silentLogger } from "../src/log.ts";
import { createMeeting } from "../src/meetings/repository.ts";
import { OutboxSender } from "../src/outbox/sender.ts";
import { createTestApp, type TestApp } from "./support/app.ts";
import { type FakeGraph, metaJson, signature, startFakeGraph } from "./support/fake-graph.ts";

const appSecret = "test-app-secret-0123456789";
const phoneNumberId = "106540352242922";
const waId = "4917612340000";
let wamid = 0;

const webhook = (messages: object[]) => ({
  object: "whatsapp_business_account",
  entry: [
    {
      id: "102290129340398",
      changes: [
        {
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "4930123456789", phone_number_id: phoneNumberId },
            contacts: [{ profile: { name: "Khaled" }, wa_id: waId }],
            messages,
          },
        },
      ],
    },
  ],
});
const base = () => ({ from: waId, id: `wamid.IN${++wamid}`, timestamp: "1772442000" });
const text = (body: string) => ({ ...base(), type: "text", text: { body } });
const button = (id: string, title = id) => ({
  ...base(),
  type: "interactive",
  interactive: { type: "button_reply", button_reply: { id, title } },
});
const row = (id: string, title = id) => ({
  ...base(),
  type: "interactive",
  interactive: { type: "list_reply", list_reply: { id, title } },
});
const location = (latitude: number, longitude: number) => ({ ...base(), type: "location", location: { latitude, longitude } });

type Req = { path: string; status?: number; body: Record<string, unknown> };
const log: { sent: unknown; got: Req[]; status: number }[] = [];

describe("khaled on whatsapp", () => {
  let fake: FakeGraph;
  let app: TestApp;
  let server: ServerType;
  let url: string;
  let sender: OutboxSender;

  beforeAll(async () => {
    fake = await startFakeGraph();
    app = await createTestApp();
    const channel = createWhatsAppChannel(app, {
      token: "EAAG-test-token-0123456789",
      phoneNumberId,
      appSecret,
      verifyToken: "v",
      apiUrl: fake.url,
      apiVersion: "v24.0",
      templates: { nudge: "lotse_nudge", notice: "lotse_notice" },
      rate: { perSecond: 200, perChatIntervalMs: 0 },
    });
    const http = createHttpApp(app, { webChat: false, channelRoutes: [channel.routes] });
    server = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
  });
  afterAll(async () => {
    writeFileSync("/tmp/persona-khaled/wa.json", JSON.stringify(log, null, 1));
    server.close();
    await app.dispose();
    await fake.close();
  });

  async function say(message: Record<string, unknown>) {
    const before = fake.requests.length;
    const raw = metaJson(webhook([message]));
    const res = await fetch(`${url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature(raw, appSecret) },
      body: raw,
    });
    await sender.drain();
    app.clock.advance(30_000);
    const got = fake.requests.slice(before).map((r) => ({ path: r.path, body: r.body }));
    log.push({ sent: message, got, status: res.status });
    return got;
  }
  const ids = (got: Req[]) =>
    got.flatMap((g) => {
      const i = g.body.interactive as
        | { action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string }[] }[] } }
        | undefined;
      if (!i) return [];
      return [
        ...(i.action.buttons?.map((b) => [b.reply.id, b.reply.title]) ?? []),
        ...(i.action.sections?.flatMap((s) => s.rows.map((r) => [r.id, r.title])) ?? []),
      ];
    });
  const steps = JSON.parse(process.env.KHALED_STEPS ?? "[]") as [string, string][];

  it("walks", async () => {
    for (const [kind, value] of steps) {
      if (kind === "text") await say(text(value));
      else if (kind === "button") await say(button(value));
      else if (kind === "row") await say(row(value));
      else if (kind === "loc") {
        const [a, b] = value.split(",").map(Number);
        await say(location(a as number, b as number));
      } else if (kind === "meeting") {
        const m = JSON.parse(value);
        await createMeeting(app.store.db, { ...m, startsAt: new Date(m.startsAt), endsAt: new Date(m.endsAt) }, "console:staff", app.clock.now());
      } else if (kind === "tick") app.clock.advance(Number(value) * 3_600_000);
    }
    void ids;
  }, 300_000);
});

import { createTelegramChannel } from "../src/channels/telegram/channel.ts";
import { type FakeTelegram, startFakeTelegram } from "./support/fake-telegram.ts";

describe("khaled on telegram", () => {
  const tgSteps = JSON.parse(process.env.KHALED_TG ?? "[]") as [string, string][];
  const tgLog: { sent: unknown; got: { method: string; params: Record<string, unknown> }[]; status: number }[] = [];
  const chatId = 5123450000;
  let updateId = 800_000_000;
  const user = { id: chatId, is_bot: false, first_name: "Khaled", language_code: "ar" };
  const chat = { id: chatId, first_name: "Khaled", type: "private" };
  it.skipIf(tgSteps.length === 0)("walks telegram", async () => {
    const fake: FakeTelegram = await startFakeTelegram();
    const app = await createTestApp();
    const channel = createTelegramChannel(app, {
      token: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
      apiRoot: fake.apiRoot,
      publicUrl: "https://bot.example.org",
      secret: "s3cret_tok",
    });
    await channel.start();
    const http = createHttpApp(app, { webChat: false, channelRoutes: channel.routes ? [channel.routes] : [] });
    const server = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
    for (const [kind, value] of tgSteps) {
      const update =
        kind === "text"
          ? { update_id: ++updateId, message: { message_id: updateId, from: user, chat, date: 1772442000, text: value } }
          : kind === "loc"
            ? {
                update_id: ++updateId,
                message: {
                  message_id: updateId,
                  from: user,
                  chat,
                  date: 1772442000,
                  location: { latitude: Number(value.split(",")[0]), longitude: Number(value.split(",")[1]) },
                },
              }
            : {
                update_id: ++updateId,
                callback_query: {
                  id: `cb${updateId}`,
                  from: user,
                  chat_instance: "-1",
                  data: value,
                  message: { message_id: 1, chat, date: 1772442000, text: "..." },
                },
              };
      const before = fake.calls.length;
      const res = await fetch(`${base}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "s3cret_tok" },
        body: JSON.stringify(update),
      });
      await sender.drain();
      app.clock.advance(30_000);
      tgLog.push({ sent: update, got: fake.calls.slice(before), status: res.status });
    }
    writeFileSync("/tmp/persona-khaled/tg.json", JSON.stringify({ setup: fake.calls.filter((c) => c.method === "setMyCommands" && c.params.language_code === "ar"), log: tgLog }, null, 1));
    server.close();
    await app.dispose();
    await fake.close();
  }, 300_000);
});
