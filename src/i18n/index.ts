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
  /** Forgets every remembered translation: some carry a person's words (a name), kept no longer than asked. */
  forget(): void;
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
  // The resources never change after start, so a text for the same language, key and values is always
  // the same: every reply and every typed answer asks for the same few thousand, and i18next's lookup
  // (resolving, fallback, interpolation) was an eighth of the CPU of a message.
  const texts = new BoundedMemo<string>();
  const plain = new TextsByLanguage();
  const exists = new BoundedMemo<boolean>();
  const lists = new BoundedMemo<readonly string[]>();
  return {
    languages: Object.keys(resources),
    t: (language, key, params) => {
      // Most texts take no values: looked up by language, then key, with no key string built and hashed.
      if (params === undefined) return plain.get(language, key, () => instance.t(key, { lng: language }) as string);
      const memoKey = textKey(language, key, params);
      if (memoKey === undefined) return instance.t(key, { lng: language, ...params }) as string;
      return texts.get(memoKey, () => instance.t(key, { lng: language, ...params }) as string);
    },
    has: (language, key) =>
      exists.get(`${language}\u0000${key}`, () => instance.exists(key, { lng: language, fallbackLng: false })),
    words: (language, key) => [
      ...lists.get(`${language}\u0000${key}`, () => {
        const value: unknown = instance.t(key, { lng: language, returnObjects: true, fallbackLng: false });
        return Array.isArray(value) ? value.map(String) : [];
      }),
    ],
    forget: () => {
      texts.clear();
      plain.clear();
      exists.clear();
      lists.clear();
    },
  };
}

/**
 * The texts that take no values, by language and key. They hold only the locale files' words (no
 * person's), so no expiry; bounded all the same, in case a key is ever built from what someone typed.
 */
class TextsByLanguage {
  private readonly byLanguage = new Map<string, Map<string, string>>();
  private count = 0;

  constructor(private readonly limit = 50_000) {}

  clear(): void {
    this.byLanguage.clear();
    this.count = 0;
  }

  get(language: string, key: string, compute: () => string): string {
    let texts = this.byLanguage.get(language);
    if (texts === undefined) {
      texts = new Map();
      this.byLanguage.set(language, texts);
    }
    let text = texts.get(key);
    if (text === undefined) {
      text = compute();
      if (++this.count > this.limit) this.clear();
      else texts.set(key, text);
    }
    return text;
  }
}

/** The memo key of a translation, or undefined when a value is not a plain string, number or boolean. */
function textKey(language: string, key: string, params: Record<string, unknown> | undefined): string | undefined {
  let memoKey = `${language}\u0000${key}`;
  if (params === undefined) return memoKey;
  for (const name in params) {
    const value = params[name];
    const kind = typeof value;
    if (kind !== "string" && kind !== "number" && kind !== "boolean" && value !== undefined) return undefined;
    // A long value (a broadcast's or a counsellor's text) is not kept: the memo stays small.
    if (kind === "string" && (value as string).length > 120) return undefined;
    // Each name and value with its length before it: no two sets of values make the same key, whatever
    // characters they hold (a name typed by a learner, say). Cheaper than JSON, 8 times a message.
    const shown = value === undefined ? "" : String(value);
    memoKey += `\u0000${name.length}:${name}${kind[0]}${shown.length}:${shown}`;
  }
  return memoKey;
}

/**
 * A memo that forgets everything when full, so memory stays bounded whatever values come, and at least
 * every ten minutes: a value may be a person's name, and "delete my data" in another process cannot
 * reach this one.
 */
class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();
  private since = Date.now();

  constructor(
    private readonly limit = 20_000,
    private readonly forMs = 10 * 60_000,
  ) {}

  clear(): void {
    this.entries.clear();
    this.since = Date.now();
  }

  get(key: string, compute: () => V): V {
    if (Date.now() - this.since > this.forMs) this.clear();
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
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
