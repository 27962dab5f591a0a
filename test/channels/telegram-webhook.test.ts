/**
 * End to end on Telegram: the HTTP server in webhook mode against a local
 * fake Bot API, checking the exact API calls (method and parameters) for a
 * full onboarding and a lesson, the webhook's secret, bad payloads, blocking,
 * 429 and deep links.
 */
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramChannel, type TelegramChannel } from "../../src/channels/telegram/channel.ts";
import type { Address } from "../../src/domain/address.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { silentLogger } from "../../src/log.ts";
import { OutboxSender } from "../../src/outbox/sender.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { type FakeTelegram, startFakeTelegram, type TelegramApiCall } from "../support/fake-telegram.ts";

const secret = "test_secret-123";
const chatId = 5123456789;
let updateId = 900_000_000;

const user = { id: chatId, is_bot: false, first_name: "Amal", language_code: "ar" };
const chat = { id: chatId, first_name: "Amal", type: "private" };
const text = (body: string, who = chat) => ({
  update_id: ++updateId,
  message: { message_id: updateId, from: user, chat: who, date: 1772442000, text: body },
});
const press = (data: string) => ({
  update_id: ++updateId,
  callback_query: {
    id: `cb${updateId}`,
    from: user,
    chat_instance: "-1",
    data,
    message: { message_id: 1, chat, date: 1772442000, text: "..." },
  },
});

/** A call as the test reads it: method, the first line of text, and the button data. */
function brief(call: TelegramApiCall): [string, string, string[]] {
  const firstLine = String(call.params.text ?? call.params.callback_query_id ?? "").split("\n")[0] ?? "";
  const keyboard = (call.params.reply_markup as { inline_keyboard?: { callback_data: string }[][] } | undefined)
    ?.inline_keyboard;
  return [call.method, firstLine, keyboard ? keyboard.flat().map((b) => b.callback_data) : []];
}

