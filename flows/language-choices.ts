/**
 * The language question's choices, shared by onboarding and settings: every
 * language in its own name and script, the likely one first, and each
 * pickable by its name typed in any of our languages ("farsi", "ukrainisch",
 * "فارسی") through the `languageNames.<code>` word lists in `locales/`.
 */
import { contentLanguages, hasContent, languageByCode, languages } from "../src/domain/languages.ts";
import { msg, type ReplyChoice } from "./kit.ts";

function languageChoice(code: string, prefix: string): ReplyChoice {
  return {
    id: `${prefix}${code}`,
    label: msg("common.raw", { text: languageByCode(code)?.nativeName ?? code }),
    aliasWords: `languageNames.${code}`,
  };
}

/**
 * Every language as a choice (`lang.<code>`), with `first` moved to the top and, for a script other
 * than Latin, the other languages written in it right after it: a guess from a first message's letters
 * cannot always tell them apart ("سلام" is Arabic, Dari, Persian, Pashto and Urdu alike), so each is
 * near the top. Latin is written by too many of them: a Latin guess leaves the usual order after it.
 *
 * @example
 * languageChoices("prs")[0]?.id; // "lang.prs"
 * languageChoices("ar").slice(0, 3).map((c) => c.id); // ["lang.ar", "lang.prs", "lang.ps"]
 */
export function languageChoices(first?: string | null): ReplyChoice[] {
  const guessed = first ? languageByCode(first) : undefined;
  const all = languages.map((l) => l.code);
  const near = (code: string) => guessed?.script !== "Latin" && languageByCode(code)?.script === guessed?.script;
  const ordered = guessed
    ? [
        guessed.code,
        ...all.filter((c) => c !== guessed.code && near(c)),
        ...all.filter((c) => c !== guessed.code && !near(c)),
      ]
    : all;
  return ordered.map((code) => languageChoice(code, "lang."));
}

/**
 * The languages that have every lesson and service, as choices (`second.<code>`), for people whose own has not.
 *
 * @example
 * secondLanguageChoices().length; // 10
 */
export function secondLanguageChoices(): ReplyChoice[] {
  return contentLanguages.map((code) => languageChoice(code, "second."));
}

/** Whether a person who picked this language needs to pick a second one for content. */
export function needsSecondLanguage(code: string | undefined): boolean {
  return code !== undefined && languageByCode(code) !== undefined && !hasContent(code);
}
