import { describe, expect, it } from "vitest";
import { editDistance, matchChoice } from "../../src/engine/choice-match.ts";
import { normalizeText } from "../../src/engine/normalize.ts";

const consent = [
  { id: "yes", texts: ["Yes, I agree", "Ja, ich stimme zu", "نعم، أوافق"] },
  { id: "no", texts: ["No", "Nein", "لا"] },
  { id: "more", texts: ["Tell me more", "Mehr erfahren", "أخبرني المزيد"] },
];
const cities = ["Mainz", "Leipzig", "Lund", "Palermo"].map((c) => ({ id: c.toLowerCase(), texts: [c] }));

describe("matching a typed answer to a choice", () => {
  it.each([
    ["2", "no"],
    ["٣", "more"],
    ["1)", "yes"],
    ["YES", "yes"],
    ["yes!", "yes"],
    ["ja", "yes"],
    ["نعم", "yes"],
    ["no", "no"],
    ["tell me more", "more"],
    ["more", "more"],
  ])("%s picks %s", (typed, id) => {
    expect(matchChoice(typed, consent)).toBe(id);
  });

  it.each([
    ["leipzg", "leipzig"],
    ["Palremo", "palermo"],
    ["  lund  ", "lund"],
  ])("tolerates a typo: %s", (typed, id) => {
    expect(matchChoice(typed, cities)).toBe(id);
  });

  it.each([["9"], ["0"], ["maybe"], [""], ["🙂"], ["x".repeat(10_000)]])("picks nothing for %s", (typed) => {
    expect(matchChoice(typed, consent)).toBeUndefined();
  });

  it("picks nothing when a word fits two choices", () => {
    const ambiguous = [
      { id: "a", texts: ["Show my data"] },
      { id: "b", texts: ["Delete my data"] },
    ];
    expect(matchChoice("data", ambiguous)).toBeUndefined();
    expect(matchChoice("delete", ambiguous)).toBe("b");
  });
});

describe("normalising text", () => {
  it("unifies Arabic letter forms and marks, and strips direction isolates", () => {
    expect(normalizeText("\u2068أَهْلاً\u2069")).toBe(normalizeText("اهلا"));
    // Accents do not tell words apart when people type on any keyboard.
    expect(normalizeText("  Menü!! ")).toBe("menu");
    expect(normalizeText("Aydın")).toBe(normalizeText("AYDIN"));
    expect(normalizeText("دکتر")).toBe(normalizeText("دكتر"));
    expect(normalizeText("۱۲")).toBe("12");
  });
});

describe("editDistance", () => {
  it.each([
    ["doctor", "doctor", Number.POSITIVE_INFINITY, 0],
    ["docter", "doctor", Number.POSITIVE_INFINITY, 1],
    ["form", "from", Number.POSITIVE_INFINITY, 1],
    ["", "abc", Number.POSITIVE_INFINITY, 3],
    ["kitten", "sitting", Number.POSITIVE_INFINITY, 3],
    ["ca", "abc", Number.POSITIVE_INFINITY, 3],
    ["طبيب", "الطبيب", Number.POSITIVE_INFINITY, 2],
    // Code points, not UTF-16 units: an emoji is one letter.
    ["😀x", "x😀", Number.POSITIVE_INFINITY, 1],
    ["doktor", "doctor", 1, 1],
    ["kitten", "sitting", 2, 3],
    ["doctor", "lawyer", 2, 3],
    ["a", "abcdef", 2, 3],
    ["abcdefgh", "badcfehg", 2, 3],
  ])("%s and %s within %s: %s", (a, b, limit, expected) => {
    expect(editDistance(a, b, limit)).toBe(expected);
    expect(editDistance(b, a, limit)).toBe(expected);
  });

  it("gives the same distance with a limit as without, up to the limit", () => {
    const words = [
      "arzt",
      "ärzte",
      "doktor",
      "doctor",
      "docter",
      "lawyer",
      "طبيب",
      "الطبيب",
      "likar",
      "лікар",
      "a",
      "",
    ];
    for (const a of words)
      for (const b of words)
        for (const limit of [0, 1, 2, 3]) {
          expect(editDistance(a, b, limit), `${a} ${b} ${limit}`).toBe(Math.min(editDistance(a, b), limit + 1));
        }
  });

  it("compares words longer than its first scratch rows", () => {
    expect(editDistance("a".repeat(100), `${"a".repeat(99)}b`)).toBe(1);
    expect(editDistance("b".repeat(130), "b".repeat(128), 2)).toBe(2);
    expect(editDistance("ab", "ba")).toBe(1);
  });
});
