/**
 * The order a person sees a question's options in: shuffled, so the right answer's place tells
 * nothing (it was "D" in 7 of 9 four-option questions), and stable for that person, so a review
 * shows the question as they first saw it. Pure: the seed comes from the person's address, hashed
 * once, never the address itself.
 */
import { createHash } from "node:crypto";

/**
 * A person's seed for the option order: a hash of their address, not reversible.
 *
 * @example
 * learnerSeed("telegram:42"); // "9f2c…" (16 hex digits)
 */
export function learnerSeed(address: string): string {
  return createHash("sha256").update(`lotse/option-order\u0000${address}`).digest("hex").slice(0, 16);
}

/**
 * The original indexes of a question's options in the order this person sees them.
 * Without a seed (no person), the content's order.
 *
 * @example
 * optionOrder("9f2c4a…", "strong-passwords/q1", 3); // e.g. [2, 0, 1]
 */
export function optionOrder(seed: string, question: string, count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  if (!seed) return order;
  const random = mulberry32(fnv1a(`${seed}\u0000${question}`));
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** FNV-1a, 32 bits: a seed for the generator below from any text. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A small seeded generator of numbers in [0, 1): the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
