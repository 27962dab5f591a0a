/**
 * DigComp coverage of the lessons: which of the 21 competences the pack teaches. A competence counts as
 * taught only where a lesson tags it and at least {@link questionsPerCompetence} of that lesson's quiz
 * questions test it, so a tag alone cannot claim a competence.
 */
import type { ContentProblem, RawContent } from "./load.ts";
import { competenceId, type Lesson, type QuizQuestion } from "./schema.ts";

/** Quiz questions a lesson needs on a competence for it to count as taught. */
export const questionsPerCompetence = 2;

/** One competence and the lessons that teach it. */
export interface CompetenceCoverage {
  competence: string;
  /** Lessons tagged with it that have enough questions on it. */
  lessons: string[];
}

/** The competence a question tests: its own tag, else its lesson's first. */
export function questionCompetence(lesson: Lesson, question: QuizQuestion): string {
  return question.competence ?? (lesson.competences[0] as string);
}

/**
 * For each of the 21 competences, the lessons that teach it.
 *
 * @example
 * digCompCoverage(raw).filter((c) => c.lessons.length === 0).map((c) => c.competence); // ["3.3"]
 */
export function digCompCoverage(raw: RawContent): CompetenceCoverage[] {
  return competenceId.options.map((competence) => ({
    competence,
    lessons: raw.lessons
      .filter(({ value: lesson }) => lesson.competences.includes(competence))
      .filter(
        ({ value: lesson }) =>
          lesson.quiz.filter((q) => questionCompetence(lesson, q) === competence).length >= questionsPerCompetence,
      )
      .map(({ value }) => value.id),
  }));
}

/**
 * Errors for a question tagged with a competence its lesson does not list, and for every competence no
 * lesson teaches (a pack that claims DigComp must cover all 21).
 */
export function checkDigComp(raw: RawContent): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { file, value: lesson } of raw.lessons) {
    for (const [i, q] of lesson.quiz.entries()) {
      if (q.competence && !lesson.competences.includes(q.competence)) {
        problems.push({
          level: "error",
          file,
          item: lesson.id,
          field: `quiz.${i}.competence`,
          message: `"${q.competence}" is not one of the lesson's competences (${lesson.competences.join(", ")})`,
        });
      }
    }
  }
  if (raw.lessons.length === 0) return problems;
  for (const { competence, lessons } of digCompCoverage(raw)) {
    if (lessons.length > 0) continue;
    problems.push({
      level: "error",
      file: "content/courses",
      message: `DigComp ${competence} is taught by no lesson (a lesson must list it and have ${questionsPerCompetence} quiz questions on it)`,
    });
  }
  return problems;
}

/** `DigComp 3.0: 21/21 competences`, with the missing ones named and the thinnest listed. */
export function digCompLine(raw: RawContent): string {
  const coverage = digCompCoverage(raw);
  const taught = coverage.filter((c) => c.lessons.length > 0);
  const missing = coverage.filter((c) => c.lessons.length === 0).map((c) => c.competence);
  const thin = taught.filter((c) => c.lessons.length === 1).map((c) => c.competence);
  const perCompetence = coverage.map((c) => `${c.competence} ${c.lessons.length}`).join(", ");
  return [
    `DigComp 3.0: ${taught.length}/${coverage.length} competences`,
    missing.length > 0 ? `; none yet for ${missing.join(", ")}` : "",
    `; lessons per competence: ${perCompetence}`,
    thin.length > 0 ? ` (only one lesson: ${thin.join(", ")})` : "",
  ].join("");
}
