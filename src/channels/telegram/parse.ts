/**
 * Telegram updates into Lotse's inbound messages. Private chats only: a
 * group's messages, inline queries and other update types are ignored.
 * Blocking and unblocking the bot (`my_chat_member`) become status events.
 */
import type { Message, Update } from "grammy/types";
import { type Address, toAddress } from "../../domain/address.ts";
import type { Inbound } from "../../domain/inbound.ts";

/** What an update means for Lotse. */
export type TelegramEvent =
  | { kind: "inbound"; inbound: Inbound; callbackQueryId?: string }
  | { kind: "blocked"; address: Address }
  | { kind: "unblocked"; address: Address }
  | { kind: "ignored"; reason: string };

/**
 * Parses one update.
 *
 * @example
 * const event = parseUpdate(JSON.parse(body) as Update, new Date());
 * if (event.kind === "inbound") await engine.handle(event.inbound);
 */
export function parseUpdate(update: Update, receivedAt: Date): TelegramEvent {
  const id = `telegram:update:${update.update_id}`;
  if (update.message) return fromMessage(update.message, id, receivedAt);
  if (update.edited_message) return fromMessage(update.edited_message, id, receivedAt, true);
  if (update.callback_query) {
    const query = update.callback_query;
    const chat = query.message?.chat;
    if (!chat || chat.type !== "private" || !query.data)
      return { kind: "ignored", reason: "callback without a private chat or data" };
    return {
      kind: "inbound",
      inbound: {
        id,
        address: toAddress("telegram", String(chat.id)),
        receivedAt,
        ...hint(query.from.language_code),
        kind: "choice",
        choiceId: query.data,
      },
      callbackQueryId: query.id,
    };
  }
  if (update.my_chat_member) {
    const { chat, new_chat_member: member } = update.my_chat_member;
    if (chat.type !== "private") return { kind: "ignored", reason: "not a private chat" };
    const address = toAddress("telegram", String(chat.id));
    if (member.status === "kicked" || member.status === "left") return { kind: "blocked", address };
    if (member.status === "member") return { kind: "unblocked", address };
    return { kind: "ignored", reason: `chat member status ${member.status}` };
  }
  return { kind: "ignored", reason: `update type ${Object.keys(update).find((k) => k !== "update_id") ?? "empty"}` };
}

function fromMessage(message: Message, id: string, receivedAt: Date, edited = false): TelegramEvent {
  if (message.chat.type !== "private") return { kind: "ignored", reason: "not a private chat" };
  const base = {
    id,
    address: toAddress("telegram", String(message.chat.id)),
    receivedAt,
    ...hint(message.from?.language_code),
  };
  // An edit is answered like a new message: people correct a typo and expect an answer.
  if (message.text !== undefined) return { kind: "inbound", inbound: { ...base, kind: "text", text: message.text } };
  if (message.location) {
    const { latitude, longitude } = message.location;
    return { kind: "inbound", inbound: { ...base, kind: "location", latitude, longitude } };
  }
  const media = mediaKind(message);
  if (media) {
    const caption = message.caption;
    return { kind: "inbound", inbound: { ...base, kind: "media", mediaKind: media, ...(caption ? { caption } : {}) } };
  }
  const what = Object.keys(message).find(
    (k) => !["message_id", "from", "chat", "date", "edit_date", "entities"].includes(k),
  );
  return {
    kind: "inbound",
    inbound: { ...base, kind: "unsupported", what: `${edited ? "edited " : ""}${what ?? "message"}` },
  };
}

function mediaKind(message: Message): "image" | "audio" | "video" | "document" | "sticker" | "contact" | undefined {
  if (message.photo) return "image";
  if (message.voice || message.audio) return "audio";
  if (message.video || message.video_note || message.animation) return "video";
  if (message.document) return "document";
  if (message.sticker) return "sticker";
  if (message.contact) return "contact";
  return undefined;
}

/** The app's language as a hint, when Telegram sends one (only for a person's own messages). */
function hint(languageCode: string | undefined): { languageHint?: string } {
  return languageCode ? { languageHint: languageCode } : {};
}
