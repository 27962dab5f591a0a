/**
 * Telegram with several processes: the same webhook secret in all of them,
 * set-up and long polling in the leader only, a 409 from getUpdates retried
 * instead of crashing, callback tokens readable by every process through
 * Redis, the bot token in no log line, and a hanging answerCallbackQuery
 * that no longer holds the webhook.
 */
import { HttpError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { callbackIdStore, keyvCallbackIds } from "../../src/channels/telegram/callback-ids.ts";
import { createTelegramChannel, type TelegramChannel } from "../../src/channels/telegram/channel.ts";
import { redactToken, safeTelegramError } from "../../src/channels/telegram/redact.ts";
import { webhookSecretFor } from "../../src/channels/telegram/webhook-secret.ts";
import { connectRedis, type RedisConnection } from "../../src/cluster/redis.ts";
import type { Address } from "../../src/domain/address.ts";
import { createLogger, silentLogger } from "../../src/log.ts";
import { OutboxSender } from "../../src/outbox/sender.ts";
import { createTestApp, type TestApp, uniqueSchema } from "../support/app.ts";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.ts";

const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const secretHalf = token.split(":")[1] ?? "";

/** Polls a condition a bounded number of times; only the end state is asserted. */
async function eventually(condition: () => boolean | Promise<boolean>, tries = 200, stepMs = 25): Promise<void> {
  for (let i = 0; i < tries && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, stepMs));
  expect(await condition()).toBe(true);
}

const message = (updateId: number, chatId: number, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: 1,
    chat: { id: chatId, type: "private", first_name: "A" },
    from: { id: chatId, is_bot: false, first_name: "A" },
    text,
  },
});

describe("the webhook secret", () => {
  it("is the same in every process without configuration, and is not the token", () => {
    const derived = webhookSecretFor(token);
    expect(webhookSecretFor(token)).toBe(derived);
    expect(derived).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(derived).not.toContain(secretHalf);
    expect(webhookSecretFor("654321:ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210")).not.toBe(derived);
    expect(webhookSecretFor(token, "configured_secret")).toBe("configured_secret");
  });
});

describe("the bot token in errors", () => {
  it("is redacted from grammY's network errors, whose inner error holds the request URL", () => {
    const inner = new Error(`request to http://127.0.0.1:9/bot${token}/getMe failed, reason: connect ECONNREFUSED`);
    const safe = safeTelegramError(new HttpError("Network request for 'getMe' failed!", inner), token);
    expect(safe.code).toBe("channel.network");
    expect(`${safe.message} ${(safe.cause as Error).message}`).toContain("ECONNREFUSED");
    expect(JSON.stringify({ m: safe.message, c: (safe.cause as Error).message })).not.toContain(secretHalf);
    expect(redactToken(`x ${secretHalf} y`, token)).toBe("x <token> y");
  });
});

describe("Telegram on one process", () => {
  let fake: FakeTelegram;
  let app: TestApp;
  let channel: TelegramChannel | undefined;
  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
    await app.dispose();
    await fake.close();
  });

  it("answers a 409 Conflict from getUpdates with a clear log line and polls again (two long pollers: was unhandled)", async () => {
    fake = await startFakeTelegram();
    app = await createTestApp("sqlite");
    const lines: string[] = [];
    fake.fail("getUpdates", {
      error_code: 409,
      description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      times: 2,
    });
    fake.queueUpdates([message(1, 42, "hi")]);
    channel = createTelegramChannel(
      { ...app, logger: createLogger("debug", (l) => lines.push(l)) },
      { token, apiRoot: fake.apiRoot, retryMs: 20 },
    );
    await channel.start();
    const sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
    await eventually(async () => {
      await sender.drain();
      return fake.sent().length > 0;
    });
    expect(fake.sent()[0]?.params).toMatchObject({ chat_id: "42" });
    const conflicts = lines.map((l) => JSON.parse(l)).filter((l) => l.event === "telegram.polling_conflict");
    expect(conflicts.length).toBeGreaterThanOrEqual(1);
    expect(conflicts[0]).toMatchObject({ level: "warn", code: "channel.api" });
    expect(String(conflicts[0]?.error)).toContain("409");
    expect(lines.join("\n")).not.toContain(secretHalf);
  });

  it("keeps trying to register the webhook when the API fails at start, and never logs the token", async () => {
    fake = await startFakeTelegram();
    app = await createTestApp("sqlite");
    const lines: string[] = [];
    fake.fail("setWebhook", { error_code: 502, description: "Bad Gateway", times: 2 });
    channel = createTelegramChannel(
      { ...app, logger: createLogger("debug", (l) => lines.push(l)) },
      { token, apiRoot: fake.apiRoot, publicUrl: "https://bot.example.org", retryMs: 20 },
    );
    await channel.start();
    await eventually(() => lines.some((l) => JSON.parse(l).event === "telegram.webhook_set"));
    expect(fake.calls.filter((c) => c.method === "setWebhook")).toHaveLength(3);
    expect(fake.calls.find((c) => c.method === "setWebhook")?.params.secret_token).toBe(webhookSecretFor(token));
    expect(lines.filter((l) => JSON.parse(l).event === "telegram.setup_failed")).toHaveLength(2);
    expect(lines.join("\n")).not.toContain(secretHalf);
  });

  it("answers the webhook while answerCallbackQuery hangs (it was awaited first: 20 s)", async () => {
    fake = await startFakeTelegram();
    app = await createTestApp("sqlite");
    fake.hang("answerCallbackQuery", 1);
    channel = createTelegramChannel(app, { token, apiRoot: fake.apiRoot, publicUrl: "https://bot.example.org" });
    await channel.start();
    const press = {
      update_id: 7,
      callback_query: {
        id: "cb7",
        from: { id: 42, is_bot: false, first_name: "A" },
        chat_instance: "-1",
        data: "lang.en",
        message: { message_id: 1, chat: { id: 42, type: "private" }, date: 1, text: "..." },
      },
    };
    const response = await channel.routes?.request("/webhooks/telegram", {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": webhookSecretFor(token) },
      body: JSON.stringify(press),
    });
    expect(response?.status).toBe(200);
    expect(await app.store.reader.getUser("telegram:42" as Address)).toBeDefined();
    // It was asked (and is still unanswered): the webhook simply did not wait for it.
    await eventually(() => fake.calls.some((c) => c.method === "answerCallbackQuery"));
  });
});

