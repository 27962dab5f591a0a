/**
 * `/metrics` (issue 15, finding 10): Prometheus text from a registry per app,
 * counting messages in by channel and result, sends by result and reason
 * class, webhook latency and database errors, and reading the outbox depth,
 * the oldest row's age and the job lag from the database when scraped. Served
 * with METRICS_TOKEN's bearer token, or else to loopback clients only.
 */
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { Hono } from "hono";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramChannel, type TelegramChannel } from "../../src/channels/telegram/channel.ts";
import { createWhatsAppChannel } from "../../src/channels/whatsapp/channel.ts";
import type { Address } from "../../src/domain/address.ts";
import { isLoopback } from "../../src/http/metrics-route.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { silentLogger } from "../../src/log.ts";
import { countDeliveries, reasonClass } from "../../src/metrics/delivery.ts";
import { OutboxSender } from "../../src/outbox/sender.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import {
  type FakeGraph,
  metaJson,
  signature,
  startFakeGraph,
  whatsappContact,
  whatsappTextMessage,
  whatsappWebhookBody,
} from "../support/fake-graph.ts";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.ts";
import { createFaultyApp } from "../support/storage-fault.ts";

const metricsToken = "metrics-token-0123456789";
const secret = "test_secret-123";
const chatId = 5123456789;
let updateId = 700_000_000;

const text = (body: string) => ({
  update_id: ++updateId,
  message: {
    message_id: updateId,
    from: { id: chatId, is_bot: false, first_name: "Amal", language_code: "ar" },
    chat: { id: chatId, first_name: "Amal", type: "private" },
    date: 1772442000,
    text: body,
  },
});

/** The value of one sample in Prometheus text, or undefined when the series is absent. */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (
      Object.entries(labels).every(([k, v]) => found[k] === v) &&
      Object.keys(found).length === Object.keys(labels).length
    )
      return Number(match[3]);
  }
  return undefined;
}

