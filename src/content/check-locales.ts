/**
 * Checks of the UI strings in `locales/<lang>/*.json`: every file parses, every
 * translation keeps the English placeholders, no word is a global word for two
 * commands, and missing keys are reported as warnings (they fall back to English).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { languageByCode } from "../domain/languages.ts";
import type { ContentProblem } from "./load.ts";

type Tree = { [key: string]: string | string[] | Tree };

/**
 * Validates every locale file under `root` against English.
 *
 * @example
 * const problems = checkLocales("locales");
 */
export function checkLocales(root: string): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const byLanguage = new Map<string, Map<string, { file: string; value: string | string[] }>>();
  for (const lang of readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
    .map((entry) => entry.name)
    .sort()) {
    const flat = new Map<string, { file: string; value: string | string[] }>();
    for (const name of readdirSync(join(root, lang)).filter((f) => f.endsWith(".json"))) {
      const file = relative(process.cwd(), join(root, lang, name));
      try {
        flatten(JSON.parse(readFileSync(join(root, lang, name), "utf8")) as Tree, "", file, flat);
      } catch (error) {
        problems.push({ level: "error", file, message: `not valid JSON: ${(error as Error).message}` });
      }
    }
    byLanguage.set(lang, flat);
  }
  const english = byLanguage.get("en");
  if (!english) return [...problems, { level: "error", file: root, message: "no English (en) locale" }];
  for (const [lang, flat] of byLanguage) {
    if (lang !== "en") compareWithEnglish(lang, flat, english, problems);
    checkGlobalWords(flat, problems);
  }
  return problems;
}

function flatten(
  tree: Tree,
  prefix: string,
  file: string,
  out: Map<string, { file: string; value: string | string[] }>,
): void {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string" || Array.isArray(value)) out.set(path, { file, value });
    else flatten(value, path, file, out);
  }
}

/** A key without its plural suffix: `records_few` -> `records`. */
function baseKey(key: string): string {
  return key.replace(/_(zero|one|two|few|many|other)$/, "");
}

function placeholders(value: string | string[]): string[] {
  const text = Array.isArray(value) ? value.join(" ") : value;
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? "").filter((p) => p !== "count");
}

function compareWithEnglish(
  lang: string,
  flat: Map<string, { file: string; value: string | string[] }>,
  english: Map<string, { file: string; value: string | string[] }>,
  problems: ContentProblem[],
): void {
  const bases = new Set([...flat.keys()].map(baseKey));
  for (const [key, { file, value }] of english) {
    if (!bases.has(baseKey(key))) {
      // Every language Lotse offers must be complete: a missing string would reach people in English.
      problems.push({
        level: languageByCode(lang) ? "error" : "warning",
        file: file.replace("/en/", `/${lang}/`),
        field: key,
        message: `missing ${lang} translation`,
      });
      continue;
    }
    const own = flat.get(key) ?? flat.get(`${baseKey(key)}_other`);
    if (!own) continue;
    const missing = placeholders(value).filter((p) => !placeholders(own.value).includes(p));
    const unknown = placeholders(own.value).filter((p) => !placeholders(value).includes(p));
    if (unknown.length > 0) {
      problems.push({
        level: "error",
        file: own.file,
        field: key,
        message: `placeholder {{${unknown.join("}}, {{")}}} is not in the English (nothing would fill it)`,
      });
    }
    if (missing.length > 0) {
      problems.push({
        level: "error",
        file: own.file,
        field: key,
        message: `lost placeholder {{${missing.join("}}, {{")}}}`,
      });
    }
  }
}

function checkGlobalWords(
  flat: Map<string, { file: string; value: string | string[] }>,
  problems: ContentProblem[],
): void {
  const owner = new Map<string, string>();
  for (const [key, { file, value }] of flat) {
    if (!key.startsWith("global.") || !Array.isArray(value)) continue;
    for (const word of value) {
      const normal = word.trim().toLocaleLowerCase();
      const previous = owner.get(normal);
      if (previous && previous !== key) {
        problems.push({ level: "error", file, field: key, message: `"${word}" is also a word for ${previous}` });
      }
      owner.set(normal, key);
    }
  }
}
