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
});
