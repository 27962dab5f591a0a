/**
 * Parsing the captured WhatsApp webhook samples beside the adapter.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isWhatsAppWebhook, parseWebhook } from "../../src/channels/whatsapp/parse.ts";

const dir = "src/channels/whatsapp/samples";
const parse = (name: string) => {
  const body = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as unknown;
  if (!isWhatsAppWebhook(body)) throw new Error(`${name} is not a webhook`);
  return parseWebhook(body, new Date("2026-03-02T09:00:00Z"));
};

describe("WhatsApp webhooks", () => {
  it.each([
    [
      "text",
      {
        kind: "text",
        text: "hi",
        address: "whatsapp:4915112345678",
        id: "whatsapp:wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDNzE3RjI0",
      },
    ],
    ["interactive-button-reply", { kind: "choice", choiceId: "lang.ar" }],
    ["interactive-list-reply", { kind: "choice", choiceId: "city.leipzig" }],
    ["template-quick-reply", { kind: "choice", choiceId: "nudge.lesson" }],
    ["location", { kind: "location", latitude: 55.704712, longitude: 13.191002 }],
    ["image", { kind: "media", mediaKind: "image", caption: "my letter" }],
    ["audio-voice", { kind: "media", mediaKind: "audio" }],
    ["document", { kind: "media", mediaKind: "document", caption: "certificate" }],
    ["contacts", { kind: "media", mediaKind: "contact" }],
    ["unsupported", { kind: "unsupported", what: "unsupported" }],
  ])("%s", (name, expected) => {
    const { messages } = parse(name);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject(expected);
  });

  it("answers nothing to a reaction", () => {
    expect(parse("reaction")).toMatchObject({ messages: [], ignored: ["reaction"] });
  });

  it("reads every message of every entry in one webhook", () => {
    const { messages } = parse("multi-message");
    expect(messages.map((m) => [m.address, m.kind === "text" ? m.text : ""])).toEqual([
      ["whatsapp:4915112345678", "hello"],
      ["whatsapp:4917612345678", "مرحبا"],
      ["whatsapp:4915112345678", "menu"],
    ]);
  });

  it("reads a batch of statuses, with the error code of a failure", () => {
    expect(parse("statuses").statuses).toEqual([
      { messageId: "wamid.OUT1", status: "sent", recipient: "whatsapp:4915112345678" },
      { messageId: "wamid.OUT1", status: "delivered", recipient: "whatsapp:4915112345678" },
      { messageId: "wamid.OUT1", status: "read", recipient: "whatsapp:4915112345678" },
      {
        messageId: "wamid.OUT2",
        status: "failed",
        recipient: "whatsapp:4915112345678",
        errorCode: 131047,
        errorTitle: "Re-engagement message",
      },
    ]);
  });

  it("regression: a message without `from` became `whatsapp:undefined`; a BSUID-only one is unreachable, one without any id malformed", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          changes: [
            {
              field: "messages",
              value: {
                contacts: [{ profile: { name: "Amal", username: "@amal" }, user_id: "US.13491208655302741918" }],
                messages: [
                  { from_user_id: "US.13491208655302741918", id: "wamid.A", type: "text", text: { body: "hi" } },
                  { id: "wamid.B", type: "text", text: { body: "hi" } },
                  { from: "4915112345678", id: "wamid.C", type: "text", text: { body: "hi" } },
                ],
              },
            },
          ],
        },
      ],
    };
    if (!isWhatsAppWebhook(body)) throw new Error("not a webhook");
    const parsed = parseWebhook(body, new Date());
    expect(parsed.messages.map((m) => m.address)).toEqual(["whatsapp:4915112345678"]);
    expect(parsed.unreachable).toEqual(["wamid.A"]);
    expect(parsed.malformed).toEqual(["message 1: from missing"]);
  });

  it("keeps the valid messages of a batch when others are malformed, and never throws", () => {
    const good = { from: "4915112345678", id: "wamid.OK", type: "text", text: { body: "hi" } };
    const bad = [null, 5, "x", { from: "not digits", id: "w", type: "text" }, { from: "4915112345678", type: "text" }];
    const body = {
      object: "whatsapp_business_account",
      entry: [null, { changes: [{ field: "messages", value: { messages: [...bad, good], statuses: [7] } }] }],
    };
    if (!isWhatsAppWebhook(body)) throw new Error("not a webhook");
    const parsed = parseWebhook(body, new Date());
    expect(parsed.messages.map((m) => m.id)).toEqual(["whatsapp:wamid.OK"]);
    expect(parsed.malformed).toHaveLength(bad.length + 1);
  });

  it("has a test for every sample", () => {
    expect(readdirSync(dir).filter((f) => f.endsWith(".json"))).toHaveLength(13);
  });
});
