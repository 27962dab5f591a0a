/**
 * The content pack as the running bot uses it: validated at start (a broken
 * file stops the start with the file, item and field named), then read-only
 * lookups for flows.
 */
import { LotseError } from "../domain/errors.ts";
import { checkContent } from "./check.ts";
import { formatProblem } from "./check-run.ts";
import { readContentFiles } from "./load.ts";
import type { Course, Lesson, QuizQuestion } from "./schema.ts";
import type { ReturnInfo, Service } from "./services-schema.ts";

/** Courses in order, lessons by id, with the lookups flows need. */
export interface ContentPack {
  courses: readonly Course[];
  course(id: string): Course | undefined;
  lesson(id: string): Lesson | undefined;
  question(lessonId: string, questionId: string): QuizQuestion | undefined;
  /** The lesson after this one in its course, if any. */
  nextLesson(lessonId: string): Lesson | undefined;
  /** Lessons of a course in course order. */
  lessonsOf(courseId: string): Lesson[];
  /** Every city service. */
  services: readonly Service[];
  service(id: string): Service | undefined;
  /** Voluntary-return information pages in order. */
  returnInfo: readonly ReturnInfo[];
}

/**
 * Builds lookups over validated courses and lessons.
 *
 * @example
 * const pack = createContentPack(courses, lessons);
 * pack.lessonsOf("safe-online")[0]?.title.en;
 */
export function createContentPack(
  courses: Course[],
  lessons: Lesson[],
  services: Service[] = [],
  returnInfo: ReturnInfo[] = [],
): ContentPack {
  const ordered = [...courses].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const lessonsOf = (courseId: string): Lesson[] =>
    (ordered.find((c) => c.id === courseId)?.lessons ?? []).flatMap((id) => byId.get(id) ?? []);
  const servicesById = new Map(services.map((s) => [s.id, s]));
  return {
    services,
    service: (id) => servicesById.get(id),
    returnInfo: [...returnInfo].sort((a, b) => a.order - b.order),
    courses: ordered,
    course: (id) => ordered.find((c) => c.id === id),
    lesson: (id) => byId.get(id),
    question: (lessonId, questionId) => byId.get(lessonId)?.quiz.find((q) => q.id === questionId),
    lessonsOf,
    nextLesson(lessonId) {
      const lesson = byId.get(lessonId);
      if (!lesson) return undefined;
      const siblings = lessonsOf(lesson.course);
      return siblings[siblings.findIndex((l) => l.id === lessonId) + 1];
    },
  };
}

/**
 * Reads and validates `content/`; throws `content.invalid` naming every error.
 *
 * @example
 * const pack = await loadContentPack("content");
 */
export async function loadContentPack(root: string): Promise<ContentPack> {
  const raw = await readContentFiles(root);
  const errors = [...raw.problems, ...checkContent(raw)].filter((p) => p.level === "error");
  if (errors.length > 0) {
    throw new LotseError(
      "content.invalid",
      `the content pack has errors:\n  ${errors.map(formatProblem).join("\n  ")}`,
    );
  }
  return createContentPack(
    raw.courses.map((c) => c.value),
    raw.lessons.map((l) => l.value),
    raw.services.map((s) => s.value),
    raw.returnInfo.map((r) => r.value),
  );
}
