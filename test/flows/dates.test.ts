/**
 * Dates people must match with a letter or a poster: always the Gregorian
 * calendar, in every language (Node's fa, prs and ps locales default to the
 * Persian one: 16 December 2026 would read "۱۴۰۵ قوس ۲۵").
 */
import { describe, expect, it } from "vitest";
import { meetingTime, shortTime } from "../../flows/meetings.ts";
import { languages } from "../../src/domain/languages.ts";

describe("meeting dates", () => {
  it.each(languages.map((l) => l.code))("are Gregorian in %s", (code) => {
    const long = meetingTime("2026-12-16T17:00:00Z", "2026-12-16T18:30:00Z", code, "Europe/Berlin");
    const short = shortTime("2026-12-16T17:00:00Z", code, "Europe/Berlin");
    for (const text of [long, short]) {
      expect(text).toMatch(/16|١٦|۱۶|১৬/);
      expect(text).not.toMatch(/قوس|آذر|لیندۍ|1405|۱۴۰۵|25|۲۵/);
    }
  });

  it("regression: a Dari meeting on 16 December reads as December, not the Persian month Qaws", () => {
    expect(meetingTime("2026-12-16T17:00:00Z", "2026-12-16T18:30:00Z", "prs", "Europe/Berlin")).toContain("دسمبر");
  });
});
