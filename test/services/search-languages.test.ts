/**
 * The directory found in the words people of each language type
 * (issue "Languages": лікар, دکتر, doktor, دوکتور find health services in
 * Leipzig; шведська мова and سوئدی find Lund's Swedish course).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type ContentPack, loadContentPack } from "../../src/content/pack.ts";
import { searchServices } from "../../src/services/search.ts";

let pack: ContentPack;
beforeAll(async () => {
  pack = await loadContentPack("content");
});

describe("directory search in the languages of the people we serve", () => {
  it.each([
    ["leipzig", "лікар", "health"],
    ["leipzig", "دکتر", "health"],
    ["leipzig", "doktor", "health"],
    ["leipzig", "دوکتور", "health"],
    ["leipzig", "врач", "health"],
    ["leipzig", "bijîşk", "health"],
    ["leipzig", "داکتر اطفال", "health"],
    ["lund", "шведська мова", "language"],
    ["lund", "سوئدی", "language"],
    ["aydin", "iş", "work"],
  ])("in %s, %s finds %s first", (city, query, category) => {
    const found = searchServices(pack.services, city, query);
    expect(found[0]?.service.category).toBe(category);
    // Strong enough to answer a question typed at the menu (a category word or keyword, not a stray word).
    expect(found[0]?.score).toBeGreaterThanOrEqual(2);
  });
});
