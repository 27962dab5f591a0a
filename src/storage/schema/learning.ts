/** The learning tables: progress through lessons, quiz results and answers, spaced review, active days, daily nudges, and course certificates. (See `../schema.ts` for how times and booleans are stored.) */
import type { Generated } from "kysely";

/** Where a person is in a lesson, and whether they finished it (its quiz). */
export interface LessonProgressTable {
  address: string;
  lesson_id: string;
  step: number;
  completed_at: string | null;
  updated_at: string;
}

/** One finished quiz. */
export interface QuizResultsTable {
  id: Generated<number>;
  address: string;
  lesson_id: string;
  score: number;
  total: number;
  taken_at: string;
}

/** One answer to a quiz or review question, for item statistics and the research export (migration 015). */
export interface QuizAnswersTable {
  id: Generated<number>;
  address: string;
  lesson_id: string;
  question_id: string;
  /** 1 right, 0 wrong. */
  correct: number;
  /** `quiz` (the quiz after a lesson) or `review` (spaced repetition). */
  source: Generated<string>;
  answered_at: string;
}

/** A question answered wrongly, in its Leitner box, due again at `due_at`. */
export interface ReviewItemsTable {
  address: string;
  lesson_id: string;
  question_id: string;
  box: number;
  due_at: string;
  updated_at: string;
}

/** A local calendar day (YYYY-MM-DD, the person's time zone) with learning activity, for streaks. */
export interface LearningDaysTable {
  address: string;
  day: string;
}

/** A learner's daily nudge: the local hour (null = off) and the pause after unanswered nudges. */
export interface NudgeSettingsTable {
  address: string;
  hour: number | null;
  unanswered: number;
  paused: number;
  /** The local day (YYYY-MM-DD) the last nudge went out, so never twice a day. */
  last_sent_day: string | null;
  updated_at: string;
}

/** A course certificate (migration 021); `address` is null once its holder deleted their data and kept it valid. */
export interface CertificatesTable {
  id: string;
  address: string | null;
  course_id: string;
  course_version: number;
  name: string;
  language: string;
  issued_at: string;
  credential: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  new_allowed: number;
}

/** The organisation's signing key for certificates (migration 021). */
export interface IssuerKeysTable {
  id: string;
  key_pair: string;
  created_at: string;
}
