/**
 * Normalising typed text so that "  Yes!", "YES" and "yes" match, Arabic with
 * or without vowel marks matches, and Arabic-Indic digits count as digits.
 */
import { asciiDigits } from "../domain/digits.ts";

const arabicMarks = /[\u064B-\u065F\u0670\u0640]/g; // harakat, superscript alef, tatweel
const isolates = /[\u2066-\u2069\u200E\u200F\u061C]/g; // direction marks we add or phones insert

/**
 * Lower-cases, strips marks and punctuation at the ends, unifies Arabic letter
 * forms and digits, and collapses spaces.
 *
 * @example
 * normalizeText("  Menü! "); // "menü"
 */
export function normalizeText(text: string): string {
  // Every typed answer is compared with every choice label in every language: the same few thousand
  // short labels each time. A bounded memo keeps short texts only (a typed message may be 4,096
  // characters: thousands of those would hold hundreds of MB), cleared when full.
  if (text.length > memoMaxLength) return normalizeUncached(text);
  const known = normalized.get(text);
  if (known !== undefined) return known;
  const result = normalizeUncached(text);
  if (normalized.size >= memoLimit) normalized.clear();
  normalized.set(text, result);
  return result;
}

/** Normalised texts by original; at most `memoLimit` entries. */
const normalized = new Map<string, string>();
const memoLimit = 20_000;
/** Labels, names and answers are short; longer texts are normalised each time. */
const memoMaxLength = 120;

function normalizeUncached(text: string): string {
  return (
    asciiDigits(text)
      .normalize("NFKC")
      // Persian writers join or space the prefix mi- as they like: میخواهم, می‌خواهم, می خواهم.
      .replace(/\u200C/g, "")
      .replace(/(^|\s)(ن?می) (?=\S)/g, "$1$2")
      .replace(isolates, "")
      .replace(arabicMarks, "")
      .replace(/[أإآٱ]/g, "ا")
      .replace(/[ىیۍې]/g, "ي")
      .replace(/ک/g, "ك")
      .replace(/ګ/g, "گ")
      .replace(/ە/g, "ه")
      .replace(/ة(?=\s|$)/g, "ه")

      .toLocaleLowerCase()
      // Accents and dots do not tell words apart when people type on any keyboard: Aydın, Aydin; γιατρός, γιατρος.
      .normalize("NFD")
      .replace(/\p{Mn}/gu, "")
      .replace(/ı/g, "i")
      .replace(/ё/g, "е")
      .normalize("NFC")
      .replace(/[\s\u00A0]+/g, " ")
      .replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, "")
      .trim()
  );
}

/**
 * The words of a text, split on anything that is not a letter or digit.
 *
 * @example
 * wordsOf("Yes, I agree"); // ["yes", "i", "agree"]
 */
export function wordsOf(text: string): readonly string[] {
  const known = text.length > memoMaxLength ? undefined : words.get(text);
  if (known !== undefined) return known;
  const result = Object.freeze(
    normalizeText(text)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 0),
  );
  if (text.length > memoMaxLength) return result;
  if (words.size >= memoLimit) words.clear();
  words.set(text, result);
  return result;
}

/** The words of texts by original (frozen: callers share them); at most `memoLimit` entries. */
const words = new Map<string, readonly string[]>();
