/**
 * The languages Lotse speaks. Each is shown in its own script in the picker,
 * so a person who reads no English still finds theirs.
 *
 * Every language has the whole interface; the content languages also have
 * every lesson, service card and return page. People whose language has no
 * content get it in their second language (asked once, English by default),
 * with a one-line note in their own language.
 */

export interface Language {
  code: string;
  /** The language's name in itself: "Deutsch", "العربية", "دری". */
  nativeName: string;
  direction: "ltr" | "rtl";
  /** The BCP 47 locale for dates and numbers (always with the Gregorian calendar, see `dateLocale`). */
  locale: string;
  /** The two-letter ISO 639-1 code Telegram's bot settings accept (`fa` serves Dari, `ku` Kurmanji). */
  telegramCode: string;
  /**
   * The language code of WhatsApp templates in this language, where Meta lists one (Dari uses
   * Persian `fa`); `null` where Meta has none (Pashto, Kurmanji, Tigrinya, Somali): the template
   * then goes in the person's second language.
   */
  whatsappTemplate: string | null;
  /** The script its letters are in, to guess a language from a first message. */
  script: "Latin" | "Arabic" | "Cyrillic" | "Ethiopic" | "Bengali" | "Greek";
}

/** Every language, in picker order: the most asked-for first, then the host languages of our cities. */
export const languages: readonly Language[] = [
  {
    code: "en",
    nativeName: "English",
    direction: "ltr",
    locale: "en",
    telegramCode: "en",
    whatsappTemplate: "en",
    script: "Latin",
  },
  {
    code: "de",
    nativeName: "Deutsch",
    direction: "ltr",
    locale: "de-DE",
    telegramCode: "de",
    whatsappTemplate: "de",
    script: "Latin",
  },
  {
    code: "ar",
    nativeName: "العربية",
    direction: "rtl",
    locale: "ar",
    telegramCode: "ar",
    whatsappTemplate: "ar",
    script: "Arabic",
  },
  {
    code: "prs",
    nativeName: "دری",
    direction: "rtl",
    locale: "fa-AF",
    telegramCode: "fa",
    whatsappTemplate: "fa",
    script: "Arabic",
  },
  {
    code: "ps",
    nativeName: "پښتو",
    direction: "rtl",
    locale: "ps-AF",
    telegramCode: "ps",
    whatsappTemplate: null,
    script: "Arabic",
  },
  {
    code: "fa",
    nativeName: "فارسی",
    direction: "rtl",
    locale: "fa-IR",
    telegramCode: "fa",
    whatsappTemplate: "fa",
    script: "Arabic",
  },
  {
    code: "uk",
    nativeName: "Українська",
    direction: "ltr",
    locale: "uk-UA",
    telegramCode: "uk",
    whatsappTemplate: "uk",
    script: "Cyrillic",
  },
  {
    code: "ru",
    nativeName: "Русский",
    direction: "ltr",
    locale: "ru-RU",
    telegramCode: "ru",
    whatsappTemplate: "ru",
    script: "Cyrillic",
  },
  {
    code: "tr",
    nativeName: "Türkçe",
    direction: "ltr",
    locale: "tr-TR",
    telegramCode: "tr",
    whatsappTemplate: "tr",
    script: "Latin",
  },
  {
    code: "kmr",
    nativeName: "Kurmancî",
    direction: "ltr",
    locale: "kmr",
    telegramCode: "ku",
    whatsappTemplate: null,
    script: "Latin",
  },
  {
    code: "ti",
    nativeName: "ትግርኛ",
    direction: "ltr",
    locale: "ti-ER",
    telegramCode: "ti",
    whatsappTemplate: null,
    script: "Ethiopic",
  },
  {
    code: "so",
    nativeName: "Soomaali",
    direction: "ltr",
    locale: "so-SO",
    telegramCode: "so",
    whatsappTemplate: null,
    script: "Latin",
  },
  {
    code: "fr",
    nativeName: "Français",
    direction: "ltr",
    locale: "fr-FR",
    telegramCode: "fr",
    whatsappTemplate: "fr",
    script: "Latin",
  },
  {
    code: "bn",
    nativeName: "বাংলা",
    direction: "ltr",
    locale: "bn-BD",
    telegramCode: "bn",
    whatsappTemplate: "bn",
    script: "Bengali",
  },
  {
    code: "ur",
    nativeName: "اردو",
    direction: "rtl",
    locale: "ur-PK",
    telegramCode: "ur",
    whatsappTemplate: "ur",
    script: "Arabic",
  },
  {
    code: "sv",
    nativeName: "Svenska",
    direction: "ltr",
    locale: "sv-SE",
    telegramCode: "sv",
    whatsappTemplate: "sv",
    script: "Latin",
  },
  {
    code: "it",
    nativeName: "Italiano",
    direction: "ltr",
    locale: "it-IT",
    telegramCode: "it",
    whatsappTemplate: "it",
    script: "Latin",
  },
  {
    code: "el",
    nativeName: "Ελληνικά",
    direction: "ltr",
    locale: "el-GR",
    telegramCode: "el",
    whatsappTemplate: "el",
    script: "Greek",
  },
  {
    code: "nb",
    nativeName: "Norsk bokmål",
    direction: "ltr",
    locale: "nb-NO",
    telegramCode: "nb",
    whatsappTemplate: "nb",
    script: "Latin",
  },
];

/** Languages with every lesson, service and return page. */
export const contentLanguages: readonly string[] = ["en", "de", "ar", "prs", "ps", "fa", "uk", "ru", "tr", "kmr"];

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

/**
 * Whether a language has its own lessons and services (else content comes in the second language).
 *
 * @example
 * hasContent("ti"); // false
 */
export function hasContent(code: string): boolean {
  return contentLanguages.includes(code);
}

/**
 * The locale for `Intl` dates in a language, always on the Gregorian calendar:
 * Node's `fa`, `prs` and `ps` locales default to the Persian calendar, and a
 * meeting must read as the date people match with a local letter.
 *
 * @example
 * new Intl.DateTimeFormat(dateLocale("prs"), { dateStyle: "long" }).format(date); // "۱۶ دسامبر ۲۰۲۶"
 */
export function dateLocale(code: string): string {
  const locale = languageByCode(code)?.locale ?? code;
  return `${locale}-u-ca-gregory`;
}

/**
 * The language a WhatsApp template goes out in for a person: their own where
 * Meta lists it, else their second language, else English.
 *
 * @example
 * templateLanguage("ti", "de"); // "de"
 * templateLanguage("prs", null); // "fa"
 */
export function templateLanguage(language: string | null, secondLanguage: string | null): string {
  return (
    languageByCode(language)?.whatsappTemplate ?? languageByCode(secondLanguage)?.whatsappTemplate ?? fallbackLanguage
  );
}
