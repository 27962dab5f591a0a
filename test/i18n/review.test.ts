/**
 * The review figures on a copy of the real texts: a reviewed import shows as reviewed, a changed
 * English as outdated (per string for the interface, per item for content), the lists filter and
 * page, the unreviewed export leaves out only what a person checked, the cache notices changed
 * files, and glossaries are read as written.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDocument, parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { isLotseError } from "../../src/domain/errors.ts";
import { languageUnits, selectUnits, type TextRoots } from "../../src/i18n/export.ts";
import { readGlossary } from "../../src/i18n/glossary.ts";
import { reviewPage } from "../../src/i18n/review.ts";
import { ReviewCache } from "../../src/i18n/review-cache.ts";
import { contentStatus, localeStatus, type UnitWithStatus } from "../../src/i18n/status.ts";
import type { TranslationUnit } from "../../src/i18n/units.ts";
import { importUnits } from "../../src/i18n/work-files.ts";

let dir = "";
let roots: TextRoots;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lotse-review-"));
  cpSync("locales", join(dir, "locales"), { recursive: true });
  cpSync("content", join(dir, "content"), { recursive: true });
  roots = { localesRoot: join(dir, "locales"), contentRoot: join(dir, "content") };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function markReviewed(units: TranslationUnit[]): void {
  const problems = importUnits(units, { ...roots, language: "fa", status: "reviewed", by: "Test", at: "2026-11-29" });
  expect(problems).toEqual([]);
}

/** The value, or a test failure naming what was missing. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}`);
  return value;
}

const statusOf = (units: UnitWithStatus[], key: string) => units.find((u) => u.unit.key === key)?.status;

describe("statuses of one language", () => {
  it("follow reviews and changes of the English, and the counts are tallies of them", () => {
    const before = languageUnits(roots, "fa");
    const ui = before.filter((u) => u.unit.key.startsWith("locale:") && typeof u.unit.source === "string").slice(0, 3);
    const file = (before.find((u) => u.unit.key.startsWith("content:"))?.unit.key ?? "").split("#")[0] ?? "";
    const item = before.filter((u) => u.unit.key.startsWith(`${file}#`));
    expect(ui).toHaveLength(3);
    expect(item.length).toBeGreaterThan(0);
    const [changed, kept] = [must(ui[0], "a UI unit"), must(ui[1], "a second UI unit")];
    const firstOfItem = must(item[0], "a text of the item");
    markReviewed([...ui, ...item].map((u) => u.unit));

    const reviewed = languageUnits(roots, "fa");
    for (const u of [...ui, ...item]) expect(statusOf(reviewed, u.unit.key), u.unit.key).toBe("reviewed");
    const counts = reviewPage(reviewed, "all", 1).counts;
    const ui3 = localeStatus(roots.localesRoot, "fa");
    const content = contentStatus(roots.contentRoot, "fa");
    expect(counts.reviewed).toBe(ui3.reviewed + content.reviewed);
    expect(counts.reviewed).toBe(3 + item.length);
    expect(counts.all).toBe(ui3.total + content.total);

    // The English of one interface string and of one text of the item change.
    const [ns, key] = changed.unit.key.slice("locale:".length).split("#") as [string, string];
    const enPath = join(roots.localesRoot, "en", `${ns}.json`);
    writeFileSync(
      enPath,
      readFileSync(enPath, "utf8").replace(JSON.stringify(changed.unit.source), JSON.stringify("Changed.")),
    );
    const contentPath = join(roots.contentRoot, file.slice("content:".length));
    const doc = parseDocument(readFileSync(contentPath, "utf8"));
    const field = (firstOfItem.unit.key.split("#")[1] ?? "").split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    doc.setIn([...field, "en"], "Changed English.");
    writeFileSync(contentPath, doc.toString());

    const after = languageUnits(roots, "fa");
    expect(statusOf(after, `locale:${ns}#${key}`)).toBe("outdated");
    expect(statusOf(after, kept.unit.key)).toBe("reviewed");
    // A content item is reviewed as a whole, so one changed English makes all its texts outdated.
    for (const u of item) expect(statusOf(after, u.unit.key), u.unit.key).toBe("outdated");
    expect(reviewPage(after, "outdated", 1).total).toBe(1 + item.length);

    // Unreviewed: everything but what a person checked and is still current.
    const unreviewed = selectUnits(after, "fa", { unreviewed: true }, roots.localesRoot).map((u) => u.key);
    expect(unreviewed).toHaveLength(after.length - 2);
    expect(unreviewed).toContain(`locale:${ns}#${key}`);
    expect(unreviewed).not.toContain(kept.unit.key);
    // The CLI's --todo is narrower: missing, or outdated interface strings (content items are not split).
    const todo = selectUnits(after, "fa", { todo: true }, roots.localesRoot).map((u) => u.key);
    expect(todo).toContain(`locale:${ns}#${key}`);
    expect(todo).not.toContain(firstOfItem.unit.key);
  });

  it("filters by status and pages, showing the last page for a page past the end", () => {
    const units = languageUnits(roots, "uk");
    const machine = units.filter((u) => u.status === "machine");
    const second = reviewPage(units, "machine", 2, 50);
    expect(second.rows).toEqual(machine.slice(50, 100));
    expect(second.pages).toBe(Math.ceil(machine.length / 50));
    const past = reviewPage(units, "machine", 10_000, 50);
    expect(past.page).toBe(past.pages);
    expect(past.rows).toEqual(machine.slice((past.pages - 1) * 50));
    expect(reviewPage(units, "reviewed", 1).rows).toEqual([]);
    expect(reviewPage(units, "reviewed", 1).pages).toBe(1);
  });
});

describe("the review cache", () => {
  it("keeps the figures while the files stay, and makes them again after an import", () => {
    const cache = new ReviewCache(roots);
    const first = cache.units("fa");
    expect(cache.units("fa")).toBe(first);
    expect(first.filter((u) => u.status === "reviewed")).toEqual([]);
    const summaryBefore = cache.summaries().find((s) => s.language.code === "fa");
    markReviewed(first.slice(0, 2).map((u) => u.unit));
    expect(cache.units("fa").filter((u) => u.status === "reviewed")).toHaveLength(2);
    const summaryAfter = cache.summaries().find((s) => s.language.code === "fa");
    expect(summaryAfter?.ui.reviewed).toBe((summaryBefore?.ui.reviewed ?? 0) + 2);
  });
});

describe("glossaries", () => {
  it("reads the register, every word list and the notes, and none where there is no file", () => {
    const prs = readGlossary("locales", "prs");
    expect(prs?.register).toMatch(/^\S/);
    expect(prs?.sections.map((s) => s.name)).toEqual(["terms", "countries", "cities"]);
    expect(prs?.sections[1]?.entries).toContainEqual({ english: "Germany", translation: "آلمان" });
    expect(prs?.notes.length).toBeGreaterThan(0);
    expect(readGlossary("locales", "en")).toBeUndefined();
    expect(readGlossary("locales", "../x")).toBeUndefined();
  });

  it("reads every glossary file there is", () => {
    for (const file of readdirSync("locales/_glossary")) {
      const code = file.replace(/\.yaml$/, "");
      expect(readGlossary("locales", code)?.sections[0]?.entries.length, file).toBeGreaterThan(10);
    }
  });

  it("names the file of a glossary that is not a map", () => {
    writeFileSync(join(roots.localesRoot, "_glossary", "so.yaml"), "- just a list\n");
    let caught: unknown;
    try {
      readGlossary(roots.localesRoot, "so");
    } catch (error) {
      caught = error;
    }
    expect(isLotseError(caught, "content.invalid")).toBe(true);
    expect(String(caught)).toContain("so.yaml");
  });
});

describe("importing a work file made before the English changed", () => {
  // Regression (issue 17): a lesson's options were reordered in English while translators worked; the
  // import wrote each translation by position, under another option, and the item's status said current.
  it("refuses a content text whose English moved or changed since the export, and takes the others", () => {
    const file = "courses/safe-online/lessons/strong-passwords.yaml";
    const path = join(roots.contentRoot, file);
    const key = (field: string) => `content:${file}#${field}`;
    const lesson = parseYaml(readFileSync(path, "utf8")) as { quiz: { options: { text: { en: string } }[] }[] };
    const [first, second] = [
      must(lesson.quiz[0]?.options[0], "option 1"),
      must(lesson.quiz[0]?.options[1], "option 2"),
    ];
    const exported = { first: first.text.en, second: second.text.en };
    // The English options 1 and 2 swap after the export.
    [first.text.en, second.text.en] = [exported.second, exported.first];
    writeFileSync(path, stringifyYaml(lesson));
    const problems = importUnits(
      [
        {
          key: key("quiz.0.options.0.text"),
          source: first.text.en,
          translation: "Übersetzung von 1",
          madeFrom: exported.first,
        },
        {
          key: key("quiz.0.question"),
          source: "x",
          translation: "Frage",
          madeFrom: must(readQuestion(path), "question"),
        },
      ],
      { ...roots, language: "de", status: "machine", at: "2026-11-30" },
    );
    expect(problems.map((p) => p.key)).toEqual([key("quiz.0.options.0.text")]);
    expect(problems[0]?.message).toContain("export again");
    const after = parseYaml(readFileSync(path, "utf8")) as {
      quiz: { question: Record<string, string>; options: { text: Record<string, string> }[] }[];
    };
    expect(after.quiz[0]?.options[0]?.text.de).not.toBe("Übersetzung von 1");
    expect(after.quiz[0]?.question.de).toBe("Frage");
  });
});

function readQuestion(path: string): string | undefined {
  return (parseYaml(readFileSync(path, "utf8")) as { quiz: { question: { en: string } }[] }).quiz[0]?.question.en;
}

describe("importing a word list", () => {
  // Regression (review): every list (a service's keywords) was refused as "changed since the export".
  it("takes a list whose English did not change", () => {
    const units = languageUnits(roots, "de").map((u) => u.unit);
    const list = units.find((u) => u.key.startsWith("content:") && Array.isArray(u.source));
    if (!list) throw new Error("the content has no word list");
    const problems = importUnits([{ ...list, translation: ["eins", "zwei"], madeFrom: list.source }], {
      ...roots,
      language: "de",
      status: "machine",
      at: "2026-11-30",
    });
    expect(problems).toEqual([]);
  });
});
