/**
 * `npm run i18n -- status`: per language, how many UI strings and content
 * texts are translated, and of those how many are machine translations,
 * reviewed by a person, or outdated (the English changed since).
 */
import { existsSync, readFileSync } from "node:fs";
import { contentLanguages, languages } from "../domain/languages.ts";
import { readYaml } from "./shared-parse.ts";
import { contentUnits, localeUnits, type TranslationUnit } from "./units.ts";
import { collectEnglish, localeStatusPath, type StatusRecord, sourceHash } from "./work-files.ts";

/** Counts for one language and one kind of text. */
export interface StatusCounts {
  total: number;
  missing: number;
  machine: number;
  reviewed: number;
  outdated: number;
}

/** Where one unit stands: `outdated` when the English changed after the translation was made. */
export type UnitStatus = "missing" | "machine" | "reviewed" | "outdated";

/** A unit with its status (the counts below are tallies of these). */
export interface UnitWithStatus {
  unit: TranslationUnit;
  status: UnitStatus;
}

/**
 * UI-string counts for a language; a unit is missing when absent or equal to
 * the English (other than names, numbers and links), outdated when its
 * recorded source hash differs from the English now.
 *
 * @example
 * localeStatus("locales", "fa").missing; // 0 when complete
 */
export function localeStatus(localesRoot: string, language: string): StatusCounts {
  return tally(localeUnitStatuses(localesRoot, language));
}

/**
 * Content counts for a language, by item status and per text presence.
 *
 * @example
 * contentStatus("content", "uk").missing; // 0 when complete
 */
export function contentStatus(contentRoot: string, language: string): StatusCounts {
  return tally(contentUnitStatuses(contentRoot, language));
}

/**
 * Every UI-string unit of a language with its status, in the order of {@link localeUnits}.
 *
 * @example
 * localeUnitStatuses("locales", "fa").filter((u) => u.status === "outdated");
 */
export function localeUnitStatuses(localesRoot: string, language: string): UnitWithStatus[] {
  const records = readLocaleRecords(localesRoot, language);
  return withStatus(localeUnits(localesRoot, language), language, (unit) => records[unit.key.replace(/^locale:/, "")]);
}

/**
 * Every content unit of a language with its status, in the order of {@link contentUnits}. A content
 * item (one file) is marked as a whole, so all its translated texts share the item's status.
 *
 * @example
 * contentUnitStatuses("content", "uk").filter((u) => u.status === "machine").length;
 */
export function contentUnitStatuses(contentRoot: string, language: string): UnitWithStatus[] {
  const records = new Map<string, StatusRecord | undefined>();
  const recordOf = (unit: TranslationUnit): StatusRecord | undefined => {
    const file = unit.key.slice("content:".length).split("#")[0] ?? "";
    if (!records.has(file)) records.set(file, itemRecord(`${contentRoot}/${file}`, language));
    return records.get(file);
  };
  return withStatus(contentUnits(contentRoot, language), language, recordOf, true);
}

function itemRecord(path: string, language: string): (StatusRecord & { current: string }) | undefined {
  const data = readYaml(path) as { translations?: Record<string, unknown> };
  const entry = data.translations?.[language];
  const current = sourceHash(collectEnglish(data));
  if (entry && typeof entry === "object") return { ...(entry as StatusRecord), current };
  if (entry === "reviewed" || entry === "machine") return { status: entry, source: current, current };
  return undefined;
}

function withStatus(
  units: TranslationUnit[],
  language: string,
  recordOf: (unit: TranslationUnit) => (StatusRecord & { current?: string }) | undefined,
  itemLevel = false,
): UnitWithStatus[] {
  return units.map((unit) => {
    if (!isTranslated(unit, language)) return { unit, status: "missing" };
    const record = recordOf(unit);
    const current = itemLevel ? record?.current : sourceHash(unit.source);
    if (record && current && record.source !== current) return { unit, status: "outdated" };
    return { unit, status: record?.status === "reviewed" ? "reviewed" : "machine" };
  });
}

function tally(units: readonly UnitWithStatus[]): StatusCounts {
  const counts: StatusCounts = { total: units.length, missing: 0, machine: 0, reviewed: 0, outdated: 0 };
  for (const { status } of units) counts[status] += 1;
  return counts;
}

/**
 * Texts that may equal the English: numbers, emoji, single tokens (links, file names, codes, tags),
 * and names in capitals and digits ("REAG/GARP 2.0", "IOM").
 */
const sameAsEnglishAllowed = /^[\p{N}\p{P}\p{S}\s]*$|^\S+$|^[\p{Lu}\p{N}\p{P}\p{S}\s]+$/u;

/**
 * Whether a unit has a real translation: present, and not a copy of the
 * English unless it is only a name, number or link.
 */
