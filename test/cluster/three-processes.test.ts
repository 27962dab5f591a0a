/**
 * Issue 14, "Done when": three real Lotse processes on this machine's
 * Postgres and Redis, against a fake of both platforms that enforces a
 * ceiling of 1,000 sends a second each and 1 a second per chat. A broadcast
 * to 20,000 people (half Telegram, half WhatsApp) goes out while 300 new
 * people onboard through the webhooks, posted round robin to all three
 * processes. Checked, by order and count, never by time:
 * - every recipient got exactly one copy (a second only after a send the fake
 *   took but never answered, which Lotse timed out and sent again);
 * - no second of sends Lotse made exceeds a ceiling (none refused for it);
 * - each person's messages arrived in the order their outbox rows were made (per lane);
 * - between the moment a reply could go (its insert, or a second after the
 *   person's previous reply, the platform's per-chat rate) and its arrival,
 *   at most the bulk share of a second's ceiling in broadcast messages went
 *   out on that channel.
 * Needs DATABASE_URL and REDIS_URL (CI sets both).
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { broadcastCounts, createBroadcast } from "../../src/broadcasts/broadcasts.ts";
import { dropSchema } from "../support/app.ts";
import {
  type Arrival,
  type CeilingPlatform,
  maxInOneSecond,
  startCeilingPlatform,
} from "../support/ceiling-platform.ts";
import {
  metaJson,
  signature,
  whatsappContact,
  whatsappTextMessage,
  whatsappWebhookBody,
} from "../support/fake-graph.ts";
import { type LotseCluster, startLotseProcesses } from "../support/lotse-processes.ts";

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const ready = Boolean(databaseUrl && redisUrl);
if (!ready) console.log("three-processes.test.ts: skipped (needs DATABASE_URL and REDIS_URL)");

const ceiling = 1000;
/** Telegram's and WhatsApp's least interval between two messages to one person, which the fake enforces. */
const perChatIntervalMs = 1000;
const bulkShare = 0.98;
/** Arrival and created_at are epoch ms of one machine's clock: a message on either edge of a millisecond. */
const clockSlack = 2;
const recipients = 20_000;
const chatters = 300;
/** Onboarding as test/transcripts/onboarding-en.yaml, then the menu. */
const script = ["hi", "English", "leipzig", "yes", "2", "menu"];
/** One in 4,000 broadcast sends is taken by the fake and never answered: Lotse times out and sends again. */
const hangShare = 1 / 4_000;

const run = randomBytes(3).toString("hex");
const schema = `t3_${run}`;
const marker = `[bc-${run}]`;
const botId = 700_000 + Math.floor(Math.random() * 99_999);
const token = `${botId}:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789`;
const webhookSecret = `secret_${run}`;
const appSecret = "ceiling-app-secret-0123456789";
const phoneNumberId = "106540352242922";

/** Broadcast recipients: even i on Telegram, odd i on WhatsApp; chatters use other number ranges. */
const telegramRecipient = (i: number) => String(5_000_000_000 + i);
const whatsappRecipient = (i: number) => String(4_915_000_000_000 + i);
const telegramChatter = (i: number) => String(6_000_000_000 + i);
const whatsappChatter = (i: number) => String(4_917_000_000_000 + i);

