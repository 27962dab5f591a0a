/**
 * The `.env` file the README tells people to fill in. Node reads it
 * (`process.loadEnvFile`, Node 20.12+), but its parser skips a line it cannot
 * read without a word, so a typo would silently leave a variable unset: the
 * lines are checked first, and the first bad one stops the start with its
 * line number (never its content, which may be a token).
 */
import { readFileSync } from "node:fs";
import { LotseError } from "../domain/errors.ts";

/** `NAME=value`, optionally after `export`, as Node's parser reads it. */
const assignment = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=(.*)$/;

/**
 * The 1-based number of the first line that is neither blank, a comment, an
 * assignment nor part of a quoted value spanning lines; undefined when all are.
 *
 * @example
 * firstMalformedLine("A=1\noops\n"); // 2
 */
export function firstMalformedLine(text: string): number | undefined {
  const lines = text.split(/\r?\n/);
  let openQuote: string | undefined;
  for (const [index, line] of lines.entries()) {
    if (openQuote) {
      if (line.includes(openQuote)) openQuote = undefined;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const match = assignment.exec(line);
    if (!match) return index + 1;
    const value = (match[1] ?? "").trim();
    const quote = value[0];
    // A quoted value may span lines (Node reads multi-line double, single and back quotes).
    if ((quote === '"' || quote === "'" || quote === "`") && value.indexOf(quote, 1) === -1) openQuote = quote;
  }
  return openQuote ? lines.length : undefined;
}

/**
 * Loads `path` into `process.env` if it exists. Variables already in the
 * environment win over the file (so `PORT=4000 npm start` does what it says).
 * Throws `config.invalid` with one line naming the file and the bad line.
 *
 * @example
 * loadEnvFile(); // reads ./.env, if there is one
 */
export function loadEnvFile(path = ".env"): boolean {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new LotseError("config.invalid", `${path}: cannot read the file (${code})`, { cause: error });
  }
  const bad = firstMalformedLine(text);
  if (bad !== undefined) {
    throw new LotseError(
      "config.invalid",
      `${path}: line ${bad} is not NAME=value (a comment starts with #; a value spanning lines needs quotes)`,
    );
  }
  // Node's loader already leaves variables that are set alone: the real environment wins.
  process.loadEnvFile(path);
  return true;
}