export function isTranslated(unit: TranslationUnit, language: string): boolean {
  const { translation, source } = unit;
  if (translation === undefined) return false;
  if (Array.isArray(translation)) return translation.length > 0;
  if (language === "en") return true;
  if (translation.trim() === "") return false;
  // A service's short name may be its own name in every language ("Welcome Center", "YİMER 157").
  if (unit.key.endsWith("#shortName")) return true;
  const withoutPlaceholders = translation.replace(/\{\{\s*[\w.]+\s*\}\}/g, "").trim();
  return (
    translation !== source ||
    sameAsEnglishAllowed.test(withoutPlaceholders) ||
    isName(withoutPlaceholders) ||
    // Code in a coding lesson (`<a href="…">`, `let city`) is the same in every language; elsewhere an
    // English sentence with "=" in it is still an untranslated copy.
    (unit.key.includes("courses/coding-") &&
      (looksLikeCode(withoutPlaceholders) || /#quiz\.\d+\.options\./.test(unit.key))) ||
    // A person's or a licence's name ("Omar Haddad", "Creative Commons") or a file name stays as it is.
    (unit.key.startsWith("content:") &&
      (/^(\p{Lu}[\p{L}'-]*)(\s\p{Lu}[\p{L}'-]*){0,2}$/u.test(withoutPlaceholders) ||
        /^[^\s/]+( [^\s/]+)*\.(docx?|pdf|jpe?g|png|txt|xlsx?)$/i.test(withoutPlaceholders)))
  );
}

/** HTML tags, assignments, calls or keywords: text a learner types into an editor as it stands. */
function looksLikeCode(text: string): boolean {
  return /<\/?[a-z][a-z0-9]*[\s>]|=|\(\)|;$|^(let|const|var|function|git) /i.test(text);
}

/** Words many languages write as English does: names of cities, apps and things (German "Online", "App"). */
const international = new Set(
  "mainz leipzig lund palermo trikala aydın sandefjord english deutsch whatsapp telegram ok online app apps internet wi-fi pin sms e-mail email link video chat quiz".split(
    " ",
  ),
);

/** A text made only of names and international words (placeholders, numbers and emoji aside). */
function isName(text: string): boolean {
  const words = text.toLocaleLowerCase().match(/[\p{L}-]+/gu) ?? [];
  return words.length > 0 && words.every((w) => international.has(w));
}

/**
 * Prints the table and returns the exit code (0).
 *
 * @example
 * printStatus("locales", "content", console.log);
 */
export function printStatus(localesRoot: string, contentRoot: string, print: (line: string) => void): number {
  const row = (cells: (string | number)[]) => cells.map((c, i) => String(c).padEnd(i === 0 ? 6 : 10)).join(" ");
  print(row(["lang", "kind", "complete", "missing", "machine", "reviewed", "outdated", "total"]));
  let complete = { ui: 0, content: 0 };
  for (const language of languages) {
    const ui = localeStatus(localesRoot, language.code);
    const uiComplete = ui.missing === 0;
    if (uiComplete) complete = { ...complete, ui: complete.ui + 1 };
    print(
      row([
        language.code,
        "interface",
        uiComplete ? "yes" : "no",
        ui.missing,
        ui.machine,
        ui.reviewed,
        ui.outdated,
        ui.total,
      ]),
    );
    if (!contentLanguages.includes(language.code)) continue;
    const content = contentStatus(contentRoot, language.code);
    const contentComplete = content.missing === 0;
    if (contentComplete) complete = { ...complete, content: complete.content + 1 };
    print(
      row([
        "",
        "content",
        contentComplete ? "yes" : "no",
        content.missing,
        content.machine,
        content.reviewed,
        content.outdated,
        content.total,
      ]),
    );
  }
  print(
    `interface complete in ${complete.ui} of ${languages.length} languages; content complete in ${complete.content} of ${contentLanguages.length}`,
  );
  return 0;
}

/**
 * Whether a unit needs a translator: missing, a copy of the English, or
 * made from an English text that has changed since (UI strings; content
 * items are tracked as a whole by `contentStatus`).
 *
 * @example
 * localeUnits("locales", "fa").filter((u) => needsWork(u, "fa"));
 */
export function needsWork(unit: TranslationUnit, language: string, localesRoot = "locales"): boolean {
  if (!isTranslated(unit, language)) return true;
  if (!unit.key.startsWith("locale:")) return false;
  const records = localeRecords(localesRoot, language);
  const record = records[unit.key.replace(/^locale:/, "")];
  return record !== undefined && record.source !== sourceHash(unit.source);
}

const recordCache = new Map<string, Record<string, StatusRecord>>();

function localeRecords(localesRoot: string, language: string): Record<string, StatusRecord> {
  const key = `${localesRoot}:${language}`;
  let records = recordCache.get(key);
  if (!records) {
    records = readLocaleRecords(localesRoot, language);
    recordCache.set(key, records);
  }
  return records;
}

/** The status records of one language's UI strings, as stored now. */
function readLocaleRecords(localesRoot: string, language: string): Record<string, StatusRecord> {
  const path = localeStatusPath(localesRoot, language);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, StatusRecord>) : {};
}