async function listen(http: Hono): Promise<{ server: ServerType; base: string }> {
  const server = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("/metrics with Telegram", () => {
  let fake: FakeTelegram;
  let app: TestApp;
  let channel: TelegramChannel;
  let http: Hono;
  let server: ServerType;
  let base: string;

  beforeEach(async () => {
    fake = await startFakeTelegram();
    app = await createTestApp();
    channel = createTelegramChannel(app, {
      token: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
      apiRoot: fake.apiRoot,
      publicUrl: "https://bot.example.org",
      secret,
    });
    await channel.start();
    http = createHttpApp(app, { webChat: false, metricsToken, channelRoutes: channel.routes ? [channel.routes] : [] });
    ({ server, base } = await listen(http));
  });
  afterEach(async () => {
    await channel.stop();
    server.close();
    await app.dispose();
    await fake.close();
  });

  const post = (update: unknown) =>
    fetch(`${base}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(update),
    });
  const scrape = async () => {
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    return res.text();
  };

  it("counts messages in by result, webhook time, and reads the outbox depth and age when scraped", async () => {
    const hello = text("hello");
    expect((await post(hello)).status).toBe(200);
    expect((await post(hello)).status).toBe(200);
    expect((await post({ update_id: ++updateId, message: { message_id: "x", chat: 5 } })).status).toBe(200);
    await app.store.transaction((tx) =>
      app.scheduler.schedule(tx, {
        kind: "test.never_handled",
        dueAt: new Date(app.clock.now().getTime() - 30_000),
        uniqueKey: "metrics-lag",
      }),
    );
    app.clock.advance(90_000);

    const text1 = await scrape();
    expect(sample(text1, "lotse_messages_in_total", { channel: "telegram", result: "handled" })).toBe(1);
    expect(sample(text1, "lotse_messages_in_total", { channel: "telegram", result: "duplicate" })).toBe(1);
    expect(sample(text1, "lotse_messages_in_total", { channel: "telegram", result: "malformed" })).toBe(1);
    expect(sample(text1, "lotse_webhook_duration_seconds_count", { channel: "telegram" })).toBe(3);
    expect(sample(text1, "lotse_outbox_depth", { channel: "telegram", lane: "0" })).toBeGreaterThan(0);
    expect(sample(text1, "lotse_outbox_oldest_age_seconds", { channel: "telegram", lane: "0" })).toBe(90);
    expect(sample(text1, "lotse_job_lag_seconds")).toBe(120);

    const sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger, {
      onResult: countDeliveries(app.metrics),
    });
    await sender.drain();
    const text2 = await scrape();
    expect(sample(text2, "lotse_outbox_depth", { channel: "telegram", lane: "0" })).toBeUndefined();
    expect(sample(text2, "lotse_replies_total", { channel: "telegram", result: "sent", reason: "ok" })).toBe(
      fake.sent().length,
    );
  });

  it("counts a send retried after a platform error by its reason class, then sent", async () => {
    const sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger, {
      onResult: countDeliveries(app.metrics),
    });
    await post(text("hello"));
    fake.fail("sendMessage", { error_code: 502, description: "Bad Gateway", times: 1 });
    await sender.drain();
    app.clock.advance(5 * 60_000);
    await sender.drain();
    const exposition = await scrape();
    expect(
      sample(exposition, "lotse_replies_total", { channel: "telegram", result: "retried", reason: "platform_error" }),
    ).toBe(1);
    expect(
      sample(exposition, "lotse_replies_total", { channel: "telegram", result: "sent", reason: "ok" }),
    ).toBeGreaterThan(0);
  });

  it("counts failed queries and a flow's failure", async () => {
    await post(text("hello"));
    await sql`select * from no_such_table`.execute(app.store.db).catch(() => undefined);
    await app.store.db.updateTable("users").set({ consent: "given" }).execute();
    app.registry.onInbound(async () => {
      throw new Error("a bug in a flow");
    });
    expect((await post(text("and now?"))).status).toBe(200);
    const exposition = await scrape();
    expect(sample(exposition, "lotse_database_errors_total", { kind: "query" })).toBe(1);
    expect(sample(exposition, "lotse_database_errors_total", { kind: "unavailable" })).toBe(0);
    expect(sample(exposition, "lotse_messages_in_total", { channel: "telegram", result: "failed" })).toBe(1);
    expect(sample(exposition, "lotse_messages_in_total", { channel: "telegram", result: "handled" })).toBe(1);
  });

  it("is refused without the token, with a wrong one, and from another machine when no token is set", async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status,
    ).toBe(401);
    const open = createHttpApp(app, { webChat: false });
    // Called directly there is no socket, as for a client that is not on loopback.
    expect((await open.request("/metrics")).status).toBe(403);
    const local = await listen(open);
    try {
      expect((await fetch(`${local.base}/metrics`)).status).toBe(200);
      const proxied = await fetch(`${local.base}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
      expect(proxied.status).toBe(403);
    } finally {
      local.server.close();
    }
  });
});

describe("metrics per app", () => {
  it("keeps each app's figures in its own registry", async () => {
    const one = await createTestApp();
    const two = await createTestApp();
    try {
      const address = "web:metrics-one" as Address;
      await one.engine.handle({ id: "m1", address, kind: "text", text: "hi", receivedAt: one.clock.now() });
      const read = async (app: TestApp) => app.metrics.registry.metrics();
      expect(sample(await read(one), "lotse_messages_in_total", { channel: "web", result: "handled" })).toBe(1);
      expect(sample(await read(two), "lotse_messages_in_total", { channel: "web", result: "handled" })).toBeUndefined();
    } finally {
      await one.dispose();
      await two.dispose();
    }
  });

  it("counts a message the database could not store as failed, and the database error as unavailable", async () => {
    const { app, fault } = await createFaultyApp("sqlite");
    try {
      await fault.hold();
      const inbound = {
        id: "m1",
        address: "telegram:1" as Address,
        kind: "text" as const,
        text: "hi",
        receivedAt: app.clock.now(),
      };
      await expect(app.engine.handle(inbound)).rejects.toThrow();
      await fault.release();
      const exposition = await app.metrics.registry.metrics();
      expect(sample(exposition, "lotse_messages_in_total", { channel: "telegram", result: "failed" })).toBe(1);
      expect(sample(exposition, "lotse_database_errors_total", { kind: "unavailable" })).toBeGreaterThan(0);
    } finally {
      await app.dispose();
    }
  });
});

