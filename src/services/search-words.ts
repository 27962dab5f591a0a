/**
 * The words people type for each kind of service and the small words that
 * carry no meaning in a question, in every language, read from
 * `locales/<lang>/words.json` (`search.categories.*`, `search.stopWords`).
 * Translators keep them; no word list lives in code.
 */
import { fileURLToPath } from "node:url";
import { type ServiceCategory, serviceCategories } from "../content/services-schema.ts";
import { normalizeText } from "../engine/normalize.ts";
import { createTranslator, readLocales, type Translator } from "../i18n/index.ts";

/** Search words of every language together. */
export interface SearchWords {
  categories: Record<ServiceCategory, readonly string[]>;
  stopWords: ReadonlySet<string>;
  /** The stop words as typed (lower case, accents kept), so "iş" is not taken for "is". */
  exactStopWords: ReadonlySet<string>;
}

/**
 * Collects every language's search words from the translator.
 *
 * @example
 * const words = searchWordsFrom(translator);
 * words.categories.health.includes("лікар"); // true once Ukrainian is in
 */
export function searchWordsFrom(translator: Translator): SearchWords {
  const categories = Object.fromEntries(
    serviceCategories.map((c) => [
      c,
      translator.languages.flatMap((lang) => translator.words(lang, `search.categories.${c}`)),
    ]),
  ) as Record<ServiceCategory, string[]>;
  const all = translator.languages.flatMap((lang) => translator.words(lang, "search.stopWords"));
  const stopWords = new Set(all.flatMap((w) => normalizeText(w).split(" ")));
  const exactStopWords = new Set(all.flatMap((w) => w.toLocaleLowerCase().normalize("NFC").split(/\s+/)));
  return { categories, stopWords, exactStopWords };
}

let cached: SearchWords | undefined;

/**
 * The search words of the project's own `locales/` (for tests and tools that build flows without an app).
 *
 * @example
 * searchServices(pack.services, "leipzig", "doctor", defaultSearchWords());
 */
export function defaultSearchWords(): SearchWords {
  cached ??= searchWordsFrom(createTranslator(readLocales(fileURLToPath(new URL("../../locales", import.meta.url)))));
  return cached;
}
