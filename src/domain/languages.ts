/**
 * The languages Lotse speaks. Each is shown in its own script in the picker,
 * so a person who reads no English still finds theirs.
 */

export interface Language {
  code: string;
  /** The language's name in itself: "Deutsch", "العربية". */
  nativeName: string;
  direction: "ltr" | "rtl";
}

/** Complete languages, in picker order. Others fall back to English. */
export const languages: readonly Language[] = [
  { code: "en", nativeName: "English", direction: "ltr" },
  { code: "de", nativeName: "Deutsch", direction: "ltr" },
  { code: "ar", nativeName: "العربية", direction: "rtl" },
];

/** The fallback for every missing text. */
export const fallbackLanguage = "en";

/**
 * The language with this code, if Lotse speaks it.
 *
 * @example
 * languageByCode("ar")?.direction; // "rtl"
 */
export function languageByCode(code: string | null | undefined): Language | undefined {
  return languages.find((l) => l.code === code);
}
