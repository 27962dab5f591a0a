/**
 * Lessons started and finished, and quiz results, per lesson in course order.
 */
import { sql } from "kysely";
import type { ContentPack } from "../content/pack.ts";
import { num, type StatsDb } from "./db.ts";
import { shown } from "./small-groups.ts";

/** One lesson's numbers: people who started it and people who finished it (its quiz). */
export interface LessonRow {
  lesson: string;
  course: string | null;
  started: number;
  finished: number;
}

/** One lesson's quiz results. */
export interface QuizRow {
  lesson: string;
  /** Finished quizzes (a retry counts again). */
  takes: number;
  /** Different people who finished it. */
  people: number;
  /** Mean share of right answers over all takes, 0..1; null when fewer than 5 people (small-groups.ts). */
  averageScore: number | null;
}

/**
 * The lesson ids in course order, then any stored lesson the content no longer has.
 *
 * @example
 * lessonOrder(pack, ["old-lesson"]);
 */
export function lessonOrder(pack: ContentPack, stored: Iterable<string>): { lesson: string; course: string | null }[] {
  const known = pack.courses.flatMap((c) => pack.lessonsOf(c.id).map((l) => ({ lesson: l.id, course: c.id })));
  const ids = new Set(known.map((k) => k.lesson));
  const gone = [...new Set(stored)].filter((id) => !ids.has(id)).sort();
  return [...known, ...gone.map((lesson) => ({ lesson, course: null }))];
}

/**
 * People who started and finished each lesson (every lesson of the pack, zeros included).
 *
 * @example
 * const rows = await lessonStats(app.store.db, app.content);
 */
export async function lessonStats(db: StatsDb, pack: ContentPack): Promise<LessonRow[]> {
  const rows = await db
    .selectFrom("lesson_progress")
    .select((eb) => ["lesson_id", eb.fn.countAll().as("started"), eb.fn.count("completed_at").as("finished")])
    .groupBy("lesson_id")
    .execute();
  const byLesson = new Map(rows.map((r) => [r.lesson_id, r]));
  return lessonOrder(pack, byLesson.keys()).map(({ lesson, course }) => ({
    lesson,
    course,
    started: num(byLesson.get(lesson)?.started),
    finished: num(byLesson.get(lesson)?.finished),
  }));
}

/**
 * Quiz results per lesson that has any: takes, people and the average score.
 *
 * @example
 * const rows = await quizStats(app.store.db, app.content);
 */
export async function quizStats(db: StatsDb, pack: ContentPack): Promise<QuizRow[]> {
  const rows = await db
    .selectFrom("quiz_results")
    .select((eb) => [
      "lesson_id",
      eb.fn.countAll().as("takes"),
      eb.fn.count("address").distinct().as("people"),
      // A real division on both databases ("double precision" has REAL affinity in SQLite); a bound 1.0
      // would reach Postgres as the integer 1, and 3 / 4 would be 0.
      sql<number>`avg(cast(${eb.ref("score")} as double precision) / ${eb.ref("total")})`.as("average"),
    ])
    .where("total", ">", 0)
    .groupBy("lesson_id")
    .execute();
  const byLesson = new Map(rows.map((r) => [r.lesson_id, r]));
  return lessonOrder(pack, byLesson.keys()).flatMap(({ lesson }) => {
    const row = byLesson.get(lesson);
    if (!row) return [];
    const people = num(row.people);
    return [{ lesson, takes: num(row.takes), people, averageScore: shown(Number(row.average), people) }];
  });
}
