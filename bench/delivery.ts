/**
 * `npm run bench:delivery`: how delivery behaves at scale (issue 14), against
 * the local fake of both platforms that enforces their ceilings
 * (test/support/ceiling-platform.ts). Prints one JSON line per figure, on
 * SQLite and, with DATABASE_URL, on Postgres (pacing shared through Redis
 * when REDIS_URL is set):
 * - `send_rate_vs_ceiling`: one process sends a broadcast; accepted sends a
 *   second in steady state (first and last second left out) over the ceiling,
 *   and the sends the fake refused (429 / 130429, and per chat);
 * - `reply_p99_seconds_during_broadcast`: people chat (each message after the
 *   bot's answer and a second of reading) while a 100,000 broadcast goes
 *   out, and the same without it; seconds from the message handed to the
 *   engine (as a webhook does) to the reply's arrival at the platform;
 * - `inbound_messages_per_second` with the CPU seconds Lotse used, with 1, 2
 *   and 4 real processes on Postgres (webhooks posted round robin).
 * `fanout_seconds` is bench/fanout.ts's.
 * Sizes: BENCH_SEND_CEILING (200), BENCH_SEND_N (4,800), BENCH_REPLY_CEILING
 * (1,000), BENCH_BROADCAST (100,000), BENCH_PEOPLE (500), BENCH_INBOUND_PEOPLE (300).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { type App, createApp } from "../src/app.ts";
import { broadcastCounts, cancelBroadcast, createBroadcast } from "../src/broadcasts/broadcasts.ts";
import { pushChannelsFrom } from "../src/channels/push-channels.ts";
import { connectRedis, type RedisConnection } from "../src/cluster/redis.ts";
import { loadConfig } from "../src/config.ts";
import type { Address } from "../src/domain/address.ts";
import { silentLogger } from "../src/log.ts";
import { OutboxSender } from "../src/outbox/sender.ts";
import { seedPopulation } from "../test/broadcasts/population.ts";
import { dropSchema, uniqueSchema } from "../test/support/app.ts";
import { type CeilingPlatform, startCeilingPlatform } from "../test/support/ceiling-platform.ts";
import {
  metaJson,
  signature,
  whatsappContact,
  whatsappTextMessage,
  whatsappWebhookBody,
} from "../test/support/fake-graph.ts";
import { startLotseProcesses } from "../test/support/lotse-processes.ts";
import { cpuSecondsOf } from "./speed/proc-cpu.ts";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const sendCeiling = env("BENCH_SEND_CEILING", 200);
const sendN = env("BENCH_SEND_N", 4_800);
const replyCeiling = env("BENCH_REPLY_CEILING", 1_000);
const broadcastSize = env("BENCH_BROADCAST", 100_000);
const people = env("BENCH_PEOPLE", 500);
const inboundPeople = env("BENCH_INBOUND_PEOPLE", 300);
const script = ["hi", "English", "leipzig", "yes", "2", "menu"];
const marker = "[bench-broadcast]";
const token = "700123:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const appSecret = "bench-app-secret-0123456789";
const phoneNumberId = "106540352242922";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
function figure(name: string, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ figure: name, ...fields }));
}

/** The environment a Lotse process gets: both platforms at `fake`, at `rate` a second. */
function lotseEnv(fake: CeilingPlatform, rate: number): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_RATE: String(rate),
    WHATSAPP_TOKEN: "EAAG-bench-token-0123456789",
    WHATSAPP_PHONE_NUMBER_ID: phoneNumberId,
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_VERIFY_TOKEN: "verify-me-please",
    WHATSAPP_API_URL: fake.url,
    WHATSAPP_RATE: String(rate),
    WEB_CHAT: "off",
    LOG_LEVEL: "warn",
  };
}

/** The outbox sender as main.ts builds it, in this process (the channels are not started: no webhook set-up). */
function senderFor(app: App, fake: CeilingPlatform, rate: number, redis: RedisConnection | undefined): OutboxSender {
  const config = loadConfig({ ...lotseEnv(fake, rate), DATA_DIR: "/tmp" });
  const channels = pushChannelsFrom(config, app, { redis: redis?.client });
  return new OutboxSender(
    app.store,
    channels.map((c) => c.sender),
    app.clock,
    silentLogger,
    { shared: redis?.client, bulkShare: config.BULK_SHARE },
  );
}

async function broadcastNow(app: App): Promise<number> {
  const now = app.clock.now();
  const id = await app.store.transaction((tx) =>
    createBroadcast(
      tx,
      app.scheduler,
      {
        text: { en: `${marker} The library has free Wi-Fi now.`, de: `${marker} Die Bibliothek hat jetzt WLAN.` },
        audience: { kind: "news" },
        sendAt: now,
        createdBy: "bench",
      },
      now,
    ),
  );
  await app.scheduler.runDue(now);
  return id;
}

