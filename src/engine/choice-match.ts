/**
 * Matching a typed answer to one of the offered choices: by its number, by
 * its label in any language, by a word of it, or with a small typo. Only an
 * unambiguous match counts; anything else is passed on as text.
 */
import { normalizeText, wordsOf } from "./normalize.ts";

/** A choice with every text that may pick it (labels in all languages, aliases). */
export interface MatchableChoice {
  id: string;
  texts: string[];
}

/**
 * The id of the choice the text picks, or undefined.
 *
 * @example
 * matchChoice("2", choices);          // the second choice
 * matchChoice("yes", [{ id: "y", texts: ["Yes, I agree"] }]); // "y"
 * // strict (the text is also a global word): only a number, the label, or words all in the label
 * matchChoice("delete my data", [{ id: "d", texts: ["My data"] }], { strict: true }); // undefined
 */
export function matchChoice(
  text: string,
  choices: readonly MatchableChoice[],
  options: { numbers?: boolean; strict?: boolean } = {},
): string | undefined {
  const typed = normalizeText(text);
  if (typed.length === 0) return undefined;
  if (options.numbers === false && /^\d+$/.test(typed)) return undefined;
  return (
    byNumber(typed, choices) ??
    unique(choices.filter((c) => c.texts.some((t) => normalizeText(t) === typed))) ??
    unique(choices.filter((c) => c.texts.some((t) => sharesWords(typed, t, options.strict === true)))) ??
    (options.strict ? undefined : unique(choices.filter((c) => c.texts.some((t) => nearlyEqual(typed, t)))))
  );
}

function byNumber(typed: string, choices: readonly MatchableChoice[]): string | undefined {
  const match = /^(\d{1,2})(?:[).:]?)$/.exec(typed);
  if (!match) return undefined;
  return choices[Number(match[1]) - 1]?.id;
}

function unique(found: readonly MatchableChoice[]): string | undefined {
  const ids = new Set(found.map((c) => c.id));
  return ids.size === 1 ? found[0]?.id : undefined;
}

/**
 * All the typed words appear in the label, or (unless `strict`) all the
 * label's words appear in what was typed.
 */
function sharesWords(typed: string, label: string, strict: boolean): boolean {
  const typedWords = wordsOf(typed).map(withoutArticle);
  const labelWords = wordsOf(label).map(withoutArticle);
  if (typedWords.length === 0 || labelWords.length === 0) return false;
  const meaningful = typedWords.filter((w) => w.length > 1 || /\p{N}/u.test(w));
  if (meaningful.length === 0) return false;
  return (
    meaningful.every((w) => labelWords.includes(w)) || (!strict && labelWords.every((w) => typedWords.includes(w)))
  );
}

/** One typo in a word of 4 to 7 letters, two in a longer one. */
function nearlyEqual(typed: string, label: string): boolean {
  const candidates = [normalizeText(label), ...wordsOf(label)];
  return candidates.some((c) => {
    if (c.length < 4 || typed.length < 4) return false;
    const allowed = c.length >= 8 ? 2 : 1;
    return Math.abs(c.length - typed.length) <= allowed && editDistance(typed, c, allowed) <= allowed;
  });
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const x = [...a];
  const y = [...b];
  const rows: number[][] = [Array.from({ length: y.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      const above = rows[i - 1] ?? [];
      let value = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        value = Math.min(value, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(value);
    }
    if (Math.min(...row) > limit) return Math.min(...row);
    rows.push(row);
  }
  return rows[x.length]?.[y.length] ?? 0;
}

/** An Arabic word without its article, so "عودة" finds "العودة الطوعية". */
function withoutArticle(word: string): string {
  return word.length > 4 && word.startsWith("ال") ? word.slice(2) : word;
}
