/**
 * The person code in the research export: HMAC-SHA256 of the chat address under
 * `RESEARCH_HASH_KEY`. The same person gets the same code in every export made with the same key,
 * so researchers can follow a learner over time; without the key nobody can compute the code
 * of a known address, and a new key gives everyone new codes (a fresh, unlinkable data set).
 */
import { createHmac } from "node:crypto";
import { LotseError } from "../domain/errors.ts";

/** The shortest key accepted (as in src/config.ts). */
export const minKeyLength = 16;

/**
 * The person's code under `key`: 64 lower-case hex digits.
 *
 * @example
 * researchHash("a-long-random-research-key", "telegram:12345"); // "3f2a…"
 */
export function researchHash(key: string, address: string): string {
  if (key.length < minKeyLength) {
    throw new LotseError("config.invalid", `RESEARCH_HASH_KEY: at least ${minKeyLength} characters`);
  }
  // A label before the address: a code made for research is never the same as another keyed hash of it.
  return createHmac("sha256", key).update(`lotse-research:${address}`).digest("hex");
}
