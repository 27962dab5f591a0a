/**
 * Normalising typed text so that "  Yes!", "YES" and "yes" match, Arabic with
 * or without vowel marks matches, and Arabic-Indic digits count as digits.
 */

const arabicMarks = /[\u064B-\u065F\u0670\u0640]/g; // harakat, superscript alef, tatweel
const isolates = /[\u2066-\u2069\u200E\u200F\u061C]/g; // direction marks we add or phones insert
/** Digits of the scripts our people type: Arabic-Indic, Persian (Extended Arabic-Indic), Bengali. */
const otherDigits = /[\u0660-\u0669\u06F0-\u06F9\u09E6-\u09EF]/g;

function toAsciiDigit(ch: string): string {
  const code = ch.charCodeAt(0);
  const zero = code >= 0x09e6 ? 0x09e6 : code >= 0x06f0 ? 0x06f0 : 0x0660;
  return String(code - zero);
}

/**
 * Lower-cases, strips marks and punctuation at the ends, unifies Arabic letter
 * forms and digits, and collapses spaces.
 *
 * @example
 * normalizeText("  Menü! "); // "menü"
 */
export function normalizeText(text: string): string {
  return (
    text
      .normalize("NFKC")
      .replace(isolates, "")
      .replace(arabicMarks, "")
      .replace(/[أإآٱ]/g, "ا")
      .replace(/[ىیۍې]/g, "ي")
      .replace(/ک/g, "ك")
      .replace(/ګ/g, "گ")
      .replace(/ە/g, "ه")
      .replace(/ة(?=\s|$)/g, "ه")
      .replace(otherDigits, toAsciiDigit)
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
export function wordsOf(text: string): string[] {
  return normalizeText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}
