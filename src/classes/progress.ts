/**
 * How a class's learners do: per learner, each lesson of the class's courses (done, started, not
 * started), the best quiz score, the last activity and whether they have not started or have
 * stalled; per class, the share that finished each course and the whole programme (the graduation
 * rate). Read from the learning tables; nothing here is stored.
 */
import type { Kysely, Transaction } from "kysely";
import type { ContentPack } from "../content/pack.ts";
import type { Address } from "../domain/address.ts";
import type { Database } from "../storage/schema.ts";
import { type ClassCourse, type ClassMember, type ClassRecord, membersOf } from "./repository.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** A learner who started and has done nothing for this long has stalled. */
export const stalledAfterMs = 7 * 86_400_000;

/** Where a learner is with the class's programme. */
export type LearnerState = "not-started" | "active" | "stalled" | "finished";

/** One lesson for one learner. */
export type LessonMark = "done" | "started" | "none";

/** One learner's row in the teacher's view. */
export interface LearnerProgress {
  ref: string;
  /** The name they chose for the class, or null (the view then shows "Learner <ref>"). */
  name: string | null;
  joinedAt: Date;
  /** Every lesson of the class's courses, by lesson id. */
  lessons: Record<string, LessonMark>;
  /** Best quiz score per lesson taken, by lesson id. */
  quiz: Record<string, { score: number; total: number }>;
  /** Lessons of the class done, and how many there are. */
  done: number;
  total: number;
  /** Courses of the class this learner finished (every lesson done), by course id. */
  finishedCourses: string[];
  /** The latest lesson step or quiz, any lesson; null when none. */
  lastActive: Date | null;
  state: LearnerState;
}

/** The share of learners that finished: a count, of how many, and the rate (0 when the class is empty). */
export interface Completion {
  finished: number;
  of: number;
  rate: number;
}

/** A class's view: its learners and the completion per course and of the whole programme. */
export interface ClassProgress {
  /** The lesson ids of the class's courses in order, as the columns of the view. */
  lessons: { course: string; lesson: string }[];
  learners: LearnerProgress[];
  perCourse: { course: string; completion: Completion }[];
  programme: Completion;
}

/** The counts an archived class keeps once its learners' links are removed (`classes.totals`). */
export interface ClassTotals {
  learners: number;
  finishedProgramme: number;
  finishedPerCourse: Record<string, number>;
}

const completion = (finished: number, of: number): Completion => ({
  finished,
  of,
  rate: of === 0 ? 0 : finished / of,
});

/** The lessons of the class's courses in order; a course no longer in the content pack is skipped. */
export function classLessons(pack: ContentPack, courses: readonly ClassCourse[]): { course: string; lesson: string }[] {
  return courses.flatMap(({ course }) => pack.lessonsOf(course).map((l) => ({ course, lesson: l.id })));
}

/**
 * The course the class is on today: the last one whose planned start has come, else the first.
 * `today` is a local day (YYYY-MM-DD) in the class's city's zone.
 *
 * @example
 * currentCourse(cls.courses, "2026-12-03"); // { course: "phone-basics", ... }
 */
export function currentCourse(courses: readonly ClassCourse[], today: string): ClassCourse | undefined {
  const started = courses.filter((c) => c.startsOn !== null && c.startsOn <= today);
  return started.at(-1) ?? courses[0];
}

async function inChunks<T>(addresses: readonly Address[], read: (chunk: Address[]) => Promise<T[]>): Promise<T[]> {
  // Postgres and SQLite both take a few hundred parameters without trouble; classes are rarely larger.
  const out: T[] = [];
  for (let i = 0; i < addresses.length; i += 400) out.push(...(await read(addresses.slice(i, i + 400))));
  return out;
}

async function learningRows(db: Db, addresses: readonly Address[]) {
  const progress = await inChunks(addresses, (chunk) =>
    db
      .selectFrom("lesson_progress")
      .select(["address", "lesson_id", "completed_at", "updated_at"])
      .where("address", "in", chunk)
      .execute(),
  );
  const quizzes = await inChunks(addresses, (chunk) =>
    db
      .selectFrom("quiz_results")
      .select(["address", "lesson_id", "score", "total", "taken_at"])
      .where("address", "in", chunk)
      .execute(),
  );
  return { progress, quizzes };
}

