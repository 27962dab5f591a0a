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

/** Scratch rows for {@link editDistance}: it runs for many words of a search, so it allocates no rows per call. */
let scratch = {
  x: new Int32Array(64),
  y: new Int32Array(64),
  rows: [new Int32Array(65), new Int32Array(65), new Int32Array(65)],
};

/** The code points of a text into scratch `which` (grown if needed), returning how many there are. */
function codePointsInto(text: string, which: "x" | "y"): number {
  let length = 0;
  for (const char of text) {
    if (length === scratch[which].length) grow(length * 2);
    scratch[which][length++] = char.codePointAt(0) ?? 0;
  }
  return length;
}

function grow(size: number): void {
  const copy = (from: Int32Array) => {
    const to = new Int32Array(size);
    to.set(from.subarray(0, Math.min(from.length, size)));
    return to;
  };
  scratch = { x: copy(scratch.x), y: copy(scratch.y), rows: scratch.rows.map(() => new Int32Array(size + 1)) };
}

/**
 * Clears the scratch rows, which hold the code points of the last two words compared (one of them
 * typed by a person), after "delete my data".
 *
 * @example
 * forgetComparedWords();
 */
export function forgetComparedWords(): void {
  scratch.x.fill(0);
  scratch.y.fill(0);
}

/**
 * Edit distance counting a swap of neighbours as one edit (optimal string alignment), over code points.
 * With a `limit`, only the cells within `limit` of the diagonal are filled (no path through the others
 * costs `limit` or less), and any distance past it comes back as `limit + 1`.
 *
 * @example
 * editDistance("docter", "doctor");    // 1
 * editDistance("form", "from");        // 1 (a swap)
 * editDistance("doctor", "lawyer", 2); // 3: more than 2
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const m = codePointsInto(a, "x");
  const n = codePointsInto(b, "y");
  const past = Number.isFinite(limit) ? limit + 1 : m + n + 1;
  if (Math.abs(m - n) >= past) return past;
  const band = Math.min(past - 1, Math.max(m, n));
  const { x, y } = scratch;
  // Three rows in turn: two rows up (for swaps), the row above, and the row being filled.
  let [twoUp, above, row] = scratch.rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) above[j] = j <= band ? j : past;
  for (let i = 1; i <= m; i++) {
    const from = Math.max(1, i - band);
    const to = Math.min(n, i + band);
    // The cells just outside the band read as "too far", for this row and the next.
    row[from - 1] = from === 1 ? i : past;
    if (to < n) row[to + 1] = past;
    let least = row[from - 1] as number;
    for (let j = from; j <= to; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let value = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        value = Math.min(value, (twoUp[j - 2] as number) + 1);
      }
      row[j] = value;
      if (value < least) least = value;
    }
    if (least >= past) return past;
    [twoUp, above, row] = [above, row, twoUp];
  }
  return Math.min(above[n] as number, past);
}

/** An Arabic word without its article, so "عودة" finds "العودة الطوعية". */
function withoutArticle(word: string): string {
  return word.length > 4 && word.startsWith("ال") ? word.slice(2) : word;
}
