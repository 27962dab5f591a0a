/**
 * When a lesson counts as done: its quiz answered well enough to show the lesson was understood,
 * not merely finished ("✓ Done" after "0 of 4 right" taught people nothing about their progress).
 */

/** The share of a quiz's questions a person must get right for the lesson to count as done. */
export const passMark = 0.75;

/**
 * Whether a quiz result completes its lesson.
 *
 * @example
 * passed(3, 4); // true
 * passed(2, 4); // false
 */
export function passed(score: number, total: number): boolean {
  return total > 0 && score / total >= passMark;
}

/**
 * How many right answers a quiz of `total` questions needs.
 *
 * @example
 * neededToPass(5); // 4
 */
export function neededToPass(total: number): number {
  return Math.ceil(total * passMark - 1e-9);
}
