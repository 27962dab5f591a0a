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

  it("agrees with the plain full-table algorithm on random words, with and without a limit", () => {
    // Random words over three letters (and an emoji), so swaps, repeats and the band's edges all occur.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const word = () => Array.from({ length: random(12) }, () => ["a", "b", "c", "😀"][random(4)]).join("");
    for (let i = 0; i < 3_000; i++) {
      const [a, b] = [word(), word()];
      const full = plainDistance(a, b);
      expect(editDistance(a, b), `${a} ${b}`).toBe(full);
      for (const limit of [0, 1, 2, 3]) {
        expect(editDistance(a, b, limit), `${a} ${b} within ${limit}`).toBe(Math.min(full, limit + 1));
      }
    }
  });

  it("compares words longer than its first scratch rows", () => {
    expect(editDistance("a".repeat(100), `${"a".repeat(99)}b`)).toBe(1);
    expect(editDistance("b".repeat(130), "b".repeat(128), 2)).toBe(2);
    expect(editDistance("ab", "ba")).toBe(1);
  });
});

/** Optimal string alignment over code points, the whole table, no limit: what editDistance must agree with. */
function plainDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[x.length] as number[])[y.length] as number;
}