describe("Telegram in webhook mode", () => {
  let fake: FakeTelegram;
  let app: TestApp;
  let channel: TelegramChannel;
  let server: ServerType;
  let base: string;
  let sender: OutboxSender;

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
    const http = createHttpApp(app, { webChat: false, channelRoutes: channel.routes ? [channel.routes] : [] });
    server = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
  });
  afterEach(async () => {
    server.close();
    await app.dispose();
    await fake.close();
  });

  const post = (body: unknown, headers: Record<string, string> = { "x-telegram-bot-api-secret-token": secret }) =>
    fetch(`${base}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  /** Posts an update, lets the outbox deliver, and returns the API calls it caused. */
  async function exchange(update: unknown): Promise<[string, string, string[]][]> {
    const before = fake.calls.length;
    expect((await post(update)).status).toBe(200);
    await sender.drain();
    return fake.calls.slice(before).map(brief);
  }

  it("registers the webhook with its secret and the command menu in every language", () => {
    const setup = fake.calls.filter((c) => c.method === "setWebhook" || c.method === "setMyCommands");
    expect(setup.map((c) => [c.method, c.params.language_code ?? c.params.url])).toEqual([
      ["setMyCommands", undefined],
      ...[
        "en",
        "de",
        "ar",
        "fa",
        "ps",
        "uk",
        "ru",
        "tr",
        "ku",
        "ti",
        "so",
        "fr",
        "bn",
        "ur",
        "sv",
        "it",
        "el",
        "nb",
      ].map((code) => ["setMyCommands", code]),
      ["setWebhook", "https://bot.example.org/webhooks/telegram"],
    ]);
    // Dari serves Telegram's "fa" (it comes first in the picker), Kurmanji serves "ku".
    const fa = fake.calls.find((c) => c.params.language_code === "fa")?.params.commands as { description: string }[];
    expect(fa[1]?.description).toBe(app.translator.t("prs", "telegram.commands.menu"));
    expect(fake.calls.find((c) => c.method === "setWebhook")?.params).toMatchObject({
      secret_token: secret,
      allowed_updates: ["message", "edited_message", "callback_query", "my_chat_member"],
    });
    const arabic = fake.calls.find((c) => c.params.language_code === "ar")?.params.commands as {
      command: string;
      description: string;
    }[];
    expect(arabic.map((c) => c.command)).toEqual(["start", "menu", "help", "language", "mydata", "delete", "stop"]);
    expect(arabic[1]?.description).toBe("القائمة الرئيسية");
  });

  it("runs a full onboarding and a lesson with exactly these API calls", async () => {
    // The sample's app is set to Arabic (language_code "ar"): greeted in Arabic, Arabic offered first and the
    // other languages in Arabic script after it.
    const languages = ["ar", "prs", "ps", "fa", "ur", "en", "de", "uk", "ru", "tr", "kmr", "ti", "so", "fr", "bn"];
    expect(await exchange(text("/start"))).toEqual([
      [
        "sendMessage",
        "\u200Fمرحبًا! أنا لوتسه (\u2068Lotse\u2069)، أساعد الأشخاص الجدد في بلد ما. يديرني فريق غير ربحي.",
        [...languages, "sv", "it", "el", "nb"].map((code) => `lang.${code}`),
      ],
    ]);
    expect(await exchange(press("lang.en"))).toEqual([
      ["answerCallbackQuery", `cb${updateId}`, []],
      [
        "sendMessage",
        "Where do you live?",
        [
          "city.mainz",
          "city.leipzig",
          "city.lund",
          "city.palermo",
          "city.trikala",
          "city.aydin",
          "city.sandefjord",
          "city.other",
        ],
      ],
    ]);
    expect((await exchange(press("city.leipzig")))[1]?.[2]).toEqual(["consent.yes", "consent.no", "consent.more"]);
    expect(await exchange(press("consent.yes"))).toEqual([
      ["answerCallbackQuery", `cb${updateId}`, []],
      [
        "sendMessage",
        "Do you want news from the team, for example about new meetings? You can change this in the settings.",
        ["news.yes", "news.no"],
      ],
    ]);
    expect(await exchange(press("news.no"))).toEqual([
      ["answerCallbackQuery", `cb${updateId}`, []],
      ["sendMessage", 'Thank you, you are all set! You can write "menu" at any time.', []],
      [
        "sendMessage",
        "New here? Choose “🧭 Which course for me?”: a 2-minute check that finds the best course for you.",
        [
          "go.placement",
          "go.lessons",
          "go.progress",
          "go.meetings",
          "go.services",
          "go.return",
          "go.settings",
          "go.privacy",
        ],
      ],
    ]);
    const courses = await exchange(press("go.lessons"));
    expect(courses[1]?.[1]).toBe("Courses. Pick one to see its lessons.");
    expect(courses[1]?.[2]).toContain("course.safe-online");
    expect((await exchange(press("course.safe-online")))[1]?.[2]).toEqual([
      "lesson.strong-passwords",
      "lesson.two-step-login",
      "lesson.scam-messages",
      "lesson.phone-updates",
      "nav.courses",
    ]);
    expect(await exchange(press("lesson.strong-passwords"))).toEqual([
      ["answerCallbackQuery", `cb${updateId}`, []],
      ["sendMessage", "Strong passwords · 1/5", ["step.next", "step.restart", "nav.lessons"]],
    ]);
    const sent = fake.sent().at(-1);
    expect(sent?.params).toMatchObject({ chat_id: String(chatId) });
    expect(sent?.params).not.toHaveProperty("parse_mode");
  });

  it("refuses a wrong or missing secret with 401 and processes nothing", async () => {
    expect((await post(text("hi"), { "x-telegram-bot-api-secret-token": "wrong" })).status).toBe(401);
    expect((await post(text("hi"), {})).status).toBe(401);
    expect(await app.store.reader.getUser(`telegram:${chatId}` as Address)).toBeUndefined();
  });

  it("acknowledges malformed JSON and non-updates with 200 (Telegram retries anything else), and ignores unknown update types", async () => {
    expect((await post("{ not json")).status).toBe(200);
    expect((await post({ hello: "world" })).status).toBe(200);
    expect(await app.store.db.selectFrom("users").select("address").execute()).toEqual([]);
    expect(
      await exchange({ update_id: ++updateId, inline_query: { id: "1", from: user, query: "x", offset: "" } }),
    ).toEqual([]);
    expect(await exchange({ update_id: ++updateId, chat_boost: { chat, boost: {} } })).toEqual([]);
  });

  it("processes a retried update once", async () => {
    const update = text("/start");
    await exchange(update);
    expect(await exchange(update)).toEqual([]);
  });

  it("marks a person who blocks the bot unreachable, and reachable again when they unblock", async () => {
    await exchange(text("/start"));
    const member = (status: string) => ({
      update_id: ++updateId,
      my_chat_member: {
        chat,
        from: user,
        date: 1,
        old_chat_member: { user, status: "member" },
        new_chat_member: { user, status },
      },
    });
    await exchange(member("kicked"));
    expect(await app.store.reader.getUser(`telegram:${chatId}` as Address)).toMatchObject({ status: "unreachable" });
    await exchange(member("member"));
    expect(await app.store.reader.getUser(`telegram:${chatId}` as Address)).toMatchObject({ status: "active" });
  });

  it("marks the person unreachable when sending answers 403", async () => {
    fake.fail("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user", times: 1 });
    await exchange(text("/start"));
    expect(await app.store.reader.getUser(`telegram:${chatId}` as Address)).toMatchObject({ status: "unreachable" });
  });

  it("waits retry_after on 429 and then delivers", async () => {
    fake.fail("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
      times: 1,
    });
    await exchange(text("/start"));
    expect(fake.sent()).toHaveLength(1);
    app.clock.advance(1_000);
    await sender.drain();
    expect(
      fake
        .sent()
        .map(brief)
        .map((b) => b[0]),
    ).toEqual(["sendMessage", "sendMessage"]);
    // Nothing is left waiting (before consent, delivered replies are not kept at all).
    const waiting = await app.store.db
      .selectFrom("outbox")
      .select("id")
      .where("status", "in", ["queued", "sending"])
      .execute();
    expect(waiting).toEqual([]);
  });

  it("opens a /start deep link after onboarding", async () => {
    await exchange(text("/start lesson_strong-passwords"));
    await exchange(press("lang.en"));
    await exchange(press("city.mainz"));
    await exchange(press("consent.yes"));
    const calls = await exchange(press("news.no"));
    expect(calls.at(-1)?.[1]).toBe("Strong passwords · 1/5");
  });
});
