import { describe, expect, it } from "vitest";
import { keyvCallbackIds } from "../../src/channels/telegram/callback-ids.ts";
import { renderForTelegram } from "../../src/channels/telegram/render.ts";

const ids = keyvCallbackIds();
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

describe("rendering for Telegram", () => {
  it("shows a list row's short description in its button, and pages long lists by 10", async () => {
    const choices = Array.from({ length: 12 }, (_, i) => ({
      id: `svc.s${i}`,
      label: `Place ${i}`,
      description: `${i + 1}00 m`,
    }));
    const [first] = await renderForTelegram(
      "42",
      { kind: "list", text: "Nearest", choices, listButton: "Choose", moreLabel: "More…" },
      ids,
    );
    const buttons = ((first?.payload.reply_markup ?? { inline_keyboard: [] }) as Keyboard).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual([
      ...Array.from({ length: 9 }, (_, i) => `Place ${i} · ${i + 1}00 m`),
      "More…",
    ]);
    expect(buttons.at(-1)?.callback_data).toBe("more.1");
  });

  it("sends a choice id over 64 bytes as a token that decodes back", async () => {
    const long = `svc.${"x".repeat(80)}`;
    const [call] = await renderForTelegram(
      "42",
      { kind: "choices", text: "Pick", choices: [{ id: long, label: "One" }], listButton: "", moreLabel: "" },
      ids,
    );
    const data =
      ((call?.payload.reply_markup ?? { inline_keyboard: [] }) as Keyboard).inline_keyboard[0]?.[0]?.callback_data ??
      "";
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(await ids.decode(data)).toBe(long);
  });

  it("splits a long text at paragraphs into several messages", async () => {
    const text = `${"a".repeat(4000)}\n\n${"b".repeat(100)}`;
    const calls = await renderForTelegram("42", { kind: "text", text }, ids);
    expect(calls.map((c) => String(c.payload.text).length)).toEqual([4000, 100]);
  });

  it("asks for a location with a one-time keyboard button", async () => {
    const [call] = await renderForTelegram(
      "42",
      { kind: "location_request", text: "Where are you?", button: "📍 Share" },
      ids,
    );
    expect(call?.payload.reply_markup).toEqual({
      keyboard: [[{ text: "📍 Share", request_location: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    });
  });
});
