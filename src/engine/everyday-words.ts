/**
 * Everyday words: greetings, thanks, and the yes, no and "go on" that people
 * type instead of tapping a button. They mean the same in every language;
 * their word lists live in `locales/<lang>/words.json` (`everyday.*`).
 */
import type { ChoiceRole, ReplyChoice } from "../../flows/kit.ts";
import type { Translator } from "../i18n/index.ts";
import { normalizeText } from "./normalize.ts";

/** What an everyday word means. */
export type EverydayMeaning = "greeting" | "thanks" | ChoiceRole;

const meanings: EverydayMeaning[] = ["greeting", "thanks", "yes", "no", "next"];

/** Recognises everyday words typed alone ("ok", "Danke!", "نعم"). */
export interface EverydayWords {
  match(text: string): EverydayMeaning | undefined;
}

/**
 * Builds the matcher from every loaded language's `everyday.*` lists.
 *
 * @example
 * createEverydayWords(translator).match("Weiter"); // "next"
 */
export function createEverydayWords(translator: Translator): EverydayWords {
  const byWord = new Map<string, EverydayMeaning>();
  for (const language of translator.languages) {
    for (const meaning of meanings) {
      for (const word of translator.words(language, `everyday.${meaning}`)) {
        const key = normalizeText(word);
        if (key && !byWord.has(key)) byWord.set(key, meaning);
      }
    }
  }
  return { match: (text) => byWord.get(normalizeText(text)) };
}

/** Choice ids by convention: `<something>.yes`, `.no`, `.next`. */
const roleById: Record<string, ChoiceRole> = { yes: "yes", no: "no", next: "next", continue: "next" };

/**
 * The part a choice plays: set by its flow, or read from its id's last part.
 *
 * @example
 * roleOf({ id: "news.no", label: msg("onboarding.news.no") }); // "no"
 */
export function roleOf(choice: Pick<ReplyChoice, "id" | "role">): ChoiceRole | undefined {
  return choice.role ?? roleById[choice.id.split(".").at(-1) ?? ""];
}

/**
 * The one visible choice an everyday word picks, if exactly one plays that
 * part; "ok" also takes the only "yes" of a question without a "next".
 *
 * @example
 * choiceForMeaning("no", prompt.choices); // "news.no"
 */
export function choiceForMeaning(meaning: ChoiceRole, choices: readonly ReplyChoice[]): string | undefined {
  const withRole = (role: ChoiceRole) => choices.filter((c) => roleOf(c) === role);
  let found = withRole(meaning);
  // "ok" takes the only yes of a question without a "go on"; "yes" takes the only "go on" of one without a yes.
  if (found.length === 0 && meaning === "next") found = withRole("yes").filter((c) => !c.consent);
  if (found.length === 0 && meaning === "yes") found = withRole("next");
  return found.length === 1 ? found[0]?.id : undefined;
}
