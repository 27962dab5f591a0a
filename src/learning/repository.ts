/**
 * Learning progress in storage: lesson positions, quiz results, review boxes
 * and active days. Every function works inside the message's transaction.
 */

import type { Kysely, Transaction } from "kysely";
import type { Address } from "../domain/address.ts";
import { prepared } from "../storage/prepared.ts";
import type { Database } from "../storage/schema.ts";
import { type LeitnerOutcome, nextReview } from "./leitner.ts";
import { passed } from "./passing.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** A person's lesson positions and finished lessons. */
export interface LessonPositions {
  /** Step reached in each lesson started and not finished. */
  positions: Record<string, number>;
  completed: string[];
  /** The lesson touched most recently and not finished, to continue. */
  last: string | null;
}

/** A review question that is due. */
export interface DueReview {
  lesson: string;
  question: string;
}

/**
 * Where the person is in each lesson.
 *
 * @example
 * const { positions, completed, last } = await lessonPositions(tx.db, address);
 */
export async function lessonPositions(db: Db, address: Address): Promise<LessonPositions> {
  const { rows } = await positionsOf(db, { address });
  const positions: Record<string, number> = {};
  const completed: string[] = [];
  for (const row of rows) {
    if (row.completed_at) completed.push(row.lesson_id);
    else positions[row.lesson_id] = Number(row.step);
  }
  const last = rows.find((r) => !r.completed_at)?.lesson_id ?? null;
  return { positions, completed, last };
}

const positionsOf = prepared((db, p: { address: string }) =>
  db
    .selectFrom("lesson_progress")
    .select(["lesson_id", "step", "completed_at", "updated_at"])
    .where("address", "=", p.address)
    .orderBy("updated_at", "desc"),
);

/** Remembers the step reached in a lesson (a finished lesson stays finished). */
export async function saveStep(db: Db, address: Address, lesson: string, step: number, now: Date): Promise<void> {
  await stepUpsert(db, { address, lesson, step, at: now.toISOString() });
}

const stepUpsert = prepared((db, p: { address: string; lesson: string; step: number; at: string }) =>
  db
    .insertInto("lesson_progress")
    .values({ address: p.address, lesson_id: p.lesson, step: p.step, completed_at: null, updated_at: p.at })
    .onConflict((oc) => oc.columns(["address", "lesson_id"]).doUpdateSet({ step: p.step, updated_at: p.at })),
);

/**
 * Records a finished quiz; a result at the pass mark completes its lesson. A later, lower result
 * never takes a completed lesson back.
 */
export async function saveQuizResult(
  db: Db,
  address: Address,
  result: { lesson: string; score: number; total: number },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await resultInsert(db, { address, lesson: result.lesson, score: result.score, total: result.total, at });
  const progress = { address, lesson: result.lesson, at };
  await (passed(result.score, result.total) ? progressCompleted(db, progress) : progressTouched(db, progress));
}

const resultInsert = prepared((db, p: { address: string; lesson: string; score: number; total: number; at: string }) =>
  db
    .insertInto("quiz_results")
    .values({ address: p.address, lesson_id: p.lesson, score: p.score, total: p.total, taken_at: p.at }),
);

/** A passed quiz completes its lesson (the date of the latest pass is kept). */
const progressCompleted = prepared((db, p: { address: string; lesson: string; at: string }) =>
  db
    .insertInto("lesson_progress")
    .values({ address: p.address, lesson_id: p.lesson, step: 0, completed_at: p.at, updated_at: p.at })
    .onConflict((oc) => oc.columns(["address", "lesson_id"]).doUpdateSet({ completed_at: p.at, updated_at: p.at })),
);

/** A quiz not passed leaves the lesson as it was (done or not), only moved to the front. */
const progressTouched = prepared((db, p: { address: string; lesson: string; at: string }) =>
  db
    .insertInto("lesson_progress")
    .values({ address: p.address, lesson_id: p.lesson, step: 0, completed_at: null, updated_at: p.at })
    .onConflict((oc) => oc.columns(["address", "lesson_id"]).doUpdateSet({ updated_at: p.at })),
);

/** Where an answer was given: the quiz after a lesson, or spaced review. */
export type AnswerSource = "quiz" | "review";

/**
 * Keeps one graded answer for item statistics and the research export. Only right or wrong is kept,
 * never the option's text or anything the person typed.
 *
 * @example
 * await saveQuizAnswer(tx.db, address, { lesson: "strong-passwords", question: "q1", correct: true, source: "quiz" }, now);
 */
export async function saveQuizAnswer(
  db: Db,
  address: Address,
  answer: { lesson: string; question: string; correct: boolean; source: AnswerSource },
  now: Date,
): Promise<void> {
  await answerInsert(db, {
    address,
    lesson: answer.lesson,
    question: answer.question,
    correct: answer.correct ? 1 : 0,
    source: answer.source,
    at: now.toISOString(),
  });
}

const answerInsert = prepared(
  (db, p: { address: string; lesson: string; question: string; correct: number; source: string; at: string }) =>
    db.insertInto("quiz_answers").values({
      address: p.address,
      lesson_id: p.lesson,
      question_id: p.question,
      correct: p.correct,
      source: p.source,
      answered_at: p.at,
    }),
);

/** Where a quiz left unfinished stands: the questions answered in order from the first, and how many right. */
export interface QuizUnderway {
  answered: number;
  score: number;
}

