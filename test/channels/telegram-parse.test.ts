/**
 * Parsing the captured Telegram update samples beside the adapter.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { parseUpdate } from "../../src/channels/telegram/parse.ts";

const dir = "src/channels/telegram/samples";
const sample = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as Update;
const at = new Date("2026-03-02T09:00:00Z");

describe("Telegram updates", () => {
  it.each([
    [
      "message-text",
      {
        kind: "inbound",
        inbound: { kind: "text", text: "hi", address: "telegram:5123456789", id: "telegram:update:800000001" },
      },
    ],
    ["message-start", { kind: "inbound", inbound: { kind: "text", text: "/start" } }],
    [
      "message-start-deeplink",
      {
        kind: "inbound",
        inbound: { kind: "text", text: "/start lesson_strong-passwords", address: "telegram:5123456790" },
      },
    ],
    [
      "callback-query",
      { kind: "inbound", callbackQueryId: "4382bfdwdsb323b2d9", inbound: { kind: "choice", choiceId: "lang.ar" } },
    ],
    ["message-location", { kind: "inbound", inbound: { kind: "location", latitude: 55.704712, longitude: 13.191002 } }],
    ["message-contact", { kind: "inbound", inbound: { kind: "media", mediaKind: "contact" } }],
    ["message-photo", { kind: "inbound", inbound: { kind: "media", mediaKind: "image", caption: "my letter" } }],
    ["message-voice", { kind: "inbound", inbound: { kind: "media", mediaKind: "audio" } }],
    ["message-document", { kind: "inbound", inbound: { kind: "media", mediaKind: "document" } }],
    ["message-sticker", { kind: "inbound", inbound: { kind: "media", mediaKind: "sticker" } }],
    ["edited-message", { kind: "inbound", inbound: { kind: "text", text: "hello" } }],
    ["my-chat-member-kicked", { kind: "blocked", address: "telegram:5123456789" }],
    ["my-chat-member-member", { kind: "unblocked", address: "telegram:5123456789" }],
    ["message-poll", { kind: "inbound", inbound: { kind: "unsupported", what: "poll" } }],
    ["inline-query", { kind: "ignored" }],
  ])("%s", (name, expected) => {
    expect(parseUpdate(sample(name), at)).toMatchObject(expected);
  });

  it("has a test for every sample", () => {
    expect(readdirSync(dir).filter((f) => f.endsWith(".json"))).toHaveLength(15);
  });

  it("ignores groups, and updates it does not know", () => {
    const group = {
      update_id: 1,
      message: { message_id: 1, date: 0, chat: { id: -100123, type: "supergroup", title: "x" }, text: "hi" },
    } as unknown as Update;
    expect(parseUpdate(group, at)).toMatchObject({ kind: "ignored" });
    expect(parseUpdate({ update_id: 2, chat_boost: {} } as unknown as Update, at)).toMatchObject({ kind: "ignored" });
  });

  it("regression: a chat id missing, null, fractional or beyond 2^53 became `telegram:undefined` or `telegram:null`; now the update is malformed", () => {
    const base = sample("message-text") as unknown as { message: { chat: Record<string, unknown> } };
    for (const id of [undefined, null, 1.5, 2 ** 60, "5123456789", 0]) {
      const update = structuredClone(base);
      if (id === undefined) delete update.message.chat.id;
      else update.message.chat.id = id;
      expect(parseUpdate(update as unknown as Update, at)).toMatchObject({ kind: "ignored", malformed: true });
    }
    const press = sample("callback-query") as unknown as { callback_query: { message: { chat: { id?: number } } } };
    delete press.callback_query.message.chat.id;
    expect(parseUpdate(press as unknown as Update, at)).toMatchObject({ kind: "ignored", malformed: true });
  });

  it("never throws, whatever the update holds", () => {
    for (const message of [
      null,
      "text",
      7,
      [],
      { chat: "x" },
      { chat: { id: 1 } },
      { chat: { id: 1, type: "private" }, text: 5 },
    ]) {
      expect(parseUpdate({ update_id: 1, message } as unknown as Update, at)).toMatchObject({ kind: "ignored" });
    }
    expect(parseUpdate({ update_id: -1 } as unknown as Update, at)).toMatchObject({ malformed: true });
  });
});
