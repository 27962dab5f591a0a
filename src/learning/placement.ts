/**
 * The placement check's result: right answers per DigComp area and the course to start with. Pure, so
 * the flow and its tests share it.
 */
import type { ContentPack } from "../content/pack.ts";
import type { Course, PlacementCheck } from "../content/schema.ts";

/** Right answers and questions in one area. */
export interface AreaScore {
  area: number;
  right: number;
  total: number;
}

/**
 * Right answers per area, for the areas the check asks about, in area order.
 *
 * @example
 * areaScores(check, { p1: true, p2: false }); // [{ area: 1, right: 1, total: 2 }, ...]
 */
export function areaScores(check: PlacementCheck, answers: Readonly<Record<string, boolean>>): AreaScore[] {
  const byArea = new Map<number, AreaScore>();
  for (const q of check.questions) {
    const score = byArea.get(q.area) ?? { area: q.area, right: 0, total: 0 };
    score.total += 1;
    if (answers[q.id] === true) score.right += 1;
    byArea.set(q.area, score);
  }
  return [...byArea.values()].sort((a, b) => a.area - b.area);
}

/** What the check recommends: a course, and whether everything was answered right. */
export interface Recommendation {
  course: Course;
  allRight: boolean;
}

/**
 * The course to start with: the first unfinished course (in course order) of the weakest area (lowest
 * share right; ties go to the lower area number, the more basic one); with three quarters or more right,
 * one of that area with lessons past the basics, where there is one. With everything right, the first
 * unfinished course that has such lessons, else the first unfinished one. Undefined when every course
 * is finished.
 *
 * @example
 * recommendCourse(pack, scores, completedLessons)?.course.id; // "safe-online"
 */
export function recommendCourse(
  pack: ContentPack,
  scores: readonly AreaScore[],
  completed: readonly string[],
): Recommendation | undefined {
  const done = new Set(completed);
  const unfinished = pack.courses.filter((c) => !pack.lessonsOf(c.id).every((l) => done.has(l.id)));
  if (unfinished.length === 0) return undefined;
  const allRight = scores.every((s) => s.right === s.total);
  if (allRight) {
    const harder = unfinished.find((c) => pack.lessonsOf(c.id).some((l) => l.proficiency !== "basic"));
    return { course: harder ?? (unfinished[0] as Course), allRight };
  }
  const weakestFirst = [...scores].sort((a, b) => a.right / a.total - b.right / b.total || a.area - b.area);
  // Most answers right (one "I don't know", say): the weakest area still decides, but at a level that is
  // not all basics, where the area has such a course.
  const right = scores.reduce((n, s) => n + s.right, 0);
  const total = scores.reduce((n, s) => n + s.total, 0);
  const strong = total > 0 && right / total >= 0.75;
  for (const score of weakestFirst) {
    const inArea = unfinished.filter((c) => c.area === score.area);
    const harder = strong ? inArea.find((c) => pack.lessonsOf(c.id).some((l) => l.proficiency !== "basic")) : undefined;
    const course = harder ?? inArea[0];
    if (course) return { course, allRight };
  }
  return { course: unfinished[0] as Course, allRight };
}