/** One process sends a broadcast of `sendN` at `sendCeiling`: the steady rate over the ceiling, and refusals. */
async function sendRate(app: App, db: string, redis: RedisConnection | undefined): Promise<void> {
  const fake = await startCeilingPlatform({
    perSecond: { telegram: sendCeiling, whatsapp: sendCeiling },
    markers: { broadcast: marker },
  });
  await seedPopulation(app.store.db, app.store.dialect, sendN, app.clock.now(), 1);
  const sender = senderFor(app, fake, sendCeiling, redis);
  const id = await broadcastNow(app);
  const cpuAtStart = cpuMs();
  sender.start();
  while (((await broadcastCounts(app.store.reader, id))?.queued ?? 0) > 0) await sleep(200);
  await sender.stop();
  // This process's CPU (Lotse's sender and the fake platform together) per accepted send.
  const cpuPerSend = (cpuMs() - cpuAtStart) / Math.max(1, fake.accepted().length);
  for (const platform of ["telegram", "whatsapp"] as const) {
    const times = fake
      .accepted(platform)
      .filter((a) => a.purpose === "broadcast")
      .map((a) => a.at);
    const from = (times[0] ?? 0) + 1000;
    const to = (times.at(-1) ?? 0) - 1000;
    const steady = times.filter((t) => t > from && t <= to).length;
    const refused = fake.arrivals.filter((a) => a.platform === platform && a.outcome !== "accepted");
    // A second copy to one person: how many, and how long after the first (a lease ran out? a timeout?).
    const firstAt = new Map<string, number>();
    const gaps: number[] = [];
    for (const a of fake.accepted(platform).filter((x) => x.purpose === "broadcast")) {
      const first = firstAt.get(a.chat);
      if (first === undefined) firstAt.set(a.chat, a.at);
      else gaps.push(a.at - first);
    }
    gaps.sort((x, y) => x - y);
    figure("send_rate_vs_ceiling", {
      db,
      shared: redis ? "redis" : "none",
      platform,
      ceiling: sendCeiling,
      sent: times.length,
      value: round(steady / ((to - from) / 1000) / sendCeiling),
      refused_ceiling: refused.filter((a) => a.outcome === "ceiling").length,
      refused_ceiling_steady: refused.filter((a) => a.outcome === "ceiling" && a.at > from && a.at <= to).length,
      refused_per_chat: refused.filter((a) => a.outcome === "chat").length,
      duplicates: gaps.length,
      duplicate_gap_ms_p50: gaps.length > 0 ? quantile(gaps, 0.5) : null,
      cpu_ms_per_send_with_fake: round(cpuPerSend, 2),
    });
  }
  await fake.close();
}

