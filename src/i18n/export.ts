/**
 * What `npm run i18n -- export` writes, as functions: the CLI and the staff console's downloads
 * call these, so a file downloaded by a translator is the file the CLI gives an admin.
 */
import { toPo } from "./po.ts";
import { sharingParses } from "./shared-parse.ts";
import { contentUnitStatuses, localeUnitStatuses, needsWork, type UnitWithStatus } from "./status.ts";
import type { TranslationUnit } from "./units.ts";

/** Where the texts are: `locales/` and `content/` of the project (or a copy in tests). */
export interface TextRoots {
  localesRoot: string;
  contentRoot: string;
}

/** Which units go into a work file; the options narrow each other. */
export interface ExportSelection {
  /** Only units without any translation (`--missing`). */
  missing?: boolean;
  /** Only units that need a translator: missing, a copy of the English, or outdated UI strings (`--todo`). */
  todo?: boolean;
  /** Only units no person has reviewed yet: missing, machine or outdated (`--unreviewed`). */
  unreviewed?: boolean;
  /** Only keys starting with this (`--prefix content:courses/`). */
  prefix?: string | undefined;
}

/** The two work-file formats. */
export const workFileFormats = ["po", "json"] as const;
export type WorkFileFormat = (typeof workFileFormats)[number];

/**
 * The units of a language a work file holds, in key order of the project (UI strings, then
 * content). `units` are all of the language's units with their status, UI strings first
 * (`localeUnitStatuses` then `contentUnitStatuses`).
 *
 * @example
 * const all = [...localeUnitStatuses("locales", "fa"), ...contentUnitStatuses("content", "fa")];
 * selectUnits(all, "fa", { unreviewed: true }, "locales").length;
 */
export function selectUnits(
  units: readonly UnitWithStatus[],
  language: string,
  selection: ExportSelection,
  localesRoot: string,
): TranslationUnit[] {
  let chosen = selection.unreviewed ? units.filter((u) => u.status !== "reviewed") : units;
  const prefix = selection.prefix;
  if (prefix) chosen = chosen.filter((u) => u.unit.key.startsWith(prefix));
  if (selection.missing) chosen = chosen.filter((u) => u.unit.translation === undefined);
  if (selection.todo) chosen = chosen.filter((u) => needsWork(u.unit, language, localesRoot));
  return chosen.map((u) => u.unit);
}

/**
 * All units of a language with their status, UI strings first, each content file parsed once.
 *
 * @example
 * languageUnits({ localesRoot: "locales", contentRoot: "content" }, "fa").length; // about 2,000
 */
export function languageUnits(roots: TextRoots, language: string): UnitWithStatus[] {
  return sharingParses(() => [
    ...localeUnitStatuses(roots.localesRoot, language),
    ...contentUnitStatuses(roots.contentRoot, language),
  ]);
}

/**
 * The units `npm run i18n -- export --lang <language>` writes with these options.
 *
 * @example
 * exportUnits({ localesRoot: "locales", contentRoot: "content" }, "fa", { unreviewed: true });
 */
export function exportUnits(roots: TextRoots, language: string, selection: ExportSelection): TranslationUnit[] {
  return selectUnits(languageUnits(roots, language), language, selection, roots.localesRoot);
}

/**
 * The text of a work file: a PO file for Poedit or Weblate, or JSON (key to source, context,
 * length limit and translation) for a text editor or a script.
 *
 * @example
 * writeFileSync("fa.po", workFile(units, "fa", "po"));
 */
export function workFile(units: readonly TranslationUnit[], language: string, format: WorkFileFormat): string {
  if (format === "po") return toPo(units, language);
  const entries = units.map((u) => [
    u.key,
    {
      source: u.source,
      ...(u.context ? { context: u.context } : {}),
      ...(u.maxLength ? { maxLength: u.maxLength } : {}),
      translation: u.translation ?? (Array.isArray(u.source) ? [] : ""),
    },
  ]);
  return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
}
