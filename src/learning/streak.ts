/**
 * Streaks: days in a row with learning activity, counted in the person's own
 * time zone, so a lesson at 23:30 in Aydın counts for that day there.
 */

export { localDay } from "../domain/local-time.ts";

function previousDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * Days in a row with activity ending today, or ending yesterday when today has
 * none yet (the streak is still alive until the day is over).
 *
 * @example
 * streakLength(["2026-03-01", "2026-03-02"], "2026-03-03"); // 2
 */
export function streakLength(activeDays: Iterable<string>, today: string): number {
  const days = new Set(activeDays);
  let cursor = days.has(today) ? today : previousDay(today);
  let length = 0;
  while (days.has(cursor)) {
    length += 1;
    cursor = previousDay(cursor);
  }
  return length;
}
