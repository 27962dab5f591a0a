/**
 * Spaced review with Leitner boxes: a question answered wrongly goes to box 1
 * and comes back after 1 day; answered right in review it moves up and comes
 * back after 3, then 7 days; right once more and it has been learned.
 */

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
export function nextReview(currentBox: number | undefined, correct: boolean, now: Date): LeitnerOutcome {
  if (!correct) return due(1, now);
  if (currentBox === undefined) return { kind: "learned" };
  const box = currentBox + 1;
  return box > reviewIntervalsInDays.length ? { kind: "learned" } : due(box, now);
}

function due(box: number, now: Date): LeitnerOutcome {
  const days = reviewIntervalsInDays[box - 1] ?? 1;
  return { kind: "due", box, dueAt: new Date(now.getTime() + days * day) };
}