describe.runIf(process.env.DATABASE_URL)("Telegram on two processes sharing Postgres", () => {
  let fake: FakeTelegram;
  const apps: TestApp[] = [];
  const channels: TelegramChannel[] = [];
  afterEach(async () => {
    for (const c of channels.splice(0)) await c.stop();
    for (const a of apps.splice(0)) await a.dispose();
    await fake.close();
  });

  it("registers the webhook from one process only, the other taking over when it stops; both accept webhooks", async () => {
    fake = await startFakeTelegram();
    const schema = uniqueSchema();
    for (let i = 0; i < 2; i++) {
      const app = await createTestApp("postgres", { schema: i === 0 ? undefined : schema });
      apps.push(app);
      const channel = createTelegramChannel(app, {
        token,
        apiRoot: fake.apiRoot,
        publicUrl: "https://bot.example.org",
        cluster: { databaseUrl: process.env.DATABASE_URL, pgSchema: schema },
        retryMs: 20,
      });
      channels.push(channel);
      await channel.start();
    }
    const setWebhooks = () => fake.calls.filter((c) => c.method === "setWebhook");
    expect(setWebhooks()).toHaveLength(1);
    // The follower keeps trying without registering anything.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(setWebhooks()).toHaveLength(1);
    // Every process expects the secret that was registered (no process made up its own).
    for (const [i, channel] of channels.entries()) {
      const response = await channel.routes?.request("/webhooks/telegram", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-telegram-bot-api-secret-token": String(setWebhooks()[0]?.params.secret_token),
        },
        body: JSON.stringify(message(100 + i, 4200 + i, "/start")),
      });
      expect(response?.status).toBe(200);
    }
    await channels[0]?.stop();
    await eventually(() => setWebhooks().length === 2);
    expect(setWebhooks()[1]?.params.secret_token).toBe(setWebhooks()[0]?.params.secret_token);
  });
});

describe.runIf(process.env.REDIS_URL)("callback tokens shared through Redis (needs REDIS_URL)", () => {
  const connections: RedisConnection[] = [];
  afterEach(async () => {
    for (const c of connections.splice(0)) await c.close();
  });
  const longId = `lesson.${"a-very-long-lesson-identifier-".repeat(3)}`;

  it("lets one process read a button token another process sent (was 'expired': the map lived in memory)", async () => {
    const fake = await startFakeTelegram();
    const app = await createTestApp("sqlite");
    try {
      for (let i = 0; i < 2; i++) {
        connections.push(await connectRedis({ url: process.env.REDIS_URL ?? "", logger: silentLogger }));
      }
      // Process one sends a question whose choice id does not fit in 64 bytes.
      const first = createTelegramChannel(app, { token, apiRoot: fake.apiRoot, redis: connections[0]?.client });
      const result = await first.sender.send("telegram:42" as Address, {
        kind: "choices",
        text: "Pick one",
        choices: [{ id: longId, label: "Lesson" }],
        listButton: "Choose",
        moreLabel: "More",
      });
      expect(result.kind).toBe("sent");
      const keyboard = fake.sent()[0]?.params.reply_markup as { inline_keyboard: { callback_data: string }[][] };
      const data = keyboard.inline_keyboard[0]?.[0]?.callback_data ?? "";
      expect(data).toMatch(/^t:/);
      // Process two, with its own connection, reads it; a process keeping tokens in memory could not.
      expect(await keyvCallbackIds(callbackIdStore(connections[1]?.client)).decode(data)).toBe(longId);
      expect(await keyvCallbackIds(callbackIdStore()).decode(data)).toBeUndefined();
      expect(await connections[1]?.client.exists(`lotse:cb:${data}`)).toBe(1);
      expect(await connections[1]?.client.pTTL(`lotse:cb:${data}`)).toBeGreaterThan(0);
    } finally {
      await app.dispose();
      await fake.close();
    }
  });
});
