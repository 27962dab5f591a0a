/**
 * Lotse's outbound messages as Telegram Bot API calls: plain text (no parse
 * mode, so nothing a person or a translation writes can break formatting),
 * choices as inline keyboards, location requests as a one-time reply
 * keyboard, media by URL. Callback data stays within 64 bytes: a choice id
 * that is longer goes through the token map.
 */
import type { InlineKeyboardButton } from "grammy/types";
import type { Choice, Outbound } from "../../domain/outbound.ts";
import { layout } from "../layout.ts";
import { telegramProfile } from "../profiles.ts";

/** One Bot API call. */
export interface TelegramCall {
  method: "sendMessage" | "sendPhoto" | "sendVoice" | "sendDocument";
  payload: Record<string, unknown>;
}

/** Turns choice ids into callback data of at most 64 bytes, and back. */
export interface CallbackIds {
  encode(choiceId: string): Promise<string>;
  decode(data: string): Promise<string | undefined>;
}

const callbackLimit = 64;

/** Buttons a row: short labels side by side, long ones one a row. */
function rows(buttons: InlineKeyboardButton[], labels: string[]): InlineKeyboardButton[][] {
  const longest = Math.max(0, ...labels.map((l) => [...l].length));
  const perRow = longest <= 4 ? 8 : longest <= 16 ? 2 : 1;
  const out: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

async function keyboard(choices: Choice[], ids: CallbackIds): Promise<{ inline_keyboard: InlineKeyboardButton[][] }> {
  const buttons = await Promise.all(
    choices.map(async (c) => ({ text: c.label, callback_data: await ids.encode(c.id) }) as InlineKeyboardButton),
  );
  return {
    inline_keyboard: rows(
      buttons,
      choices.map((c) => c.label),
    ),
  };
}

/**
 * The calls that send one outbound message to a chat, in order.
 *
 * @example
 * const calls = await renderForTelegram("5123456789", outbound, callbackIds);
 */
export async function renderForTelegram(chatId: string, out: Outbound, ids: CallbackIds): Promise<TelegramCall[]> {
  const calls: TelegramCall[] = [];
  for (const item of layout(out, telegramProfile)) {
    switch (item.kind) {
      case "text":
        calls.push({ method: "sendMessage", payload: { chat_id: chatId, text: item.text } });
        break;
      case "buttons":
        calls.push({
          method: "sendMessage",
          payload: { chat_id: chatId, text: item.text, reply_markup: await keyboard(item.buttons, ids) },
        });
        break;
      case "list": {
        // Inline buttons have no second line: a short description joins the label.
        const rows = item.rows.map((r) =>
          r.description && [...r.description].length <= 40 ? { ...r, label: `${r.label} · ${r.description}` } : r,
        );
        calls.push({
          method: "sendMessage",
          payload: { chat_id: chatId, text: item.text, reply_markup: await keyboard(rows, ids) },
        });
        break;
      }
      case "location_request": {
        const button = out.kind === "location_request" ? (out.button ?? "📍") : "📍";
        const reply_markup = {
          keyboard: [[{ text: button, request_location: true }]],
          resize_keyboard: true,
          one_time_keyboard: true,
        };
        calls.push({ method: "sendMessage", payload: { chat_id: chatId, text: item.text, reply_markup } });
        break;
      }
      case "media": {
        // Audio goes as a voice message (OGG/Opus, MP3 or M4A): a person reading a step aloud, played in
        // the chat like any voice note, not as a track in the music player (sendAudio).
        const method =
          item.mediaKind === "image" ? "sendPhoto" : item.mediaKind === "audio" ? "sendVoice" : "sendDocument";
        const field = item.mediaKind === "image" ? "photo" : item.mediaKind === "audio" ? "voice" : "document";
        calls.push({
          method,
          payload: {
            chat_id: chatId,
            [field]: item.url,
            ...(item.caption ? { caption: item.caption.slice(0, 1024) } : {}),
          },
        });
        break;
      }
      case "template":
        // Telegram has no templates; the same words go as text.
        calls.push({
          method: "sendMessage",
          payload: { chat_id: chatId, text: out.kind === "template" ? out.fallbackText : "" },
        });
        break;
    }
  }
  return calls;
}

/** Whether a choice id can travel as callback data as it is. */
export function fitsCallbackData(id: string): boolean {
  return Buffer.byteLength(id, "utf8") <= callbackLimit && !id.startsWith("t:");
}
