/**
 * Weighted words of many things (a city's services, every lesson), indexed so
 * that a typed word is compared with each distinct word once, not once per
 * thing that has it: a category's words in every language belong to all the
 * category's services, and comparing with typos is the cost of a search.
 */

import { memoryTermOver } from "../domain/memory-term.ts";
import { editDistance, forgetComparedWords } from "../engine/choice-match.ts";

/** A word to match with its weight (category words and keywords weigh most). */
export interface Term {
  word: string;
  weight: number;
}

/**
 * How well one typed word matches one term: 1 exact, less for prefixes and typos.
 *
 * @example
 * wordMatch("docter", "doctor"); // 0.6
 */
export function wordMatch(typed: string, term: string): number {
  if (typed === term) return 1;
  if (typed.length >= 3 && term.length >= 4 && term.startsWith(typed)) return 0.8;
  // An ending on the typed word: طبيبا for طبيب, Ärzte for Arzt's plural, doktoru for doktor.
  if (term.length >= 3 && typed.length - term.length <= 2 && typed.length > term.length && typed.startsWith(term))
    return 0.8;
  if (typed.length >= 4 && term.length >= 4) {
    const allowed = typed.length >= 8 ? 2 : 1;
    if (Math.abs(typed.length - term.length) <= allowed && editDistance(typed, term, allowed) <= allowed) return 0.6;
  }
  return 0;
}

/** How many typed words an index remembers the matches of: people ask for the same things ("doctor", "Arzt"). */
const rememberedWords = 500;

/** One index's remembered typed words, each with the words it matched (position and how well), oldest first. */
type Remembered = Map<string, { word: number; match: number }[]>;

/**
 * What every index remembers, in one place: remembered typed words are what people typed, and like
 * parsed prompts and live snapshots they are all dropped at once after "delete my data"
 * ({@link forgetTypedWords}) and at least every ten minutes.
 */
let rememberedBy = new WeakMap<object, Remembered>();
let rememberedSince = Date.now();
const rememberForMs = 10 * 60_000;

/**
 * Makes every term index forget the typed words it remembers, at once (after "delete my data": nothing
 * a person typed may stay in this process's memory), and the edit distance its last two words.
 *
 * @example
 * forgetTypedWords();
 */
export function forgetTypedWords(): void {
  rememberedBy = new WeakMap();
  rememberedSince = Date.now();
  forgetComparedWords();
}

function rememberedOf(index: object): Remembered {
  if (memoryTermOver(rememberedSince, rememberForMs)) forgetTypedWords();
  let remembered = rememberedBy.get(index);
  if (remembered === undefined) {
    remembered = new Map();
    rememberedBy.set(index, remembered);
  }
  return remembered;
}

/**
 * Scores typed words against the terms of many things, as `scoreTerms` does for each of them.
 *
 * @example
 * const index = new TermIndex([{ item: "doctor", terms: [{ word: "arzt", weight: 3 }] }]);
 * index.score(["arzt"]); // [{ item: "doctor", score: 3 }]
 */
export class TermIndex<T> {
  readonly #items: T[];
  /** Every distinct word, and for each the things that have it with their greatest weight for it. */
  readonly #words: string[] = [];
  readonly #postings: { thing: number; weight: number }[][] = [];

  constructor(things: readonly { item: T; terms: readonly Term[] }[]) {
    this.#items = things.map((t) => t.item);
    const position = new Map<string, number>();
    things.forEach(({ terms }, thing) => {
      for (const { word, weight } of terms) {
        let at = position.get(word);
        if (at === undefined) {
          at = this.#words.push(word) - 1;
          this.#postings.push([]);
          position.set(word, at);
        }
        const postings = this.#postings[at] as { thing: number; weight: number }[];
        const last = postings.at(-1);
        // A word a thing has twice (a category word that is also its keyword) counts with its greatest weight.
        if (last?.thing === thing) last.weight = Math.max(last.weight, weight);
        else postings.push({ thing, weight });
      }
    });
  }

  /** Every thing with its score, in the order given: for each typed word its best match, summed. */
  score(typed: readonly string[]): { item: T; score: number }[] {
    const scores = new Float64Array(this.#items.length);
    const best = new Float64Array(this.#items.length);
    for (const typedWord of typed) {
      best.fill(0);
      for (const { word, match } of this.#matchesOf(typedWord)) {
        for (const { thing, weight } of this.#postings[word] ?? []) {
          best[thing] = Math.max(best[thing] as number, match * weight);
        }
      }
      for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) + (best[i] as number);
    }
    return this.#items.map((item, i) => ({ item, score: scores[i] as number }));
  }

  /** How many typed words it remembers the matches of now. */
  get remembered(): number {
    return rememberedOf(this).size;
  }

  /** Whether it remembers what this typed word matched (it does not count as looking it up). */
  remembers(typed: string): boolean {
    return rememberedOf(this).has(typed);
  }

  #matchesOf(typed: string): { word: number; match: number }[] {
    const matches = rememberedOf(this);
    const remembered = matches.get(typed);
    if (remembered) {
      // Looked up again: now the most recent, forgotten last.
      matches.delete(typed);
      matches.set(typed, remembered);
      return remembered;
    }
    const found: { word: number; match: number }[] = [];
    this.#words.forEach((word, at) => {
      const match = wordMatch(typed, word);
      if (match > 0) found.push({ word: at, match });
    });
    matches.set(typed, found);
    if (matches.size > rememberedWords) matches.delete(matches.keys().next().value as string);
    return found;
  }
}
