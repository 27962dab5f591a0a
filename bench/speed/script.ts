/**
 * What each person types in the quiz workload: onboarding, the first lesson of the first course (five
 * pages) and its four-question quiz, as a person would type it. The peer's conversation has as many
 * steps, so both systems handle the same number of messages per person.
 */
export const lotseQuizScript: readonly string[] = [
  "/start",
  "English",
  "Lund",
  "yes",
  "2",
  "lessons",
  "1",
  "1",
  "next",
  "next",
  "next",
  "next",
  "take the quiz",
  "1",
  "2",
  "1",
  "3",
];