describe("/metrics with WhatsApp", () => {
  let fake: FakeGraph;
  let app: TestApp;

  beforeEach(async () => {
    fake = await startFakeGraph();
    app = await createTestApp();
  });
  afterEach(async () => {
    await app.dispose();
    await fake.close();
  });

  it("counts each malformed message of a batch, and the valid one beside it as handled", async () => {
    const appSecret = "test-app-secret-0123456789";
    const channel = createWhatsAppChannel(app, {
      token: "EAAG-test-token-0123456789",
      phoneNumberId: "106540352242922",
      appSecret,
      verifyToken: "verify-me-please",
      apiUrl: fake.url,
      apiVersion: "v24.0",
      templates: {},
    });
    const http = createHttpApp(app, { webChat: false, metricsToken, channelRoutes: [channel.routes] });
    const body = metaJson(
      whatsappWebhookBody({
        contacts: [whatsappContact("4915112345678")],
        messages: [
          whatsappTextMessage("4915112345678", "hi", "wamid.OK1"),
          { id: "wamid.BAD1", timestamp: "1772442000", type: "text", text: { body: "no sender" } },
          { from: "4915112345678", id: 42, type: 7 },
        ],
      }),
    );
    const res = await http.request("/webhooks/whatsapp", {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature(body, appSecret) },
      body,
    });
    expect(res.status).toBe(200);
    const exposition = await (
      await http.request("/metrics", { headers: { authorization: `Bearer ${metricsToken}` } })
    ).text();
    expect(sample(exposition, "lotse_messages_in_total", { channel: "whatsapp", result: "malformed" })).toBe(2);
    expect(sample(exposition, "lotse_messages_in_total", { channel: "whatsapp", result: "handled" })).toBe(1);
    expect(sample(exposition, "lotse_webhook_duration_seconds_count", { channel: "whatsapp" })).toBe(1);
  });
});

describe("reason classes", () => {
  it("sorts what platforms say into a few classes", () => {
    expect(reasonClass({ kind: "sent" }, "sent")).toBe("ok");
    expect(reasonClass({ kind: "retry", reason: "429: Too Many Requests", afterMs: 3000 }, "retried")).toBe(
      "rate_limited",
    );
    expect(reasonClass({ kind: "retry", reason: "timed out after 20000 ms" }, "retried")).toBe("timeout");
    expect(reasonClass({ kind: "retry", reason: "network: ECONNRESET" }, "retried")).toBe("network");
    expect(reasonClass({ kind: "retry", reason: "502: Bad Gateway" }, "retried")).toBe("platform_error");
    expect(reasonClass({ kind: "retry", reason: "502: Bad Gateway" }, "failed")).toBe("gave_up");
    expect(reasonClass({ kind: "blocked", reason: "403: bot was blocked" }, "failed")).toBe("blocked");
    expect(reasonClass({ kind: "failed", reason: "131047 outside the 24-hour window" }, "failed")).toBe(
      "window_closed",
    );
    expect(reasonClass({ kind: "failed", reason: "refused before sending: bad payload" }, "failed")).toBe("internal");
    expect(reasonClass({ kind: "failed", reason: "400: Bad Request: chat not found" }, "failed")).toBe("refused");
  });

  it("knows loopback addresses", () => {
    expect(["127.0.0.1", "::1", "::ffff:127.0.0.1", "127.8.9.10"].every(isLoopback)).toBe(true);
    expect(["10.0.0.1", "::ffff:10.0.0.1", "1127.0.0.1", "", undefined].some(isLoopback)).toBe(false);
  });
});
