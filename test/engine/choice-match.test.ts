import { describe, expect, it } from "vitest";
import { matchChoice } from "../../src/engine/choice-match.ts";
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
