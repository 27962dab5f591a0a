/**
 * The pseudonymised learning records of the people who said yes to research: who (a keyed code),
 * which lesson and question, right or wrong, and the day. Nothing else: no address, no language
 * or city (with the day they would narrow a small group down to one person), no free text, and
 * time coarsened to the UTC day so the order of a person's days stays but not their hours.
 * Someone who takes the consent back is left out of every export from then on. The attempt number
 * (first answer, retry ...) is kept: it matters for learning research and tells nothing about who.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../storage/schema.ts";
import { researchHash } from "./pseudonym.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** One answer to a quiz or review question. */
export interface ResearchAnswer {
  person: string;
  lesson: string;
  question: string;
  correct: boolean;
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** `quiz` after a lesson, or `review` (spaced repetition). */
  source: "quiz" | "review";
  /** 1 for the person's first answer to this question here (quiz or review), 2 for the next ... */
  attempt: number;
}

/** One finished quiz (which finishes its lesson). */
export interface ResearchCompletion {
  person: string;
  lesson: string;
  score: number;
  total: number;
  day: string;
}

/** Everything the export holds. */
export interface ResearchRecords {
  answers: ResearchAnswer[];
  completions: ResearchCompletion[];
}

/**
 * The records of people with research consent (and consent to storage), under `key`; sorted by
 * person, day, lesson and question, so the row order tells nothing the columns do not.
 *
 * @example
 * const { answers } = await researchRecords(app.store.db, config.RESEARCH_HASH_KEY);
 */
export async function researchRecords(db: Db, key: string): Promise<ResearchRecords> {
  const answerRows = await db
    .selectFrom("quiz_answers")
    .innerJoin("users", "users.address", "quiz_answers.address")
    .select([
      "quiz_answers.address as address",
      "quiz_answers.lesson_id as lesson",
      "quiz_answers.question_id as question",
      "quiz_answers.correct as correct",
      "quiz_answers.source as source",
      "quiz_answers.answered_at as at",
    ])
    .where("users.research_consent", "=", 1)
    .where("users.consent", "=", "given")
    .orderBy("quiz_answers.id")
    .execute();
  const completionRows = await db
    .selectFrom("quiz_results")
    .innerJoin("users", "users.address", "quiz_results.address")
    .select([
      "quiz_results.address as address",
      "quiz_results.lesson_id as lesson",
      "quiz_results.score as score",
      "quiz_results.total as total",
      "quiz_results.taken_at as at",
    ])
    .where("users.research_consent", "=", 1)
    .where("users.consent", "=", "given")
    .execute();
  const codes = new Map<string, string>();
  const code = (address: string) => {
    const hash = codes.get(address) ?? researchHash(key, address);
    codes.set(address, hash);
    return hash;
  };
  // Answers come in the order given, so the n-th answer of a person to a question is attempt n.
  const attempts = new Map<string, number>();
  const answers = answerRows.map((r): ResearchAnswer => {
    const source = r.source === "review" ? "review" : "quiz";
    const slot = JSON.stringify([r.address, r.lesson, r.question, source]);
    const attempt = (attempts.get(slot) ?? 0) + 1;
    attempts.set(slot, attempt);
    return {
      person: code(r.address),
      lesson: r.lesson,
      question: r.question,
      correct: Number(r.correct) === 1,
      day: r.at.slice(0, 10),
      source,
      attempt,
    };
  });
  const completions = completionRows.map(
    (r): ResearchCompletion => ({
      person: code(r.address),
      lesson: r.lesson,
      score: Number(r.score),
      total: Number(r.total),
      day: r.at.slice(0, 10),
    }),
  );
  const order = (a: { person: string; day: string; lesson: string }, b: typeof a) =>
    a.person.localeCompare(b.person) || a.day.localeCompare(b.day) || a.lesson.localeCompare(b.lesson);
  answers.sort(
    (a, b) =>
      order(a, b) || a.question.localeCompare(b.question) || a.source.localeCompare(b.source) || a.attempt - b.attempt,
  );
  completions.sort(order);
  return { answers, completions };
}

/**
 * How many people said yes to research (and to storage), for the export page.
 *
 * @example
 * await consentingPeople(app.store.db); // 42
 */
export async function consentingPeople(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("research_consent", "=", 1)
    .where("consent", "=", "given")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
