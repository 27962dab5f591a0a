/**
 * Join codes: five characters a learner can read off a board and type on any keyboard ("K7F2Q"),
 * from letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L, 5/S, 8/B).
 */
import { randomInt } from "node:crypto";
import { asciiDigits } from "../domain/digits.ts";

const alphabet = "ACDEFGHJKMNPQRTUVWXY234679";

/** Cyrillic and Greek capitals that look like a code's Latin letters. */
const lookAlikes: Readonly<Record<string, string>> = {
  А: "A",
  С: "C",
  Е: "E",
  Н: "H",
  К: "K",
  М: "M",
  Р: "P",
  Т: "T",
  Х: "X",
  У: "Y",
  Α: "A",
  Ε: "E",
  Η: "H",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ρ: "P",
  Τ: "T",
  Χ: "X",
  Υ: "Y",
};
const codeLength = 5;

/**
 * A new random join code (the caller checks that no class has it).
 *
 * @example
 * newJoinCode(); // "K7F2Q"
 */
export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < codeLength; i++) code += alphabet[randomInt(alphabet.length)];
  return code;
}

/**
 * A code as typed ("k7f 2q", "K7F-2Q", Persian digits) in the form it is stored, or undefined when it
 * cannot be a code.
 *
 * @example
 * normalizeJoinCode(" k7f-2q "); // "K7F2Q"
 * normalizeJoinCode("K7F2"); // undefined
 */
export function normalizeJoinCode(typed: string): string | undefined {
  // Full-width letters (Ｋ７), direction marks a right-to-left keyboard adds, quotes around the code,
  // and Cyrillic or Greek letters that look like the Latin ones on the board (К, Р, Τ) all mean the code.
  const plain = [
    ...asciiDigits(typed.normalize("NFKC"))
      .toUpperCase()
      .replace(/[\p{Cf}\s\-_.'"«»“”„‘’]/gu, ""),
  ]
    .map((ch) => lookAlikes[ch] ?? ch)
    .join("");
  if (plain.length !== codeLength) return undefined;
  return [...plain].every((ch) => alphabet.includes(ch)) ? plain : undefined;
}
