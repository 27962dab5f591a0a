/**
 * Translation units: every translatable text of the project, as one list a
 * translator (a person with Poedit or Weblate, or a careful machine
 * translation) can work through. A unit is a UI string of `locales/` or a
 * field of a content file, named by a stable key:
 *
 * - `locale:<file>#<dotted.key>`, such as `locale:core#engine.notUnderstood`;
 * - `content:<path>#<field.path>`, such as
 *   `content:courses/safe-online/lessons/phone-updates.yaml#steps.0.text`.
 *
 * Word lists (global words, search words, keywords) are units whose source
 * and translation are arrays: a translator gives the words people of that
 * language type, not a word-for-word copy.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { readYaml } from "./shared-parse.ts";

/** A translatable text or word list with its English source. */
export interface TranslationUnit {
  key: string;
  source: string | string[];
  /** The text in the target language, when there is one. */
  translation?: string | string[];
  /** What a translator needs to know: where it appears, its length limit, a plural form. */
  context?: string;
  /** The longest a translation may be, in characters (a button, a list row). */
  maxLength?: number;
  /** The English the translation was made from, when a work file says so (it may be older than `source`). */
  madeFrom?: string | string[];
}

type Tree = { [key: string]: unknown };

/** Plural suffixes i18next uses, from `Intl.PluralRules` categories. */
const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/**
 * The UI-string units of `language`, with the plural forms that language needs
 * (Arabic has six, Ukrainian four) derived from the English `_one`/`_other` pair.
 *
 * @example
 * localeUnits("locales", "uk").find((u) => u.key === "locale:meetings#meetings.placesLeft_few");
 */
export function localeUnits(root: string, language: string): TranslationUnit[] {
  const units: TranslationUnit[] = [];
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  for (const file of jsonFiles(join(root, "en"))) {
    const ns = file.replace(/\.json$/, "");
    const english = flatten(readJson(join(root, "en", file)));
    const target = flatten(readJson(join(root, language, file)));
    const seenPlural = new Set<string>();
    for (const [key, source] of english) {
      const base = key.replace(pluralSuffix, "");
      if (base !== key) {
        if (seenPlural.has(base)) continue;
        seenPlural.add(base);
        for (const category of categories) {
          const formKey = `${base}_${category}`;
          const englishForm = english.get(`${base}_${category === "one" ? "one" : "other"}`) ?? source;
          units.push({
            key: `locale:${ns}#${formKey}`,
            source: englishForm,
            translation: target.get(formKey),
            context: `plural form "${category}" (${pluralExample(language, category)}) of ${base}`,
          });
        }
        continue;
      }
      units.push({ key: `locale:${ns}#${key}`, source, translation: target.get(key), context: localeContext(ns, key) });
    }
  }
  return units;
}

/**
 * The content units of `language`: every text map (with an English text) and
 * every keyword map of every content file.
 *
 * @example
 * contentUnits("content", "fa").length; // about 1,700
 */
export function contentUnits(root: string, language: string): TranslationUnit[] {
  const units: TranslationUnit[] = [];
  for (const path of yamlFiles(root)) {
    const file = relative(root, path);
    const data = readYaml(path);
    collect(data, [], (fieldPath, map) => {
      const key = `content:${file}#${fieldPath.join(".")}`;
      const limit = contentLimit(file, fieldPath);
      units.push({
        key,
        source: map.en as string | string[],
        translation: map[language] as string | string[] | undefined,
        context: contentContext(file, fieldPath),
        ...(limit ? { maxLength: limit } : {}),
      });
    });
  }
  return units;
}

/** Walks parsed YAML and reports every map that holds an English text or word list. */
function collect(node: unknown, path: string[], found: (path: string[], map: Tree) => void): void {
  if (Array.isArray(node)) {
    for (const [index, child] of node.entries()) collect(child, [...path, String(index)], found);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const map = node as Tree;
  const last = path[path.length - 1];
  // `translations` maps language to a status, not to a text.
  if (last === "translations") return;
  if (typeof map.en === "string" || (Array.isArray(map.en) && map.en.every((w) => typeof w === "string"))) {
    found(path, map);
    return;
  }
  for (const [key, child] of Object.entries(map)) collect(child, [...path, key], found);
}

/** Content limits by field, in characters (see the content schemas). */
function contentLimit(file: string, path: string[]): number | undefined {
  const field = path.filter((p) => !/^\d+$/.test(p)).join(".");
  if (file.startsWith("courses/")) {
    const limits: Record<string, number> = {
      title: 24,
      summary: 72,
      "steps.text": 500,
      "quiz.question": 300,
      "quiz.options.text": 120,
      "quiz.options.feedback": 300,
      "quiz.explanation": 400,
    };
    return limits[field];
  }
  if (file.startsWith("cities/"))
    return ({ shortName: 24, helpsWith: 300, hours: 200 } as Record<string, number>)[field];
  if (file.startsWith("return/")) return ({ title: 24, body: 1000 } as Record<string, number>)[field];
  return undefined;
}

function contentContext(file: string, path: string[]): string {
  const field = path.join(".");
  if (path[0] === "keywords") return "search words people of this language type to find this service (a list)";
  if (field === "title" || field === "shortName") return "a short name on a button or list row";
  if (field === "summary") return "one line under a title in a list";
  return `${file.split("/")[0]} ${field}`;
}

function localeContext(ns: string, key: string): string | undefined {
  if (ns === "words") return "a list of words people type; give the words people of this language really use";
  if (/(label|button|yes|no|more|choose|back|toMenu)$/i.test(key)) return "a button label: keep it short";
  return undefined;
}

/** An example number for a plural category in a language ("2-4" style help for translators). */
function pluralExample(language: string, category: string): string {
  const rules = new Intl.PluralRules(language);
  const examples: number[] = [];
  for (let n = 0; n <= 111 && examples.length < 3; n += 1) if (rules.select(n) === category) examples.push(n);
  return examples.length > 0 ? `for example ${examples.join(", ")}` : "fractions";
}

/** Flattens a locale tree to dotted keys, keeping word lists whole. */
export function flatten(
  tree: Tree,
  prefix = "",
  out = new Map<string, string | string[]>(),
): Map<string, string | string[]> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string" || Array.isArray(value)) out.set(path, value as string | string[]);
    else if (value && typeof value === "object") flatten(value as Tree, path, out);
  }
  return out;
}

function readJson(path: string): Tree {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Tree;
  } catch {
    return {};
  }
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

function yamlFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".yaml") && !name.startsWith("glossary/"))
    .sort()
    .map((name) => join(root, name));
}
