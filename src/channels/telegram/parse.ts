/**
 * Telegram updates into Lotse's inbound messages. Private chats only: a
 * group's messages, inline queries and other update types are ignored.
 * Blocking and unblocking the bot (`my_chat_member`) become status events.
 *
 * Every field read is checked first: an update is JSON from the network, and
 * a chat id that is missing, `null` or not a safe integer must never become an
 * address (`telegram:undefined` once merged strangers into one conversation).
 * Such an update can never be processed: it is reported as ignored and
 * malformed, so the webhook acknowledges it with a log line instead of a 5xx
 * that Telegram would retry for hours.
 */
import type { Update } from "grammy/types";
import { z } from "zod";
import { type Address, toAddress } from "../../domain/address.ts";
import type { Inbound } from "../../domain/inbound.ts";

/** What an update means for Lotse. */
export type TelegramEvent =
  | { kind: "inbound"; inbound: Inbound; callbackQueryId?: string }
  | { kind: "blocked"; address: Address }
  | { kind: "unblocked"; address: Address }
  /** `malformed`: the update breaks Telegram's own schema, so it can never be processed (log it louder). */
  | { kind: "ignored"; reason: string; malformed?: boolean };

/** Telegram's ids are integers up to 52 bits: a safe integer (zod's `int`), never 0. */
const telegramId = z.int().refine((id) => id !== 0);
const chat = z.object({ id: telegramId, type: z.string() });
/** An IETF language tag as Telegram sends it; anything else is dropped rather than trusted. */
const languageCode = z
  .string()
  .regex(/^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}$/)
  .optional()
  .catch(undefined);
const from = z.object({ id: telegramId, language_code: languageCode });
const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);
const message = z.looseObject({
  chat,
  from: from.optional(),
  text: z.string().optional(),
  caption: z.string().optional().catch(undefined),
  location: z.object({ latitude, longitude }).optional(),
});
type Message = z.infer<typeof message>;
const callbackQuery = z.object({
  id: z.string().min(1).max(256),
  from,
  data: z.string().min(1).max(256).optional(),
  message: z.looseObject({ chat }).optional(),
});
const chatMember = z.object({ chat, new_chat_member: z.object({ status: z.string().max(64) }) });
const update = z.looseObject({
  update_id: z.int().nonnegative(),
  message: z.unknown().optional(),
  edited_message: z.unknown().optional(),
  callback_query: z.unknown().optional(),
  my_chat_member: z.unknown().optional(),
});

/** The first problem zod found, as a short reason for the log (no values: they may be personal). */
function problem(what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  return `malformed ${what}: ${issue ? `${issue.path.join(".") || "(root)"} ${issue.code}` : "invalid"}`;
}

const malformed = (reason: string): TelegramEvent => ({ kind: "ignored", reason, malformed: true });

/**
 * Parses one update. Never throws: whatever the body holds, the answer is an event.
 *
 * @example
 * const event = parseUpdate(JSON.parse(body) as Update, new Date());
 * if (event.kind === "inbound") await engine.handle(event.inbound);
 */
export function parseUpdate(raw: Update, receivedAt: Date): TelegramEvent {
  const parsed = update.safeParse(raw);
  if (!parsed.success) return malformed(problem("update", parsed.error));
  const body = parsed.data;
  const id = `telegram:update:${body.update_id}`;
  if (body.message !== undefined) return fromMessage(body.message, id, receivedAt);
  if (body.edited_message !== undefined) return fromMessage(body.edited_message, id, receivedAt, true);
  if (body.callback_query !== undefined) {
    const query = callbackQuery.safeParse(body.callback_query);
    if (!query.success) return malformed(problem("callback_query", query.error));
    const { data, message: original } = query.data;
    if (original?.chat.type !== "private" || !data)
      return { kind: "ignored", reason: "callback without a private chat or data" };
    return {
      kind: "inbound",
      inbound: {
        id,
        address: toAddress("telegram", String(original.chat.id)),
        receivedAt,
        ...hint(query.data.from.language_code),
        kind: "choice",
        choiceId: data,
      },
      callbackQueryId: query.data.id,
    };
  }
  if (body.my_chat_member !== undefined) {
    const member = chatMember.safeParse(body.my_chat_member);
    if (!member.success) return malformed(problem("my_chat_member", member.error));
    const { chat: where, new_chat_member: now } = member.data;
    if (where.type !== "private") return { kind: "ignored", reason: "not a private chat" };
    const address = toAddress("telegram", String(where.id));
    if (now.status === "kicked" || now.status === "left") return { kind: "blocked", address };
    if (now.status === "member") return { kind: "unblocked", address };
    return { kind: "ignored", reason: `chat member status ${now.status}` };
  }
  const type = Object.keys(body).find((k) => k !== "update_id") ?? "empty";
  return { kind: "ignored", reason: `update type ${type.slice(0, 64)}` };
}

function fromMessage(raw: unknown, id: string, receivedAt: Date, edited = false): TelegramEvent {
  const parsed = message.safeParse(raw);
  if (!parsed.success) return malformed(problem(edited ? "edited_message" : "message", parsed.error));
  const m = parsed.data;
  if (m.chat.type !== "private") return { kind: "ignored", reason: "not a private chat" };
  const base = {
    id,
    address: toAddress("telegram", String(m.chat.id)),
    receivedAt,
    ...hint(m.from?.language_code),
  };
  // An edit is answered like a new message: people correct a typo and expect an answer.
  if (m.text !== undefined) return { kind: "inbound", inbound: { ...base, kind: "text", text: m.text } };
  if (m.location) {
    const { latitude, longitude } = m.location;
    return { kind: "inbound", inbound: { ...base, kind: "location", latitude, longitude } };
  }
  const media = mediaKind(m);
  if (media) {
    const caption = m.caption;
    return { kind: "inbound", inbound: { ...base, kind: "media", mediaKind: media, ...(caption ? { caption } : {}) } };
  }
  const what = Object.keys(m).find((k) => !["message_id", "from", "chat", "date", "edit_date", "entities"].includes(k));
  return {
    kind: "inbound",
    inbound: { ...base, kind: "unsupported", what: `${edited ? "edited " : ""}${(what ?? "message").slice(0, 64)}` },
  };
}

function mediaKind(m: Message): "image" | "audio" | "video" | "document" | "sticker" | "contact" | undefined {
  const has = (key: string) => m[key] !== undefined && m[key] !== null;
  if (has("photo")) return "image";
  if (has("voice") || has("audio")) return "audio";
  if (has("video") || has("video_note") || has("animation")) return "video";
  if (has("document")) return "document";
  if (has("sticker")) return "sticker";
  if (has("contact")) return "contact";
  return undefined;
}

/** The app's language as a hint, when Telegram sends one (only for a person's own messages). */
function hint(languageCode: string | undefined): { languageHint?: string } {
  return languageCode ? { languageHint: languageCode } : {};
}
