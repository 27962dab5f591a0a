/**
 * The privacy rule for statistics of small groups.
 *
 * Counts of people are shown as they are: every breakdown on the overview has one dimension only
 * (city, or language, or channel, never city x language), so a count of 2 says that two people
 * speak a language, not who they are or anything else about them, and staff need the real numbers
 * to plan (a Tigrinya interpreter for 3 people in Mainz). What is *derived from people's answers*
 * (an average quiz score, the share of right answers to a question, a discrimination index) is
 * withheld when fewer than {@link minGroup} people are behind it: the average of one person is
 * that person's result, and with so few answers the number says nothing about the question anyway.
 */

/** The fewest people behind an average or a share before it is shown. */
export const minGroup = 5;

/**
 * A value derived from `people` answers, or null when they are too few to show it.
 *
 * @example
 * shown(0.75, 4); // null
 * shown(0.75, 12); // 0.75
 */
export function shown(value: number | null, people: number): number | null {
  return people >= minGroup ? value : null;
}
