/**
 * A first guess at a new person's language, before they are asked: from the
 * language their app is set to (Telegram's `language_code`), else from the
 * script of their first message. The guess only orders the language question
 * and words the greeting; the person still picks.
 */
import { languageByCode } from "../domain/languages.ts";

/** App language tags that map to one of ours by another code. */
const tagAliases: Record<string, string> = { ku: "kmr", kmr: "kmr", no: "nb", nn: "nb", nb: "nb", pa: "ps" };

/**
 * One of our language codes for an IETF tag such as `ar`, `uk-UA`, `fa-AF` or `ku`.
 *
 * @example
 * languageFromTag("fa-AF"); // "prs"
 * languageFromTag("pt-BR"); // undefined
 */
export function languageFromTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const [base = "", region = ""] = tag.toLowerCase().split(/[-_]/);
  if (base === "fa" && region === "af") return "prs";
  const code = tagAliases[base] ?? base;
  return languageByCode(code) ? code : undefined;
}

/** Letters only one of our Arabic-script languages uses. */
const pashtoLetters = /[ټډړږښګڼېۍ]/u;
// ہ (heh goal) and ھ (do-chashmi heh) too: "ہیلو" (hello) was guessed as Farsi without them.
const urduLetters = /[ٹڈڑںےۓہھ]/u;
const persianLetters = /[پچژگکی]/u;
const ukrainianLetters = /[іїєґ]/iu;

/**
 * A language guessed from the letters of a text, for scripts that tell
 * (Arabic script: Pashto, Urdu, Persian or Arabic by their own letters).
 *
 * @example
 * languageFromScript("سلام، داکتر کجاست؟"); // "fa"
 * languageFromScript("hello"); // undefined: Latin is written by too many of our languages
 */
export function languageFromScript(text: string): string | undefined {
  if (/\p{Script=Arabic}/u.test(text)) {
    if (pashtoLetters.test(text)) return "ps";
    if (urduLetters.test(text)) return "ur";
    if (persianLetters.test(text)) return "fa";
    return "ar";
  }
  if (/\p{Script=Cyrillic}/u.test(text)) return ukrainianLetters.test(text) ? "uk" : "ru";
  if (/\p{Script=Ethiopic}/u.test(text)) return "ti";
  if (/\p{Script=Bengali}/u.test(text)) return "bn";
  if (/\p{Script=Greek}/u.test(text)) return "el";
  return undefined;
}

/**
 * The guess for a first message: the app's language, else the script's.
 *
 * @example
 * guessLanguage({ tag: "ar" }); // "ar"
 * guessLanguage({ text: "Привіт" }); // "uk"
 */
export function guessLanguage(from: { tag?: string | undefined; text?: string | undefined }): string | undefined {
  const byTag = languageFromTag(from.tag);
  const byScript = from.text ? languageFromScript(from.text) : undefined;
  // What the person typed outweighs how their device is set, unless the setting is the more
  // precise name of the same script's language (an app set to fa-AF and Persian letters: Dari).
  if (byScript && byTag && languageByCode(byTag)?.script !== languageByCode(byScript)?.script) return byScript;
  return byTag ?? byScript;
}
