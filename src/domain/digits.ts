/**
 * Digits as people type them: Arabic-Indic (٠١٢), Persian (۰۱۲) and Bengali
 * (০১২) digits mean the same as 0-9 wherever a number is read.
 */

/** Digits of the scripts our people type, other than 0-9. */
const otherDigits = /[\u0660-\u0669\u06F0-\u06F9\u09E6-\u09EF]/g;

function toAscii(ch: string): string {
  const code = ch.charCodeAt(0);
  const zero = code >= 0x09e6 ? 0x09e6 : code >= 0x06f0 ? 0x06f0 : 0x0660;
  return String(code - zero);
}

/**
 * The text with every digit as 0-9.
 *
 * @example
 * asciiDigits("ساعت ۹"); // "ساعت 9"
 */
export function asciiDigits(text: string): string {
  return text.replace(otherDigits, toAscii);
}
