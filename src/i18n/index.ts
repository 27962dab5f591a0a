/**
 * Translation with i18next: one instance, resources read from `locales/` at
 * start (synchronously, so nothing waits later), English as the fallback.
 * Texts from content files (maps of language to text) are resolved here too,
 * so both kinds fall back the same way.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type i18n as I18n, type Resource } from "i18next";
import { fallbackLanguage } from "../domain/languages.ts";

/** A text from content: a map of language to text with English required. */
export type LocalizedText = Readonly<Record<string, string>>;

/** Translation bound to the loaded locales. */
export interface Translator {
  /** Translates `key` into `language`, falling back to English. */
  t(language: string, key: string, params?: Record<string, unknown>): string;
  /** Whether the key exists in that language itself (not by fallback). */
  has(language: string, key: string): boolean;
  /** A key's value that is a list of words (for global words), in one language. */
  words(language: string, key: string): string[];
  /** The languages that have locale files. */
  readonly languages: string[];
}

/**
 * Reads every `locales/<lang>/*.json` file and merges each language's files into one namespace.
 *
 * @example
 * const resources = readLocales("locales");
 */
export function readLocales(root: string): Resource {
  const resources: Resource = {};
  for (const lang of readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
    .map((entry) => entry.name)
    .sort()) {
    const merged: Record<string, unknown> = {};
    for (const file of readdirSync(join(root, lang))
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      Object.assign(merged, JSON.parse(readFileSync(join(root, lang, file), "utf8")) as Record<string, unknown>);
    }
    resources[lang] = { translation: merged };
  }
  return resources;
}

/**
 * Creates a translator over the given resources.
 *
 * @example
 * const tr = createTranslator(readLocales("locales"));
 * tr.t("de", "menu.title");
 */
export function createTranslator(resources: Resource): Translator {
  const instance: I18n = i18next.createInstance();
  void instance.init({
    resources,
    fallbackLng: fallbackLanguage,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  return {
    languages: Object.keys(resources),
    t: (language, key, params) => instance.t(key, { lng: language, ...params }) as string,
    has: (language, key) => instance.exists(key, { lng: language, fallbackLng: false }),
    words: (language, key) => {
      const value: unknown = instance.t(key, { lng: language, returnObjects: true, fallbackLng: false });
      return Array.isArray(value) ? value.map(String) : [];
    },
  };
}

/**
 * Picks a content text in `language`, else in the person's second language,
 * else in English; `shown` says which language the text is in and `fallback`
 * whether it is not the person's own.
 *
 * @example
 * pickText({ en: "Hello", de: "Hallo" }, "ti", "de"); // { text: "Hallo", fallback: true, shown: "de" }
 */
export function pickText(
  text: LocalizedText,
  language: string,
  secondLanguage?: string | null,
): { text: string; fallback: boolean; shown: string } {
  const own = text[language];
  if (own !== undefined) return { text: own, fallback: false, shown: language };
  const second = secondLanguage ? text[secondLanguage] : undefined;
  if (second !== undefined && secondLanguage) return { text: second, fallback: true, shown: secondLanguage };
  const english = text[fallbackLanguage];
  if (english !== undefined) return { text: english, fallback: true, shown: fallbackLanguage };
  const [shown = fallbackLanguage, first = ""] = Object.entries(text)[0] ?? [];
  return { text: first, fallback: true, shown };
}

export { isolateForDirection } from "./direction.ts";