function learnerOf(
  member: ClassMember,
  lessons: readonly { course: string; lesson: string }[],
  rows: Awaited<ReturnType<typeof learningRows>>,
  now: Date,
): LearnerProgress {
  const marks: Record<string, LessonMark> = Object.fromEntries(lessons.map((l) => [l.lesson, "none" as LessonMark]));
  let last = 0;
  for (const row of rows.progress) {
    if (row.address !== member.address) continue;
    last = Math.max(last, Date.parse(row.updated_at));
    if (row.lesson_id in marks) marks[row.lesson_id] = row.completed_at ? "done" : "started";
  }
  const quiz: Record<string, { score: number; total: number }> = {};
  for (const row of rows.quizzes) {
    if (row.address !== member.address) continue;
    last = Math.max(last, Date.parse(row.taken_at));
    const score = Number(row.score);
    const total = Number(row.total);
    const best = quiz[row.lesson_id];
    if (!best || score / total > best.score / best.total) quiz[row.lesson_id] = { score, total };
  }
  const done = lessons.filter((l) => marks[l.lesson] === "done").length;
  const courses = [...new Set(lessons.map((l) => l.course))];
  const finishedCourses = courses.filter((c) =>
    lessons.filter((l) => l.course === c).every((l) => marks[l.lesson] === "done"),
  );
  const touched = lessons.some((l) => marks[l.lesson] !== "none");
  const lastActive = last > 0 ? new Date(last) : null;
  const state: LearnerState =
    lessons.length > 0 && done === lessons.length
      ? "finished"
      : !touched
        ? "not-started"
        : lastActive && now.getTime() - lastActive.getTime() > stalledAfterMs
          ? "stalled"
          : "active";
  return {
    ref: member.ref,
    name: member.displayName,
    joinedAt: member.joinedAt,
    lessons: marks,
    quiz,
    done,
    total: lessons.length,
    finishedCourses,
    lastActive,
    state,
  };
}

/**
 * The teacher's view of a class.
 *
 * @example
 * const view = await classProgress(tx.db, pack, cls, now);
 * view.programme.rate; // 0.5 when half the class finished every course
 */
export async function classProgress(db: Db, pack: ContentPack, cls: ClassRecord, now: Date): Promise<ClassProgress> {
  const lessons = classLessons(pack, cls.courses);
  const members = await membersOf(db, cls.id);
  const rows = await learningRows(
    db,
    members.map((m) => m.address),
  );
  const learners = members.map((m) => learnerOf(m, lessons, rows, now));
  const courses = [...new Set(lessons.map((l) => l.course))];
  return {
    lessons,
    learners,
    perCourse: courses.map((course) => ({
      course,
      completion: completion(learners.filter((l) => l.finishedCourses.includes(course)).length, learners.length),
    })),
    programme: completion(learners.filter((l) => l.state === "finished").length, learners.length),
  };
}

/** One learner's progress in a class ("my class"), or undefined when they are not in it. */
export function learnerProgressOf(progress: ClassProgress, ref: string): LearnerProgress | undefined {
  return progress.learners.find((l) => l.ref === ref);
}

/** The counts of a class's view, as an archived class keeps them. */
export function totalsOf(progress: ClassProgress): ClassTotals {
  return {
    learners: progress.learners.length,
    finishedProgramme: progress.programme.finished,
    finishedPerCourse: Object.fromEntries(progress.perCourse.map((c) => [c.course, c.completion.finished])),
  };
}

/**
 * The graduation rate over several classes: every learner of every class counted once per class
 * (an archived class whose learners were unlinked counts by its kept totals).
 *
 * @example
 * const overall = await overallCompletion(tx.db, pack, await listClasses(tx.db, { includeArchived: true }), now);
 */
export async function overallCompletion(
  db: Db,
  pack: ContentPack,
  classes: readonly ClassRecord[],
  now: Date,
): Promise<Completion & { classes: number }> {
  let finished = 0;
  let of = 0;
  for (const cls of classes) {
    const kept = await keptTotals(db, cls.id);
    if (kept) {
      finished += kept.finishedProgramme;
      of += kept.learners;
      continue;
    }
    const view = await classProgress(db, pack, cls, now);
    finished += view.programme.finished;
    of += view.programme.of;
  }
  return { ...completion(finished, of), classes: classes.length };
}

/** The totals kept for an archived class whose learners were unlinked, if any. */
export async function keptTotals(db: Db, classId: number): Promise<ClassTotals | undefined> {
  const row = await db.selectFrom("classes").select("totals").where("id", "=", classId).executeTakeFirst();
  return row?.totals ? (JSON.parse(row.totals) as ClassTotals) : undefined;
}
