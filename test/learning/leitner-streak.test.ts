import { describe, expect, it } from "vitest";
import { nextReview } from "../../src/learning/leitner.ts";
import { localDay, streakLength } from "../../src/learning/streak.ts";

const now = new Date("2026-03-02T09:00:00Z");
const days = (d: Date) => (d.getTime() - now.getTime()) / 86_400_000;

describe("Leitner boxes", () => {
  it("a wrong answer comes back after 1 day, then right answers after 3 and 7 days, then it is learned", () => {
    const wrong = nextReview(undefined, false, now);
    expect(wrong.kind === "due" && [wrong.box, days(wrong.dueAt)]).toEqual([1, 1]);
    const second = nextReview(1, true, now);
    expect(second.kind === "due" && [second.box, days(second.dueAt)]).toEqual([2, 3]);
    const third = nextReview(2, true, now);
    expect(third.kind === "due" && [third.box, days(third.dueAt)]).toEqual([3, 7]);
    expect(nextReview(3, true, now)).toEqual({ kind: "learned" });
  });

  it("a wrong answer in any box goes back to box 1", () => {
    const back = nextReview(3, false, now);
    expect(back.kind === "due" && back.box).toBe(1);
  });

  it("a right quiz answer never starts a review", () => {
    expect(nextReview(undefined, true, now)).toEqual({ kind: "learned" });
  });
});

describe("streaks in the learner's time zone", () => {
  it.each([
    ["2026-03-01T22:30:00Z", "Europe/Istanbul", "2026-03-02"],
    ["2026-03-01T22:30:00Z", "Europe/Stockholm", "2026-03-01"],
    ["2026-03-01T22:30:00Z", "Europe/Rome", "2026-03-01"],
    // The night Europe moves to summer time: 00:30 UTC is 01:30 in Rome, 02:30 in Athens.
    ["2026-03-29T00:30:00Z", "Europe/Rome", "2026-03-29"],
    ["2026-03-28T23:30:00Z", "Europe/Rome", "2026-03-29"],
  ])("%s in %s is the local day %s", (at, zone, day) => {
    expect(localDay(new Date(at), zone)).toBe(day);
  });

  it("counts days in a row ending today", () => {
    expect(streakLength(["2026-03-01", "2026-03-02", "2026-03-03"], "2026-03-03")).toBe(3);
  });

  it("keeps yesterday's streak alive until today is over", () => {
    expect(streakLength(["2026-03-01", "2026-03-02"], "2026-03-03")).toBe(2);
  });

  it("breaks after a day without learning, across a month end", () => {
    expect(streakLength(["2026-02-27", "2026-02-28", "2026-03-02"], "2026-03-02")).toBe(1);
    expect(streakLength(["2026-02-28", "2026-03-01"], "2026-03-01")).toBe(2);
    expect(streakLength(["2026-02-25"], "2026-03-02")).toBe(0);
  });

  it("regression: a question missed at 20:00 comes back at the start of the learner's next day, in time for an 8:00 nudge", () => {
    const missed = new Date("2026-03-02T19:00:00Z"); // 20:00 in Berlin
    const outcome = nextReview(undefined, false, missed, "Europe/Berlin");
    expect(outcome.kind === "due" && outcome.dueAt.toISOString()).toBe("2026-03-02T23:00:00.000Z");
    const third = nextReview(2, true, missed, "Europe/Berlin");
    expect(third.kind === "due" && third.dueAt.toISOString()).toBe("2026-03-08T23:00:00.000Z");
  });
});
