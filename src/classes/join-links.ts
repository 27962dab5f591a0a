/**
 * The ways into a class that a teacher hands out: a Telegram deep link, a WhatsApp click-to-chat
 * link with the code written in, and a web chat link, each with the code to type where a link cannot
 * be made. A link is made only from what the server knows: without the bot's Telegram username or
 * the WhatsApp number, the handout says what to type instead of a link that leads nowhere.
 */
import { normalizeJoinCode } from "./codes.ts";

/** What the links are made from; `App` has `publicUrl`, the rest when the operator configured them. */
export interface JoinLinkSource {
  /** `PUBLIC_URL`, where the web chat is. */
  publicUrl: string;
  /** The bot's Telegram username (without @), when known. */
  telegramBotUsername?: string | undefined;
  /** The WhatsApp number people write to, in international digits (4915112345678), when known. */
  whatsappNumber?: string | undefined;
}

/** One way in: a link when one can be made, and always the text to type. */
export interface JoinWay {
  channel: "telegram" | "whatsapp" | "web";
  url: string | null;
  /** What to type in that chat, when there is no link or it does not open. */
  typed: string;
}

/**
 * The deep-link payload of a class (`/start class_K7F2Q`), as the chat's `class` link resolver reads it.
 *
 * @example
 * classStartParameter("K7F2Q"); // "class_K7F2Q"
 */
export function classStartParameter(code: string): string {
  return `class_${code}`;
}

/**
 * The three ways into a class with this code.
 *
 * @example
 * joinWays("K7F2Q", { publicUrl: "https://lotse.example.org", telegramBotUsername: "LotseBot" })[0];
 * // { channel: "telegram", url: "https://t.me/LotseBot?start=class_K7F2Q", typed: "/start class_K7F2Q" }
 */
export function joinWays(code: string, source: JoinLinkSource): JoinWay[] {
  const clean = normalizeJoinCode(code) ?? code;
  const start = classStartParameter(clean);
  const bot = source.telegramBotUsername?.replace(/^@/, "").trim();
  const number = source.whatsappNumber?.replace(/\D/g, "");
  const base = source.publicUrl.replace(/\/+$/, "");
  return [
    {
      channel: "telegram",
      url: bot && /^[A-Za-z0-9_]{5,32}$/.test(bot) ? `https://t.me/${bot}?start=${start}` : null,
      typed: `/start ${start}`,
    },
    {
      channel: "whatsapp",
      url: number && number.length >= 8 ? `https://wa.me/${number}?text=${encodeURIComponent(`join ${clean}`)}` : null,
      typed: `join ${clean}`,
    },
    { channel: "web", url: `${base}/?start=${start}`, typed: `join ${clean}` },
  ];
}