describe.runIf(ready)("three processes on Postgres and Redis (issue 14, done when)", () => {
  let fake: CeilingPlatform;
  let cluster: LotseCluster | undefined;
  let app: App | undefined;
  let ports: number[] = [];

  beforeAll(async () => {
    fake = await startCeilingPlatform({
      perSecond: { telegram: ceiling, whatsapp: ceiling },
      perChatIntervalMs,
      markers: { broadcast: marker },
      latencyMs: () => 2 + Math.random() * 10,
      hang: { share: hangShare, purposes: ["broadcast"] },
    });
    fakeLog = fake.arrivals;
    cluster = await startLotseProcesses(3, (_, all) => ({
      DATABASE_URL: databaseUrl ?? "",
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl ?? "",
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_WEBHOOK_SECRET: webhookSecret,
      TELEGRAM_RATE: String(ceiling),
      // Every process is told the same public address, the first's: only the leader registers the webhook.
      PUBLIC_URL: `http://127.0.0.1:${all[0]}`,
      WHATSAPP_TOKEN: "EAAG-ceiling-token-0123456789",
      WHATSAPP_PHONE_NUMBER_ID: phoneNumberId,
      WHATSAPP_APP_SECRET: appSecret,
      WHATSAPP_VERIFY_TOKEN: "verify-me-please",
      WHATSAPP_API_URL: fake.url,
      WHATSAPP_RATE: String(ceiling),
      BULK_SHARE: String(bulkShare),
      WEB_CHAT: "off",
      LOG_LEVEL: "warn",
    }));
    ports = cluster.processes.map((p) => p.port);
    app = await createApp({ databaseUrl, pgSchema: schema, sqlitePath: ":memory:" });
  }, 120_000);

  afterAll(async () => {
    // What the processes logged (warnings and errors), to diagnose a failure.
    for (const p of cluster?.processes ?? []) {
      if (p.output.length > 0) console.log(`lotse on ${p.port}:\n${p.output.slice(-60).join("\n")}`);
    }
    await cluster?.stop();
    await app?.close();
    await fake?.close();
    if (ready) await dropSchema(schema);
  }, 60_000);

  it("sends a 20,000 broadcast within the ceilings while 300 people chat, replies first and in order", async () => {
    if (!app || !cluster) throw new Error("not started");
    const db = app.store.db;
    // The processes migrated the schema at start; the people are seeded by the database itself.
    const at = new Date().toISOString();
    await sql`with n(i) as (select generate_series(1, ${sql.lit(recipients)}))
      insert into users (address, language, city, time_zone, consent, status, created_at, updated_at, last_inbound_at)
      select case when i % 2 = 0 then 'telegram:' || (5000000000 + i) else 'whatsapp:' || (4915000000000 + i) end,
        case i % 4 when 0 then 'de' when 1 then 'ar' when 2 then null else 'en' end,
        'leipzig', 'Europe/Berlin', 'given', 'active', ${at}, ${at}, ${at}
      from n`.execute(db);
    await sql`insert into news_subscriptions (address, created_at) select address, ${at} from users`.execute(db);

    // Everybody chats while the broadcast is fanned out and sent.
    const chatting = Promise.all(Array.from({ length: chatters }, (_, i) => chat(i)));
    // Awaited below; a failure before that is not "unhandled".
    chatting.catch(() => undefined);
    const now = new Date();
    const id = await app.store.transaction((tx) =>
      createBroadcast(
        tx,
        (app as App).scheduler,
        {
          text: { en: `${marker} The library has free Wi-Fi now.`, de: `${marker} Die Bibliothek hat jetzt WLAN.` },
          audience: { kind: "news" },
          sendAt: now,
          createdBy: "test",
        },
        now,
      ),
    );
    await app.scheduler.runDue(now);
    await chatting;
    let counts = await broadcastCounts(app.store.reader, id);
    for (let i = 0; i < 600 && (counts?.queued ?? 1) > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      counts = await broadcastCounts(app.store.reader, id);
    }
    expect(counts).toMatchObject({ recipients, queued: 0, sent: recipients, failed: 0 });
    const stillQueued = await db
      .selectFrom("outbox")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "in", ["queued", "sending"])
      .executeTakeFirstOrThrow();
    expect(Number(stillQueued.n)).toBe(0);

    // Only the leader registered the webhook, at the first process's address.
    expect(fake.calls.filter((c) => c.method === "setWebhook").map((c) => c.params.url)).toEqual([
      `http://127.0.0.1:${ports[0]}/webhooks/telegram`,
    ]);

    // Every recipient exactly one copy, or more only after sends the fake took and never answered.
    const copies = new Map<string, Arrival[]>();
    for (const a of fake.accepted().filter((x) => x.purpose === "broadcast")) {
      const key = `${a.platform}:${a.chat}`;
      copies.set(key, [...(copies.get(key) ?? []), a]);
    }
    const expected = Array.from({ length: recipients }, (_, k) =>
      (k + 1) % 2 === 0 ? `telegram:${telegramRecipient(k + 1)}` : `whatsapp:${whatsappRecipient(k + 1)}`,
    );
    const wrong: string[] = [];
    const resentAfterHang: string[] = [];
    for (const address of expected) {
      const got = copies.get(address) ?? [];
      // Each extra copy must follow a send the fake took and never answered (hung twice: three copies).
      const last = got.at(-1);
      if (got.length > 1 && last?.outcome === "accepted" && got.slice(0, -1).every((g) => g.outcome === "hung"))
        resentAfterHang.push(address);
      else if (got.length !== 1 || got[0]?.outcome !== "accepted")
        wrong.push(`${address}: ${got.map((g) => g.outcome)}`);
    }
    console.log(`three-processes: ${resentAfterHang.length} recipients got a second copy after a hung send`);
    expect(wrong).toEqual([]);
    expect(copies.size).toBe(recipients);

    // No second of what Lotse sent exceeds a ceiling: the fake refused nothing for it.
    for (const platform of ["telegram", "whatsapp"] as const) {
      expect(maxInOneSecond(fake.accepted(platform).map((a) => a.at))).toBeLessThanOrEqual(ceiling);
    }
    const refused = fake.arrivals.filter((a) => a.outcome === "ceiling" || a.outcome === "chat");
    console.log(
      `three-processes: refused ${refused.filter((a) => a.outcome === "ceiling").length} for the ceiling, ` +
        `${refused.filter((a) => a.outcome === "chat").length} for the per-chat rate`,
    );
    expect(refused.filter((a) => a.outcome === "ceiling")).toEqual([]);

    // Replies: in outbox order per person, and never behind more than the bulk share of a second's ceiling.
    const rows = await db
      .selectFrom("outbox")
      .select(["id", "address", "lane", "created_at", "platform_id", "status"])
      .where("broadcast_id", "is", null)
      .orderBy("id")
      .execute();
    const arrivalById = new Map(fake.accepted().map((a, index) => [a.platformId, { ...a, index }]));
    const bulkTimes = {
      telegram: fake
        .accepted("telegram")
        .filter((a) => a.purpose === "broadcast")
        .map((a) => a.at),
      whatsapp: fake
        .accepted("whatsapp")
        .filter((a) => a.purpose === "broadcast")
        .map((a) => a.at),
    };
    /** When each person's replies queued so far (lane 0, lower ids) arrived, the latest. */
    const lastReplyAt = new Map<string, number>();
    const outOfOrder: string[] = [];
    const behindBulk: string[] = [];
    // Replies the platform itself refused for its per-person rate and had retried later: that wait is the
    // platform's, not a broadcast's, and is counted apart.
    const waitedForPlatform: string[] = [];
    const lastIndex = new Map<string, number>();
    let duringBroadcast = 0;
    for (const row of rows) {
      const arrival = arrivalById.get(row.platform_id ?? "");
      if (row.status !== "sent" || !arrival) {
        outOfOrder.push(`${row.address} #${row.id}: ${row.status}, ${row.platform_id} not in the fake's log`);
        continue;
      }
      // Order is kept per chat within a lane (a reply may overtake a nudge queued before it).
      const queue = `${row.address} lane ${row.lane}`;
      if (arrival.index < (lastIndex.get(queue) ?? -1)) outOfOrder.push(`${queue} #${row.id}`);
      lastIndex.set(queue, arrival.index);
      if (row.lane !== 0) continue;
      const inserted = Date.parse(row.created_at);
      // A reply cannot go before a second has passed since the person's reply queued before it (the
      // platform's rate, which Lotse keeps): the broadcast is to blame only for the wait after that.
      // Only replies count: a broadcast message to the person that went first is exactly what must not be excused.
      const previous = lastReplyAt.get(row.address) ?? Number.NEGATIVE_INFINITY;
      lastReplyAt.set(row.address, Math.max(previous, arrival.at));
      const sendable = Math.max(inserted, previous + perChatIntervalMs);
      const bulk = countBetween(bulkTimes[arrival.platform], sendable, arrival.at);
      if (countBetween(bulkTimes[arrival.platform], inserted, arrival.at) > 0) duringBroadcast += 1;
      if (bulk <= bulkShare * ceiling + clockSlack) continue;
      const line = `${row.address} #${row.id}: ${bulk} broadcast messages in ${arrival.at - sendable} ms`;
      const refusedBefore = fake.arrivals.some(
        (a) =>
          a.outcome === "chat" && `${a.platform}:${a.chat}` === row.address && a.at >= inserted && a.at <= arrival.at,
      );
      if (refusedBefore) waitedForPlatform.push(line);
      else behindBulk.push(`${line}; ${chatStory(row.address, inserted)}`);
    }
    /** What else went to that person around a slow reply, in ms from its insert: why it waited. */
    function chatStory(address: string, inserted: number): string {
      const own = rows
        .filter((r) => r.address === address)
        .map((r) => {
          const a = arrivalById.get(r.platform_id ?? "");
          return `#${r.id} lane ${r.lane} made ${Date.parse(r.created_at) - inserted} sent ${a ? a.at - inserted : "?"}`;
        });
      const sends = fake.arrivals
        .filter((a) => `${a.platform}:${a.chat}` === address)
        .map((a) => `${a.outcome}@${a.at - inserted}`);
      return `rows [${own.join(", ")}] sends [${sends.join(" ")}]`;
    }
    console.log(
      `three-processes: ${rows.length} replies, ${duringBroadcast} sent while the broadcast went out; ` +
        `${behindBulk.length} behind more than ${bulkShare * ceiling + clockSlack} broadcast messages, ` +
        `${waitedForPlatform.length} more after the platform refused them for its per-person rate`,
    );
    expect(outOfOrder).toEqual([]);
    // Replies before consent ("hi", the language, the city) are deleted once delivered, as the consent text
    // promises; each person waited for an answer to every message (chat() above), so at least one row is
    // left for each message from the consent on.
    expect(rows.length).toBeGreaterThanOrEqual(chatters * (script.length - script.indexOf("yes")));
    // The check below means something only if people chatted while the broadcast went out.
    expect(duringBroadcast).toBeGreaterThan(chatters);
    expect(behindBulk).toEqual([]);
    // Platform refusals per person are rare: Lotse keeps one send a second per chat across processes.
    expect(waitedForPlatform.length).toBeLessThanOrEqual(rows.length / 100);
  }, 240_000);

  /** One person onboarding: each message after the bot's answer to the one before arrived. */
  async function chat(i: number): Promise<void> {
    const telegram = i % 2 === 0;
    const platform = telegram ? "telegram" : "whatsapp";
    const chat = telegram ? telegramChatter(i) : whatsappChatter(i);
    for (const [step, text] of script.entries()) {
      const before = fake.acceptedTo(platform, chat).length;
      const port = ports[(i + step) % ports.length] as number;
      const res = telegram
        ? await postTelegram(port, chat, text, i * 100 + step)
        : await postWhatsApp(port, chat, text);
      if (!res.ok) throw new Error(`webhook ${platform} on ${port} answered ${res.status} to ${chat}`);
      // A guard against a hang, not a timed assertion: a reply that never comes fails the test.
      const waited = await Promise.race([
        fake.waitForAccepted(platform, chat, before + 1).then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 60_000)),
      ]);
      if (!waited) {
        const rows = await (app as App).store.db
          .selectFrom("outbox")
          .select(["id", "status", "attempts", "error", "not_before", "lane"])
          .where("address", "=", `${platform}:${chat}`)
          .execute();
        const sends = fake.arrivals.filter((a) => a.chat === chat).map((a) => `${a.at} ${a.outcome}`);
        throw new Error(
          `no reply to ${platform}:${chat} after "${text}": ${JSON.stringify({ rows, sends, timeline: timeline() })}`,
        );
      }
    }
  }
});

