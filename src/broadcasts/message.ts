/**
 * A broadcast's words in several languages, and which of them each person gets: their own language,
 * else their second language, else the language staff chose as the default; whenever it is not their
 * own, a note in their own language names the language shown (the chat's usual "not yet in your
 * language" note). The fan-out, the reach preview and the channel previews all pick through here.
 */
import { msg } from "../../flows/kit.ts";
import { fallbackLanguage } from "../domain/languages.ts";
import type { Outbound } from "../domain/outbound.ts";
import type { ReplyRenderer } from "../engine/render.ts";

/** What staff wrote: the text per language and the language for everyone else. */
export interface BroadcastMessage {
  texts: Readonly<Record<string, string>>;
  /** One of the languages of `texts`. */
  defaultLanguage: string;
}

/** A person as a reader of a broadcast. */
export interface BroadcastReader {
  language: string | null;
  secondLanguage: string | null;
}

/**
 * The language a person gets the broadcast in, and whether it is not their own.
 *
 * @example
 * shownLanguage({ texts: { de: "…", ar: "…" }, defaultLanguage: "de" }, { language: "ti", secondLanguage: "ar" });
 * // { shown: "ar", fallback: true }
 */
export function shownLanguage(
  message: BroadcastMessage,
  reader: BroadcastReader,
): { shown: string; fallback: boolean } {
  const own = reader.language ?? fallbackLanguage;
  if (message.texts[own] !== undefined) return { shown: own, fallback: false };
  const second = reader.secondLanguage;
  if (second && message.texts[second] !== undefined) return { shown: second, fallback: true };
  return { shown: defaultOf(message), fallback: true };
}

/**
 * The outbound message one reader gets: the picked text, isolated for their script's direction, with
 * the note naming the language shown when it is not theirs (rendered by the chat's own renderer, so
 * it reads as everything else the bot says).
 *
 * @example
 * broadcastOutbound(message, { language: "fa", secondLanguage: null }, app.engine.renderer);
 * // { kind: "text", text: "The library …\n\n(… انگلیسی …)", purpose: "broadcast" }
 */
export function broadcastOutbound(
  message: BroadcastMessage,
  reader: BroadcastReader,
  renderer: ReplyRenderer,
): Outbound {
  const { shown } = shownLanguage(message, reader);
  const language = reader.language ?? fallbackLanguage;
  // Only the picked text goes to the renderer, so its own fallback (to English) cannot pick another.
  const text = { [shown]: withoutDirectionMarks(message.texts[shown] ?? "") };
  const rendered = renderer.render(
    { kind: "text", lines: [msg("common.raw", { text })] },
    { language, secondLanguage: reader.secondLanguage },
  );
  return { ...rendered, purpose: "broadcast" };
}

/**
 * The text without the isolates and line-start marks the renderer places: texts rendered before (a
 * meeting's announcement, rendered per language) would otherwise be isolated twice.
 */
function withoutDirectionMarks(text: string): string {
  return text.replace(/[\u2066-\u2069]/gu, "").replace(/^\u200F/gmu, "");
}

/** The default language, or the first written one if the default has no text (an old broadcast). */
function defaultOf(message: BroadcastMessage): string {
  if (message.texts[message.defaultLanguage] !== undefined) return message.defaultLanguage;
  if (message.texts[fallbackLanguage] !== undefined) return fallbackLanguage;
  return Object.keys(message.texts)[0] ?? fallbackLanguage;
}

/**
 * A broadcast's message from its stored columns (`text`, `default_language`); broadcasts made before
 * the console have no default and fall back to English as they always did.
 *
 * @example
 * storedMessage('{"de":"Hallo"}', null); // { texts: { de: "Hallo" }, defaultLanguage: "de" }
 */
export function storedMessage(text: string, defaultLanguage: string | null): BroadcastMessage {
  const texts = JSON.parse(text) as Record<string, string>;
  const message = { texts, defaultLanguage: defaultLanguage ?? fallbackLanguage };
  return { texts, defaultLanguage: defaultOf(message) };
}
