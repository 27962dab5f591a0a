/**
 * Posts fuzzed webhook bodies through the real HTTP app (createHttpApp with
 * the channel's webhook routes, against a local fake of the platform) and
 * counts what an operator cares about: answers of 500 and above, crashes
 * (a request that threw, an unhandled rejection), and lost messages: a
 * normal person writing between the fuzzed bodies whose answer never
 * reached the outbox. Used by the CI fuzz test and by `npm run soak`.
 */
import type { Hono } from "hono";
import type { App } from "../../src/app.ts";
import { createTelegramChannel } from "../../src/channels/telegram/channel.ts";
import { createWhatsAppChannel } from "../../src/channels/whatsapp/channel.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { signature, startFakeGraph } from "./fake-graph.ts";
import { startFakeTelegram } from "./fake-telegram.ts";
import { type FuzzChannel, fuzzBody, loadSamples, seededRng } from "./fuzz-bodies.ts";

const appSecret = "fuzz-app-secret-0123456789";
const secret = "fuzz_secret-123";

/** What one run found. */
export interface FuzzReport {
  channel: FuzzChannel;
  seed: number;
  bodies: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  serverErrors: number;
  crashes: number;
  /** Normal messages sent between the fuzzed bodies. */
  interleaved: number;
  /** Of those, how many got no answer. */
  lost: number;
  /** The first body answered 5xx (cut short), to reproduce it. */
  firstServerError?: { index: number; status: number; body: string };
}

/** A channel's routes with the way its platform signs a body. */
interface Target {
  http: Hono;
  post(body: string): Promise<Response>;
  /** A normal text message from person `n` (not one of the fuzzed ids), and their address. */
  normal(n: number): { body: string; address: string };
  close(): Promise<void>;
}

async function target(app: App, channel: FuzzChannel): Promise<Target> {
  if (channel === "whatsapp") {
    const graph = await startFakeGraph();
    const routes = createWhatsAppChannel(app, {
      token: "EAAG-fuzz-token-0123456789",
      phoneNumberId: "106540352242922",
      appSecret,
      verifyToken: "verify",
      apiUrl: graph.url,
      apiVersion: "v24.0",
      templates: {},
    }).routes;
    const http = createHttpApp(app, { webChat: false, channelRoutes: [routes] });
    return {
      http,
      post: async (text) => {
        // Meta sends ASCII only (everything else as \u escapes), and the signature check expects it so.
        const body = text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
        return http.request("/webhooks/whatsapp", {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature-256": signature(body, appSecret) },
          body,
        });
      },
      normal: (n) => {
        const waId = `4917${String(n).padStart(9, "0")}`;
        const message = {
          from: waId,
          id: `wamid.NORMAL${n}`,
          timestamp: "1772442000",
          type: "text",
          text: { body: "hi" },
        };
        const value = {
          messaging_product: "whatsapp",
          contacts: [{ profile: { name: "P" }, wa_id: waId }],
          messages: [message],
        };
        const body = {
          object: "whatsapp_business_account",
          entry: [{ id: "1", changes: [{ field: "messages", value }] }],
        };
        return { body: JSON.stringify(body), address: `whatsapp:${waId}` };
      },
      close: () => graph.close(),
    };
  }
  const telegram = await startFakeTelegram();
  const bot = createTelegramChannel(app, {
    token: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    apiRoot: telegram.apiRoot,
    publicUrl: "https://bot.example.org",
    secret,
    retryMs: 60_000,
  });
  await bot.start();
  const http = createHttpApp(app, { webChat: false, channelRoutes: bot.routes ? [bot.routes] : [] });
  return {
    http,
    post: async (body) =>
      http.request("/webhooks/telegram", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
        body,
      }),
    normal: (n) => {
      const id = 8_000_000_000 + n;
      const message = {
        message_id: n,
        date: 1772442000,
        from: { id, is_bot: false, first_name: "P", language_code: "en" },
        chat: { id, first_name: "P", type: "private" },
        text: "hi",
      };
      return { body: JSON.stringify({ update_id: 3_000_000_000 + n, message }), address: `telegram:${id}` };
    },
    close: async () => {
      await bot.stop();
      await telegram.close();
    },
  };
}

async function answered(app: App, address: string): Promise<boolean> {
  const row = await app.store.db.selectFrom("outbox").select("id").where("address", "=", address).executeTakeFirst();
  return row !== undefined;
}

/**
 * Posts `bodies` fuzzed bodies, with a normal message every `interleaveEvery`, and one normal message at the end.
 *
 * @example
 * const report = await runFuzz(app, "telegram", { bodies: 2_000, seed: 42 });
 */
export async function runFuzz(
  app: App,
  channel: FuzzChannel,
  options: { bodies: number; seed: number; interleaveEvery?: number; onProgress?: (done: number) => void },
): Promise<FuzzReport> {
  const rng = seededRng(options.seed);
  const samples = loadSamples(channel);
  const every = options.interleaveEvery ?? 50;
  const report: FuzzReport = {
    channel,
    seed: options.seed,
    bodies: 0,
    statuses: {},
    serverErrors: 0,
    crashes: 0,
    interleaved: 0,
    lost: 0,
  };
  const crashed = () => {
    report.crashes += 1;
  };
  process.on("unhandledRejection", crashed);
  process.on("uncaughtException", crashed);
  const t = await target(app, channel);
  const normals: string[] = [];
  const sendNormal = async () => {
    const { body, address } = t.normal(normals.length + 1);
    normals.push(address);
    report.interleaved += 1;
    const res = await t.post(body).catch(() => undefined);
    if (!res || res.status >= 500) report.serverErrors += 1;
  };
  try {
    for (let i = 0; i < options.bodies; i++) {
      const body = fuzzBody(rng, channel, samples);
      let status: number;
      try {
        status = (await t.post(body)).status;
      } catch {
        report.crashes += 1;
        status = 0;
      }
      report.bodies += 1;
      report.statuses[status] = (report.statuses[status] ?? 0) + 1;
      if (status >= 500 || status === 0) {
        if (status >= 500) report.serverErrors += 1;
        report.firstServerError ??= { index: i, status, body: body.slice(0, 300) };
      }
      if ((i + 1) % every === 0) await sendNormal();
      if ((i + 1) % 1_000 === 0) options.onProgress?.(i + 1);
    }
    // A normal person right after the last fuzzed body.
    await sendNormal();
    for (const address of normals) if (!(await answered(app, address))) report.lost += 1;
  } finally {
    process.off("unhandledRejection", crashed);
    process.off("uncaughtException", crashed);
    await t.close();
  }
  return report;
}