/**
 * The quiz of this lesson the person left before its result (typed "menu", read something else): its
 * answers since its last result, from the last time its first question was answered, as long as they
 * follow the quiz's order. Undefined when there is none, or it was finished.
 *
 * @example
 * await quizUnderway(tx.db, address, "strong-passwords", ["q1", "q2", "q3", "q4", "q5"]); // { answered: 2, score: 1 }
 */
export async function quizUnderway(
  db: Db,
  address: Address,
  lesson: string,
  questionIds: readonly string[],
): Promise<QuizUnderway | undefined> {
  const last = (await lastResultOf(db, { address, lesson })).rows[0];
  // Answered in the same second as the result belong to that attempt: strictly after it. With no
  // result, after "" (before every date): all of them.
  const { rows: answers } = await quizAnswersAfter(db, { address, lesson, after: last?.taken_at ?? "" });
  const start = answers.map((a) => a.question_id).lastIndexOf(questionIds[0] ?? "");
  if (start < 0) return undefined;
  let answered = 0;
  let score = 0;
  for (const answer of answers.slice(start)) {
    if (answer.question_id !== questionIds[answered]) break;
    answered += 1;
    if (Number(answer.correct) === 1) score += 1;
  }
  return answered > 0 && answered < questionIds.length ? { answered, score } : undefined;
}

/** Both asked when a quiz starts: compiled once, not built with the query builder each time. */
const lastResultOf = prepared((db, p: { address: string; lesson: string }) =>
  db
    .selectFrom("quiz_results")
    .select("taken_at")
    .where("address", "=", p.address)
    .where("lesson_id", "=", p.lesson)
    .orderBy("taken_at", "desc")
    .limit(1),
);

const quizAnswersAfter = prepared((db, p: { address: string; lesson: string; after: string }) =>
  db
    .selectFrom("quiz_answers")
    .select(["question_id", "correct"])
    .where("address", "=", p.address)
    .where("lesson_id", "=", p.lesson)
    .where("source", "=", "quiz")
    .where("answered_at", ">", p.after)
    .orderBy("id"),
);

/**
 * Moves a question through the Leitner boxes after an answer. A quiz answer
 * that is right changes nothing unless the question is already in review.
 */
export async function recordAnswer(
  db: Db,
  address: Address,
  answer: { lesson: string; question: string; correct: boolean },
  now: Date,
  timeZone?: string,
): Promise<LeitnerOutcome> {
  const current = (await reviewBox(db, { address, lesson: answer.lesson, question: answer.question })).rows[0];
  const outcome = nextReview(current ? Number(current.box) : undefined, answer.correct, now, timeZone);
  if (outcome.kind === "learned") {
    if (current) {
      await db
        .deleteFrom("review_items")
        .where("address", "=", address)
        .where("lesson_id", "=", answer.lesson)
        .where("question_id", "=", answer.question)
        .execute();
    }
    return outcome;
  }
  const values = { box: outcome.box, due_at: outcome.dueAt.toISOString(), updated_at: now.toISOString() };
  await db
    .insertInto("review_items")
    .values({ address, lesson_id: answer.lesson, question_id: answer.question, ...values })
    .onConflict((oc) => oc.columns(["address", "lesson_id", "question_id"]).doUpdateSet(values))
    .execute();
  return outcome;
}

const reviewBox = prepared((db, p: { address: string; lesson: string; question: string }) =>
  db
    .selectFrom("review_items")
    .select("box")
    .where("address", "=", p.address)
    .where("lesson_id", "=", p.lesson)
    .where("question_id", "=", p.question),
);

/** Review questions due now, oldest first, at most `limit`. */
export async function dueReviews(db: Db, address: Address, now: Date, limit = 10): Promise<DueReview[]> {
  const rows = await db
    .selectFrom("review_items")
    .select(["lesson_id", "question_id"])
    .where("address", "=", address)
    .where("due_at", "<=", now.toISOString())
    .orderBy("due_at")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ lesson: r.lesson_id, question: r.question_id }));
}

/** How many review questions are due now. */
export async function countDueReviews(db: Db, address: Address, now: Date): Promise<number> {
  const { rows } = await dueReviewCount(db, { address, at: now.toISOString() });
  return Number(rows[0]?.n ?? 0);
}

const dueReviewCount = prepared((db, p: { address: string; at: string }) =>
  db
    .selectFrom("review_items")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("address", "=", p.address)
    .where("due_at", "<=", p.at),
);

/** Marks a local day as a day with learning activity. */
export async function markActiveDay(db: Db, address: Address, day: string): Promise<void> {
  await activeDayInsert(db, { address, day });
}

const activeDayInsert = prepared((db, p: { address: string; day: string }) =>
  db
    .insertInto("learning_days")
    .values({ address: p.address, day: p.day })
    .onConflict((oc) => oc.columns(["address", "day"]).doNothing()),
);

/** Every local day with learning activity. */
export async function activeDays(db: Db, address: Address): Promise<string[]> {
  const rows = await db.selectFrom("learning_days").select("day").where("address", "=", address).execute();
  return rows.map((r) => r.day);
}

/** The best quiz score of each lesson taken. */
export async function bestScores(db: Db, address: Address): Promise<Map<string, { score: number; total: number }>> {
  const rows = await db
    .selectFrom("quiz_results")
    .select(["lesson_id", "score", "total"])
    .where("address", "=", address)
    .execute();
  const best = new Map<string, { score: number; total: number }>();
  for (const row of rows) {
    const previous = best.get(row.lesson_id);
    if (!previous || Number(row.score) / Number(row.total) > previous.score / previous.total) {
      best.set(row.lesson_id, { score: Number(row.score), total: Number(row.total) });
    }
  }
  return best;
}
