/**
 * What a reviewer of translations looks at: per language, how many texts are missing, machine
 * translated, reviewed by a person or outdated; and one language's texts with the English, the
 * translation and the status, filtered by status and in pages. The statuses are those of
 * `npm run i18n -- status` (src/i18n/status.ts), so the console and the CLI always agree.
 */
import { contentLanguages, type Language, languages } from "../domain/languages.ts";
import type { TextRoots } from "./export.ts";
import { sharingParses } from "./shared-parse.ts";
import { contentStatus, localeStatus, type StatusCounts, type UnitWithStatus } from "./status.ts";

/** The statuses a list can be filtered by, and `all`. */
export const statusFilters = ["missing", "machine", "outdated", "reviewed", "all"] as const;
export type StatusFilter = (typeof statusFilters)[number];

/** How many texts a list page shows. */
export const reviewPageSize = 50;

/** One language's counts: UI strings always, content only in the languages that have content. */
export interface LanguageSummary {
  language: Language;
  ui: StatusCounts;
  /** Undefined where the language has no content (people get content in their second language). */
  content: StatusCounts | undefined;
}

/**
 * The languages to review: every language Lotse speaks but English, which is the source.
 *
 * @example
 * reviewLanguages().map((l) => l.code); // ["de", "ar", "prs", ...]
 */
export function reviewLanguages(): readonly Language[] {
  return languages.filter((l) => l.code !== "en");
}

/**
 * The counts of every language to review, each content file parsed once.
 *
 * @example
 * languageSummaries({ localesRoot: "locales", contentRoot: "content" })[0]?.ui.missing; // 0
 */
export function languageSummaries(roots: TextRoots): LanguageSummary[] {
  return sharingParses(() =>
    reviewLanguages().map((language) => ({
      language,
      ui: localeStatus(roots.localesRoot, language.code),
      content: contentLanguages.includes(language.code) ? contentStatus(roots.contentRoot, language.code) : undefined,
    })),
  );
}

/** One page of a language's list. */
export interface ReviewPage {
  rows: UnitWithStatus[];
  /** How many units match the filter. */
  total: number;
  /** The page shown (1-based; a page past the end shows the last). */
  page: number;
  pages: number;
  /** How many units each filter would show, for the filter's choices. */
  counts: Record<StatusFilter, number>;
}

/**
 * The units with `filter`'s status (all for `all`), page `page` of `size` each.
 *
 * @example
 * reviewPage(languageUnits(roots, "fa"), "outdated", 1).rows.map((r) => r.unit.key);
 */
export function reviewPage(
  units: readonly UnitWithStatus[],
  filter: StatusFilter,
  page: number,
  size = reviewPageSize,
): ReviewPage {
  const counts: Record<StatusFilter, number> = { missing: 0, machine: 0, outdated: 0, reviewed: 0, all: units.length };
  for (const { status } of units) counts[status] += 1;
  const matching = filter === "all" ? units : units.filter((u) => u.status === filter);
  const pages = Math.max(1, Math.ceil(matching.length / size));
  const shown = Math.min(Math.max(1, Math.floor(page)), pages);
  return {
    rows: matching.slice((shown - 1) * size, shown * size),
    total: matching.length,
    page: shown,
    pages,
    counts,
  };
}

/**
 * Whether `value` names a status filter.
 *
 * @example
 * isStatusFilter("machine"); // true
 */
export function isStatusFilter(value: string): value is StatusFilter {
  return (statusFilters as readonly string[]).includes(value);
}
