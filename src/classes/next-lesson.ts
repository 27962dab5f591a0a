/**
 * The lesson a class's learner goes on with: "My class" offers it and the daily nudge names it, so
 * both follow the class's course order rather than the content pack's.
 */
import type { ContentPack } from "../content/pack.ts";
import { classLessons, currentCourse } from "./progress.ts";
import type { ClassCourse } from "./repository.ts";

/** Where the learner is: the lessons they finished, and the one they left unfinished last. */
export interface LearnerPositions {
  completed: readonly string[];
  /** The lesson started and not finished, touched last; null when none. */
  last: string | null;
}

/**
 * The next lesson for a class's learner: the class's lesson they left unfinished, else the first not
 * finished in the course the class is on today, else the first not finished in the class's course
 * order; undefined when every lesson of the class is done.
 *
 * @example
 * nextClassLesson(pack, cls.courses, { completed: ["scan-paper"], last: null }, "2026-03-02"); // "send-pdf"
 */
export function nextClassLesson(
  pack: ContentPack,
  courses: readonly ClassCourse[],
  positions: LearnerPositions,
  today: string,
): string | undefined {
  const lessons = classLessons(pack, courses);
  const open = lessons.filter((l) => !positions.completed.includes(l.lesson));
  if (positions.last && open.some((l) => l.lesson === positions.last)) return positions.last;
  const course = currentCourse(courses, today)?.course;
  return (open.find((l) => l.course === course) ?? open[0])?.lesson;
}
