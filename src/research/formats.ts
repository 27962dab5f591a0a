/**
 * The research export's two formats: CSV (one row per answer) and xAPI statements (a JSON array an
 * LRS accepts: "answered" per answer, "completed" per finished quiz, with the ADL verb IRIs).
 */
import { toCsv } from "../stats/csv.ts";
import type { ResearchRecords } from "./records.ts";

/** The account home page when `PUBLIC_URL` is unset: a reserved name that can never resolve. */
export const fallbackHomePage = "https://lotse.invalid";

/** The CSV columns, in order. */
export const researchCsvHeader = ["person", "lesson", "question", "correct", "day", "source", "attempt"] as const;

/**
 * One CSV row per answer: person code, lesson, question, correct (1/0), day, source, attempt.
 *
 * @example
 * const csv = researchCsv(await researchRecords(db, key));
 */
export function researchCsv(records: ResearchRecords): string {
  return toCsv(
    researchCsvHeader,
    records.answers.map((a) => [a.person, a.lesson, a.question, a.correct ? 1 : 0, a.day, a.source, a.attempt]),
  );
}

/** An xAPI 1.0.3 statement, as far as the export fills it. */
export interface XapiStatement {
  actor: { objectType: "Agent"; account: { homePage: string; name: string } };
  verb: { id: string; display: { "en-US": string } };
  object: {
    objectType: "Activity";
    id: string;
    definition: { type: string; interactionType?: "choice" };
  };
  result: {
    success?: boolean;
    completion?: boolean;
    score?: { raw: number; min: number; max: number; scaled: number };
  };
  context?: {
    contextActivities: { parent: { objectType: "Activity"; id: string }[] };
    extensions: Record<string, string | number>;
  };
  /** The day at midnight UTC: the export keeps days, not hours. */
  timestamp: string;
}

const verbs = {
  answered: "http://adlnet.gov/expapi/verbs/answered",
  completed: "http://adlnet.gov/expapi/verbs/completed",
} as const;

const activityTypes = {
  lesson: "http://adlnet.gov/expapi/activities/lesson",
  question: "http://adlnet.gov/expapi/activities/cmi.interaction",
} as const;

/**
 * The statements: "answered" for each answer (object: the question, parent: its lesson), then
 * "completed" for each finished quiz (object: the lesson, with the score). Activity ids are IRIs
 * under the home page, stable across exports.
 *
 * @example
 * const statements = researchXapi(records, config.PUBLIC_URL ?? fallbackHomePage);
 */
export function researchXapi(records: ResearchRecords, homePage: string = fallbackHomePage): XapiStatement[] {
  const base = homePage.replace(/\/+$/, "");
  const actor = (name: string) => ({ objectType: "Agent" as const, account: { homePage: base, name } });
  const lessonId = (lesson: string) => `${base}/xapi/activities/lesson/${encodeURIComponent(lesson)}`;
  const extension = (name: string) => `${base}/xapi/extensions/${name}`;
  const timestamp = (day: string) => `${day}T00:00:00Z`;
  const answered = records.answers.map(
    (a): XapiStatement => ({
      actor: actor(a.person),
      verb: { id: verbs.answered, display: { "en-US": "answered" } },
      object: {
        objectType: "Activity",
        id: `${lessonId(a.lesson)}/question/${encodeURIComponent(a.question)}`,
        definition: { type: activityTypes.question, interactionType: "choice" },
      },
      result: { success: a.correct },
      context: {
        contextActivities: { parent: [{ objectType: "Activity", id: lessonId(a.lesson) }] },
        extensions: { [extension("source")]: a.source, [extension("attempt")]: a.attempt },
      },
      timestamp: timestamp(a.day),
    }),
  );
  const completed = records.completions.map(
    (c): XapiStatement => ({
      actor: actor(c.person),
      verb: { id: verbs.completed, display: { "en-US": "completed" } },
      object: { objectType: "Activity", id: lessonId(c.lesson), definition: { type: activityTypes.lesson } },
      result: {
        completion: true,
        score: { raw: c.score, min: 0, max: c.total, scaled: c.total > 0 ? c.score / c.total : 0 },
      },
      timestamp: timestamp(c.day),
    }),
  );
  return [...answered, ...completed];
}
