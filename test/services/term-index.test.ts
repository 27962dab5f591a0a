/**
 * The term index scores exactly as scoring each thing's terms one by one (`scoreTerms`), over the real
 * directory's services and typed words with typos, and remembering a typed word's matches changes no score.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type ContentPack, loadContentPack } from "../../src/content/pack.ts";
import { queryWords, scoreTerms, termsOfTexts } from "../../src/services/search.ts";
import { forgetTypedWords, TermIndex, wordMatch } from "../../src/services/term-index.ts";

let pack: ContentPack;
beforeAll(async () => {
  pack = await loadContentPack("content");
});

describe("wordMatch", () => {
  it.each([
    ["doctor", "doctor", 1],
    ["doc", "doctor", 0.8],
    ["ärzte", "ärzt", 0.8],
    ["docter", "doctor", 0.6],
    ["dotcor", "doctor", 0.6],
    ["lawyer", "doctor", 0],
    ["do", "doctor", 0],
  ])("%s against %s: %s", (typed, term, expected) => {
    expect(wordMatch(typed, term)).toBe(expected);
  });
});

describe("a term index", () => {
  it("counts a word a thing has twice with its greatest weight", () => {
    const index = new TermIndex([
      {
        item: "a",
        terms: [
          { word: "arzt", weight: 1 },
          { word: "arzt", weight: 3 },
        ],
      },
      { item: "b", terms: [{ word: "arzt", weight: 2 }] },
      { item: "c", terms: [] },
    ]);
    expect(index.score(["arzt"])).toEqual([
      { item: "a", score: 3 },
      { item: "b", score: 2 },
      { item: "c", score: 0 },
    ]);
  });

  it("scores every lesson as scoring its terms alone does, for typed words with and without typos", () => {
    const lessons = pack.courses
      .flatMap((c) => pack.lessonsOf(c.id))
      .map((lesson) => ({
        item: lesson.id,
        terms: termsOfTexts([
          ...Object.values(lesson.title).map((t): [string, number] => [t, 2]),
          ...Object.values(lesson.summary).map((t): [string, number] => [t, 1]),
        ]),
      }));
    const index = new TermIndex(lessons);
    const questions = [
      "password",
      "pasword",
      "passwort sicher",
      "email",
      "e-mail",
      "كلمة السر",
      "scam",
      "phishng",
      "x",
    ];
    // Twice: the second time the typed words' matches are remembered.
    for (const round of [1, 2]) {
      for (const question of questions) {
        const typed = queryWords(question);
        const expected = lessons.map(({ item, terms }) => ({ item, score: scoreTerms(typed, terms) }));
        expect(index.score(typed), `${question} (${round})`).toEqual(expected);
      }
    }
    expect(index.score(queryWords("password")).some((s) => s.score > 0)).toBe(true);
  });

  it("remembers 500 typed words at most, forgetting the one looked up longest ago, not what it answers", () => {
    const index = new TermIndex([{ item: "x", terms: [{ word: "arzt", weight: 2 }] }]);
    index.score(["arzt"]);
    for (let i = 0; i < 600; i++) {
      index.score([`word${i}`]);
      // Typed again: among the most recent again (typed first, it would be the first to go otherwise).
      if (i === 50 || i === 400) index.score(["arzt"]);
    }
    expect(index.remembered).toBe(500);
    expect(index.remembers("arzt")).toBe(true);
    expect(index.remembers("word0")).toBe(false);
    expect(index.remembers("word99")).toBe(false);
    expect(index.remembers("word101")).toBe(true);
    expect(index.remembers("word599")).toBe(true);
    expect(index.score(["arzt", "artz"])).toEqual([{ item: "x", score: 2 * 1 + 2 * 0.6 }]);
  });
});

describe("what a term index remembers of what people typed", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const index = () => new TermIndex([{ item: "x", terms: [{ word: "arzt", weight: 2 }] }]);

  it("is forgotten after delete my data (in any index of the process)", () => {
    const first = index();
    const second = index();
    first.score(["schwanger"]);
    second.score(["hiv", "test"]);
    expect([first.remembered, second.remembered]).toEqual([1, 2]);
    forgetTypedWords();
    expect([first.remembered, second.remembered]).toEqual([0, 0]);
    expect(first.score(["arzt"])).toEqual([{ item: "x", score: 2 }]);
  });

  it("is forgotten at least every ten minutes", () => {
    vi.useFakeTimers({ now: new Date("2026-12-01T10:00:00Z") });
    const search = index();
    search.score(["schwanger"]);
    vi.setSystemTime(new Date("2026-12-01T10:09:00Z"));
    expect(search.remembered).toBe(1);
    vi.setSystemTime(new Date("2026-12-01T10:10:01Z"));
    expect(search.remembered).toBe(0);
  });

  it("regression: kept since a time later than now (a clock set back) it was never forgotten", () => {
    // This file's test above failed once the real clock passed 10:10 on 1 December 2026: the words
    // were kept since the real start, later than the test's clock, and never counted as old.
    vi.useFakeTimers({ now: new Date("2026-12-01T12:00:00Z") });
    const search = index();
    search.score(["schwanger"]);
    expect(search.remembered).toBe(1);
    vi.setSystemTime(new Date("2026-12-01T11:00:00Z"));
    expect(search.remembered).toBe(0);
  });
});