/** The fake's log by 2-second bucket, platform, purpose and outcome: what went on when something stalled. */
function timeline(): Record<string, number> {
  const buckets: Record<string, number> = {};
  const first = fakeLog[0]?.at ?? 0;
  for (const a of fakeLog) {
    const key = `${Math.floor((a.at - first) / 2000) * 2}s ${a.platform} ${a.purpose} ${a.outcome}`;
    buckets[key] = (buckets[key] ?? 0) + 1;
  }
  return buckets;
}
let fakeLog: Arrival[] = [];

/** Entries of sorted-or-not `times` in `(from, to]`. */
function countBetween(times: number[], from: number, to: number): number {
  let n = 0;
  for (const t of times) if (t > from && t <= to) n += 1;
  return n;
}

let updateId = 500_000_000;
let wamid = 0;

function postTelegram(port: number, chat: string, text: string, messageId: number): Promise<Response> {
  const person = { id: Number(chat), is_bot: false, first_name: "Amal", language_code: "en" };
  const update = {
    update_id: ++updateId,
    message: {
      message_id: messageId,
      from: person,
      chat: { ...person, type: "private" },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  };
  return fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": webhookSecret },
    body: JSON.stringify(update),
  });
}

function postWhatsApp(port: number, chat: string, text: string): Promise<Response> {
  const raw = metaJson(
    whatsappWebhookBody(
      {
        contacts: [whatsappContact(chat)],
        messages: [whatsappTextMessage(chat, text, `wamid.IN${run}${++wamid}`, String(Math.floor(Date.now() / 1000)))],
      },
      phoneNumberId,
    ),
  );
  return fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature(raw, appSecret) },
    body: raw,
  });
}
