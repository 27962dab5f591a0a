/**
 * The review figures, kept while the files stay as they are. Computing them parses every content
 * file (about a second, on the server's only thread), so a translator paging through a list must
 * not pay it on every click; but an admin may import a reviewed file on the server without a
 * restart, and the console must then show it. So each figure is kept with a fingerprint of the
 * files (names, sizes and modification times, a few milliseconds to read) and made again when the
 * fingerprint changes.
 */
import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { languageUnits, type TextRoots } from "./export.ts";
import { type LanguageSummary, languageSummaries } from "./review.ts";
import type { UnitWithStatus } from "./status.ts";

/**
 * A fingerprint of every file under the roots.
 *
 * @example
 * filesFingerprint({ localesRoot: "locales", contentRoot: "content" }); // "9c1e..."
 */
export function filesFingerprint(roots: TextRoots): string {
  const hash = createHash("sha256");
  for (const root of [roots.localesRoot, roots.contentRoot]) {
    for (const name of readdirSync(root, { recursive: true, encoding: "utf8" }).sort()) {
      const stats = statSync(join(root, name));
      if (stats.isFile()) hash.update(`${root}\0${name}\0${stats.size}\0${stats.mtimeMs}\n`);
    }
  }
  return hash.digest("hex");
}

/**
 * Summaries and per-language unit lists, made again when a file changed. It keeps the lists of the
 * few languages looked at last (a list of a content language holds about 2,000 texts).
 *
 * @example
 * const texts = new ReviewCache({ localesRoot: "locales", contentRoot: "content" });
 * texts.summaries(); texts.units("fa");
 */
export class ReviewCache {
  private fingerprint = "";
  private summaryList: LanguageSummary[] | undefined;
  private readonly lists = new Map<string, UnitWithStatus[]>();

  constructor(
    readonly roots: TextRoots,
    private readonly keep = 3,
  ) {}

  /** Every language's counts. */
  summaries(): LanguageSummary[] {
    this.check();
    this.summaryList ??= languageSummaries(this.roots);
    return this.summaryList;
  }

  /** A language's units with their status, UI strings first. */
  units(language: string): UnitWithStatus[] {
    this.check();
    let list = this.lists.get(language);
    if (list) this.lists.delete(language);
    else list = languageUnits(this.roots, language);
    // Re-inserted last, so the first key is the one looked at longest ago.
    this.lists.set(language, list);
    for (const old of this.lists.keys()) {
      if (this.lists.size <= this.keep) break;
      this.lists.delete(old);
    }
    return list;
  }

  private check(): void {
    const now = filesFingerprint(this.roots);
    if (now === this.fingerprint) return;
    this.fingerprint = now;
    this.summaryList = undefined;
    this.lists.clear();
  }
}

const cachesByRoots = new Map<string, ReviewCache>();

/**
 * The review cache of these folders, one per process: the figures are the files', not an app's, so
 * apps made one after another in one process (as the tests make them) do not parse the same files again.
 *
 * @example
 * reviewCacheFor({ localesRoot: "locales", contentRoot: "content" }).summaries();
 */
export function reviewCacheFor(roots: TextRoots): ReviewCache {
  const key = `${roots.localesRoot}\0${roots.contentRoot}`;
  let cache = cachesByRoots.get(key);
  if (!cache) {
    cache = new ReviewCache(roots);
    cachesByRoots.set(key, cache);
  }
  return cache;
}