/** People chat (message, answer, a second's reading, next): seconds from each message to its reply. */
async function chatLatencies(app: App, fake: CeilingPlatform, offset: number): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: people }, async (_, p) => {
      const telegram = p % 2 === 0;
      const platform = telegram ? "telegram" : "whatsapp";
      const chat = String((telegram ? 8_000_000_000 : 4_918_000_000_000) + offset + p);
      const address = `${platform}:${chat}` as Address;
      await sleep(Math.random() * 1000);
      for (const [i, text] of script.entries()) {
        const before = fake.acceptedTo(platform, chat).length;
        const t = Date.now();
        await app.engine.handle({
          id: `bench-${offset}-${p}-${i}`,
          address,
          kind: "text",
          text,
          receivedAt: new Date(),
        });
        // At most two minutes a reply: one that takes longer counts as two minutes (the p99 says "over").
        await Promise.race([fake.waitForAccepted(platform, chat, before + 1), sleep(120_000)]);
        const reply = fake.acceptedTo(platform, chat)[before];
        latencies.push(((reply?.at ?? Date.now()) - t) / 1000);
        await sleep(1000);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Reply latency while people chat, without and then with a broadcast of `broadcastSize` going out. */
async function replyLatency(app: App, db: string, redis: RedisConnection | undefined): Promise<void> {
  const fake = await startCeilingPlatform({
    perSecond: { telegram: replyCeiling, whatsapp: replyCeiling },
    markers: { broadcast: marker },
  });
  const sender = senderFor(app, fake, replyCeiling, redis);
  sender.start();
  const without = await chatLatencies(app, fake, 0);
  await seedPopulation(app.store.db, app.store.dialect, broadcastSize, app.clock.now(), 10_000_001);
  const id = await broadcastNow(app);
  const sentBefore = fake.accepted().filter((a) => a.purpose === "broadcast").length;
  const started = Date.now();
  const during = await chatLatencies(app, fake, 1_000_000);
  const chatSeconds = (Date.now() - started) / 1000;
  const sentDuring = fake.accepted().filter((a) => a.purpose === "broadcast").length - sentBefore;
  const left = (await broadcastCounts(app.store.reader, id))?.queued ?? 0;
  await app.store.transaction((tx) => cancelBroadcast(tx, app.scheduler, id, app.clock.now()));
  await sender.stop();
  figure("reply_p99_seconds_during_broadcast", {
    db,
    shared: redis ? "redis" : "none",
    ceiling: replyCeiling,
    broadcast: broadcastSize,
    people,
    value: round(quantile(during, 0.99)),
    p50: round(quantile(during, 0.5)),
    without_broadcast_p99: round(quantile(without, 0.99)),
    without_broadcast_p50: round(quantile(without, 0.5)),
    broadcast_sent_while_chatting: sentDuring,
    broadcast_still_queued: left,
    bulk_rate_while_chatting: round(sentDuring / chatSeconds / 2 / replyCeiling),
    refused: fake.arrivals.filter((a) => a.outcome !== "accepted").length,
  });
  await fake.close();
}

/** utime + stime of a process in seconds, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  return cpuSecondsOf(`/proc/${pid}/stat`);
}

function whatsappWebhook(chat: string, text: string, id: string): string {
  return metaJson(
    whatsappWebhookBody(
      {
        contacts: [whatsappContact(chat)],
        messages: [whatsappTextMessage(chat, text, id, String(Math.floor(Date.now() / 1000)))],
      },
      phoneNumberId,
    ),
  );
}

/** `count` real processes on a fresh Postgres schema take WhatsApp webhooks; messages a second and CPU. */
async function inbound(count: number): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? "";
  const schema = uniqueSchema();
  const fake = await startCeilingPlatform({ perSecond: { telegram: 1000, whatsapp: 1000 }, perChatIntervalMs: 0 });
  const cluster = await startLotseProcesses(count, {
    ...lotseEnv(fake, 1000),
    TELEGRAM_BOT_TOKEN: "",
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: process.env.REDIS_URL ?? "",
  });
  const app = await createApp({ databaseUrl, pgSchema: schema, sqlitePath: ":memory:" });
  try {
    const ports = cluster.processes.map((p) => p.port);
    const pids = cluster.processes.map((p) => p.child.pid as number);
    const cpuBefore = pids.map(cpuSeconds);
    const started = Date.now();
    let posted = 0;
    await Promise.all(
      Array.from({ length: inboundPeople }, async (_, p) => {
        const chat = String(4_919_000_000_000 + p);
        for (const [i, text] of script.entries()) {
          const raw = whatsappWebhook(chat, text, `wamid.B${count}-${p}-${i}`);
          const res = await fetch(`http://127.0.0.1:${ports[(p + i) % ports.length]}/webhooks/whatsapp`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-hub-signature-256": signature(raw, appSecret) },
            body: raw,
          });
          if (!res.ok) throw new Error(`webhook answered ${res.status}`);
          posted += 1;
        }
      }),
    );
    const inboundSeconds = (Date.now() - started) / 1000;
    // Lotse's work for a message includes sending its replies: CPU is counted until the outbox is empty.
    const waiting = () =>
      sql<{ n: number }>`select count(*) as n from outbox where status in ('queued', 'sending')`.execute(app.store.db);
    while (Number((await waiting()).rows[0]?.n ?? 0) > 0) await sleep(200);
    const cpu = pids.map((pid, i) => cpuSeconds(pid) - (cpuBefore[i] as number)).reduce((a, b) => a + b, 0);
    figure("inbound_messages_per_second", {
      db: "postgres",
      shared: process.env.REDIS_URL ? "redis" : "none",
      processes: count,
      messages: posted,
      replies: fake.accepted().length,
      value: round(posted / inboundSeconds, 1),
      lotse_cpu_seconds: round(cpu, 2),
      messages_per_cpu_second: round(posted / cpu, 1),
    });
  } finally {
    await cluster.stop();
    await app.close();
    await fake.close();
    await dropSchema(schema);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lotse-delivery-"));
  const only = process.env.BENCH_ONLY?.split(",");
  const wanted = (name: string) => !only || only.includes(name);
  try {
    const sqlite = () => createApp({ sqlitePath: join(dir, `delivery-${Date.now()}.db`) });
    if (wanted("send")) await withApp(await sqlite(), (app) => sendRate(app, "sqlite", undefined));
    if (wanted("reply")) await withApp(await sqlite(), (app) => replyLatency(app, "sqlite", undefined));
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) return;
    const redis = process.env.REDIS_URL
      ? await connectRedis({ url: process.env.REDIS_URL, logger: silentLogger })
      : undefined;
    try {
      const postgres = async () => {
        const schema = uniqueSchema();
        const app = await createApp({ databaseUrl, pgSchema: schema, sqlitePath: ":memory:" });
        const close = async () => {
          await app.close();
          await dropSchema(schema);
        };
        return { ...app, close };
      };
      if (wanted("send")) await withApp(await postgres(), (app) => sendRate(app, "postgres", redis));
      if (wanted("reply")) await withApp(await postgres(), (app) => replyLatency(app, "postgres", redis));
    } finally {
      await redis?.close();
    }
    if (wanted("inbound")) for (const count of [1, 2, 4]) await inbound(count);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withApp(app: App, run: (app: App) => Promise<void>): Promise<void> {
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

await main();
