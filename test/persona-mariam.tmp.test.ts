import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { expect, it } from "vitest";
import { createWhatsAppChannel } from "../src/channels/whatsapp/channel.ts";
import { createHttpApp } from "../src/http/server.ts";
import { silentLogger } from "../src/log.ts";
import { OutboxSender } from "../src/outbox/sender.ts";
import { createTestApp } from "./support/app.ts";
import { metaJson, signature, startFakeGraph } from "./support/fake-graph.ts";

const appSecret = "test-app-secret-0123456789";
const phoneNumberId = "106540352242922";
const waId = "4917600000001";
let wamid = 0;
const wrap = (m: object) => ({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: {
  messaging_product: "whatsapp", metadata: { display_phone_number: "4930123456789", phone_number_id: phoneNumberId },
  contacts: [{ profile: { name: "Mariam" }, wa_id: waId }], messages: [m] } }] }] });
const base0 = () => ({ from: waId, id: `wamid.IN${++wamid}`, timestamp: String(1772442000 + wamid) });
const text = (body: string) => ({ ...base0(), type: "text", text: { body } });
const reply = (id: string, title: string, list = false) => ({ ...base0(), type: "interactive",
  interactive: list ? { type: "list_reply", list_reply: { id, title } } : { type: "button_reply", button_reply: { id, title } } });
const audio = () => ({ ...base0(), type: "audio", audio: { id: "media1", mime_type: "audio/ogg; codecs=opus", voice: true } });
const location = (lat: number, lon: number) => ({ ...base0(), type: "location", location: { latitude: lat, longitude: lon } });
const sticker = () => ({ ...base0(), type: "sticker", sticker: { id: "s1", mime_type: "image/webp" } });

it("Mariam on WhatsApp", async () => {
  const fake = await startFakeGraph();
  const app = await createTestApp();
  const channel = createWhatsAppChannel(app, { token: "EAAG-test-token-0123456789", phoneNumberId, appSecret, verifyToken: "v",
    apiUrl: fake.url, apiVersion: "v24.0", templates: {}, rate: { perSecond: 200, perChatIntervalMs: 0 } });
  const http = createHttpApp(app, { webChat: false, channelRoutes: [channel.routes] });
  const server: ServerType = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
  const log: unknown[] = [];
  // steps: each is a message, or a function picking from the last reply
  let last: any;
  const send = async (label: string, m: object) => {
    const raw = metaJson(wrap(m));
    const before = fake.requests.length;
    const res = await fetch(`${base}/webhooks/whatsapp`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature(raw, appSecret) }, body: raw });
    expect(res.status).toBe(200);
    await sender.drain();
    const out = fake.requests.slice(before).map((r) => r.body);
    last = out[out.length - 1];
    log.push({ in: label, out });
  };
  const pick = (match: string) => {
    const i = last?.interactive;
    const opts = i?.action?.buttons?.map((b: any) => ({ id: b.reply.id, title: b.reply.title, list: false }))
      ?? i?.action?.sections?.flatMap((s: any) => s.rows.map((r: any) => ({ id: r.id, title: r.title, list: true }))) ?? [];
    const o = opts.find((x: any) => x.title.includes(match) || x.id.includes(match));
    if (!o) throw new Error(`no option ${match} in ${JSON.stringify(opts)}`);
    return o;
  };
  const tap = async (match: string) => { const o = pick(match); await send(`TAP ${o.title}`, reply(o.id, o.title, o.list)); };
  await send("سلام", text("سلام"));
  await tap("lang.prs");
  await tap("city.leipzig");
  await tap("consent.yes");
  await tap("news.no");
  await send("voice note", audio());
  await send("sticker", sticker());
  await send("داکتر اطفال", text("داکتر اطفال"));
  await tap("116117");
  await send("کورس جرمنی", text("کورس جرمنی"));
  await tap("vhs");
  await send("location Leipzig", location(51.3186, 12.396));
  await send("location Halle", location(51.4825, 11.9697));
  await send("location Kabul", location(34.5553, 69.2075));
  await send("منو", text("منو"));
  await tap("پیدا کردن کمک");
  await tap("نزدیک من");
  await send("کمک", text("کمک"));
  await send("منو", text("منو"));
  await tap("درس");
  await tap("تماس");
  await tap("پیام‌های صوتی");
  await send("خوب", text("خوب"));
  await send("خوب", text("خوب"));
  await send("خوب", text("خوب"));
  await send("خوب", text("خوب"));
  await send("voice note in quiz", audio());
  await send("۲", text("۲"));
  await tap("3");
  await send("تشکر", text("تشکر"));
  writeFileSync("/tmp/persona-mariam/wa-requests.json", JSON.stringify(log, null, 1));
  server.close(); await app.dispose(); await fake.close();
}, 60_000);
