/**
 * Item statistics on small data sets whose values were computed by hand (worked out in the
 * comments), then the same through the store: first quiz answers only, review answers left out.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { type GradedAnswer, itemStatistics, itemStats, pearson } from "../../src/stats/items.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { seedPerson, seedQuiz } from "./seed.ts";

/** Rows of "person: answers to q1 q2 q3 ..." as graded answers of one lesson. */
function table(lesson: string, rows: Record<string, number[]>): GradedAnswer[] {
  return Object.entries(rows).flatMap(([person, answers]) =>
    answers.map((a, i) => ({ person, lesson, question: `q${i + 1}`, correct: a === 1 })),
  );
}

// Five people, three questions:
//        q1 q2 q3
//   A     1  1  1
//   B     1  1  0
//   C     1  0  0
//   D     0  1  0
//   E     1  0  1
// Share correct: q1 4/5 = 0.8, q2 3/5 = 0.6, q3 2/5 = 0.4.
// Rest score = share right of the other two questions.
// q1: x = 1 1 1 0 1 (mean 0.8), rest = 1 .5 0 .5 .5 (mean 0.5);
//     dx*dy = .2*.5 + .2*0 + .2*-.5 + -.8*0 + .2*0 = 0  ->  r = 0.
// q2: x = 1 1 0 1 0 (mean 0.6), rest = 1 .5 .5 0 1 (mean 0.6);
//     Sxy = .16 - .04 + .06 - .24 - .24 = -0.30, Sxx = 1.2, Syy = 0.70  ->  r = -0.3 / sqrt(0.84) = -0.32733.
// q3: x = 1 0 0 0 1 (mean 0.4), rest = 1 1 .5 .5 .5 (mean 0.7);
//     Sxy = .18 - .12 + .08 + .08 - .12 = 0.10, Sxx = 1.2, Syy = 0.30  ->  r = 0.1 / 0.6 = 0.16667.
const known = table("l1", {
  A: [1, 1, 1],
  B: [1, 1, 0],
  C: [1, 0, 0],
  D: [0, 1, 0],
  E: [1, 0, 1],
});

describe("item statistics", () => {
  it("computes share correct and the corrected point-biserial discrimination", () => {
    const [lesson] = itemStatistics(known);
    const byQuestion = Object.fromEntries((lesson?.items ?? []).map((i) => [i.question, i]));
    expect(byQuestion.q1?.count).toBe(5);
    expect(byQuestion.q1?.shareCorrect).toBeCloseTo(0.8, 10);
    expect(byQuestion.q2?.shareCorrect).toBeCloseTo(0.6, 10);
    expect(byQuestion.q3?.shareCorrect).toBeCloseTo(0.4, 10);
    expect(byQuestion.q1?.discrimination).toBeCloseTo(0, 10);
    expect(byQuestion.q2?.discrimination).toBeCloseTo(-0.3 / Math.sqrt(0.84), 10);
    expect(byQuestion.q3?.discrimination).toBeCloseTo(1 / 6, 10);
    // q1 and q2 separate nobody (r < 0.1): check them; q3 is fine.
    expect(byQuestion.q1?.flags).toEqual(["lowDiscrimination"]);
    expect(byQuestion.q2?.flags).toEqual(["lowDiscrimination"]);
    expect(byQuestion.q3?.flags).toEqual([]);
  });

  it("counts only each person's first answer to a question", () => {
    // A retry after the feedback: D now gets q1 right, A gets it wrong. Nothing may change.
    const retried = [...known, ...table("l1", { D: [1, 1, 1], A: [0, 0, 0] })];
    expect(itemStatistics(retried)).toEqual(itemStatistics(known));
  });

  it("flags a question everyone gets right and one nobody gets right", () => {
    const [lesson] = itemStatistics(
      table("l2", { A: [1, 0, 1], B: [1, 0, 0], C: [1, 0, 1], D: [1, 0, 0], E: [1, 0, 1] }),
    );
    const [easy, hard, middle] = lesson?.items ?? [];
    expect(easy).toMatchObject({ shareCorrect: 1, discrimination: null, flags: ["tooEasy"] });
    expect(hard).toMatchObject({ shareCorrect: 0, discrimination: null, flags: ["tooHard"] });
    // Everyone's rest score is 0.5 for q3: no variance, no discrimination, no flag from it.
    expect(middle).toMatchObject({ shareCorrect: 0.6, discrimination: null, flags: [] });
  });

  it("withholds values and flags when fewer than five people answered", () => {
    const [lesson] = itemStatistics(table("l3", { A: [1, 1, 1], B: [1, 0, 0], C: [0, 0, 1], D: [1, 1, 0] }));
    expect(lesson?.items.map((i) => [i.count, i.shareCorrect, i.discrimination, i.flags])).toEqual([
      [4, null, null, []],
      [4, null, null, []],
      [4, null, null, []],
    ]);
  });

  it("has no correlation without variance or pairs", () => {
    expect(pearson([1, 1, 1], [0, 0.5, 1])).toBeNull();
    expect(pearson([1], [1])).toBeNull();
    expect(pearson([1, 0], [1, 0])).toBeCloseTo(1, 10);
  });
});

describe("item statistics from stored answers", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  it("reads first quiz answers per lesson in quiz order and leaves review answers out", async () => {
    const now = app.clock.now();
    for (const [person, answers] of Object.entries({
      A: [1, 1, 1],
      B: [1, 1, 0],
      C: [1, 0, 0],
      D: [0, 1, 0],
      E: [1, 0, 1],
    })) {
      const address = `telegram:${person}` as Address;
      await seedPerson(app, { address, language: "en", city: "lund" }, now);
      // Stored in reverse question order: the statistics still list q1, q2, q3 (the quiz's order).
      const graded = Object.fromEntries(answers.map((a, i) => [`q${i + 1}`, a === 1]).reverse());
      await seedQuiz(app, address, "app-permissions", graded, now);
      // A later review, all right: not a first quiz answer, so it must not count.
      await seedQuiz(app, address, "app-permissions", { q1: true, q2: true, q3: true }, now, "review");
    }
    const lessons = await itemStats(app.store.db, app.content);
    expect(lessons.map((l) => l.lesson)).toEqual(["app-permissions"]);
    const items = lessons[0]?.items ?? [];
    expect(items.map((i) => i.question)).toEqual(["q1", "q2", "q3"]);
    expect(items.map((i) => i.shareCorrect)).toEqual([0.8, 0.6, 0.4]);
    expect(items[1]?.discrimination).toBeCloseTo(-0.3 / Math.sqrt(0.84), 10);
    expect(items[2]?.discrimination).toBeCloseTo(1 / 6, 10);
  });
});
