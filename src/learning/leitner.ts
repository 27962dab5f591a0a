/**
 * Spaced review with Leitner boxes: a question answered wrongly goes to box 1
 * and comes back after 1 day; answered right in review it moves up and comes
 * back after 3, then 7 days; right once more and it has been learned.
 *
 * "Tomorrow" means the person's tomorrow: with their time zone, a question
 * comes back at the start of that local day, so the next day's nudge offers it
 * whatever the hour it was missed (the quiz said "missed questions come back
 * tomorrow").
 */
import { localDay, nextDay, zonedInstant } from "../domain/local-time.ts";

const day = 86_400_000;

/** Days until the next review, by box. */
export const reviewIntervalsInDays = [1, 3, 7] as const;

/** Where a question stands after an answer: due again in a box, or learned (no more reviews). */
export type LeitnerOutcome = { kind: "due"; box: number; dueAt: Date } | { kind: "learned" };

/**
 * The next box and due time after an answer.
 *
 * @example
 * nextReview(undefined, false, now); // { kind: "due", box: 1, dueAt: now + 1 day }
 * nextReview(3, true, now);          // { kind: "learned" }
 */
export function nextReview(
  currentBox: number | undefined,
  correct: boolean,
  now: Date,
  timeZone?: string,
): LeitnerOutcome {
  if (!correct) return due(1, now, timeZone);
  if (currentBox === undefined) return { kind: "learned" };
  const box = currentBox + 1;
  return box > reviewIntervalsInDays.length ? { kind: "learned" } : due(box, now, timeZone);
}

function due(box: number, now: Date, timeZone: string | undefined): LeitnerOutcome {
  const days = reviewIntervalsInDays[box - 1] ?? 1;
  if (!timeZone) return { kind: "due", box, dueAt: new Date(now.getTime() + days * day) };
  let local = localDay(now, timeZone);
  for (let i = 0; i < days; i++) local = nextDay(local);
  return { kind: "due", box, dueAt: zonedInstant(local, 0, timeZone) };
}
