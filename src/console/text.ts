/**
 * The console's own words, in English and German: `locales/_console/<lang>/<area>.json`, one file
 * per area (pages, meetings, broadcasts, referrals, overview, staff), merged per language like the
 * chat's locales. They are for staff, so they are not in the chat's locales, which every language
 * people read must complete.
 */
import { projectRoot } from "../app.ts";
import { createTranslator, readLocales, type Translator } from "../i18n/index.ts";
import { type ConsoleLanguage, consoleLanguages } from "./context.ts";

let loaded: Translator | undefined;

/** The console translator (read once). */
export function consoleTranslator(): Translator {
  loaded ??= createTranslator(readLocales(`${projectRoot}locales/_console`));
  return loaded;
}

/**
 * A console text in `language`, English when a key is missing.
 *
 * @example
 * ct("de", "nav.meetings"); // "Treffen"
 */
export function ct(language: ConsoleLanguage, key: string, params?: Record<string, unknown>): string {
  return consoleTranslator().t(language, key, params);
}

/**
 * The console language for a request: the `lotse_console_lang` cookie, else the browser's
 * Accept-Language, else English.
 *
 * @example
 * consoleLanguageFrom("de-DE,de;q=0.9", undefined); // "de"
 */
export function consoleLanguageFrom(acceptLanguage: string | undefined, cookie: string | undefined): ConsoleLanguage {
  if (cookie && (consoleLanguages as readonly string[]).includes(cookie)) return cookie as ConsoleLanguage;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim().slice(0, 2).toLowerCase();
    if (tag && (consoleLanguages as readonly string[]).includes(tag)) return tag as ConsoleLanguage;
  }
  return "en";
}
