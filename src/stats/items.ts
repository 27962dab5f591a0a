/**
 * Item statistics per quiz question, so authors see which questions are broken.
 *
 * Only each person's *first* answer to a question in the quiz after a lesson counts: a retry or a
 * review comes after the feedback showed the right answer, and would make every question look easy.
 *
 * - **Share correct** (difficulty, p): right first answers / first answers.
 * - **Discrimination**: the corrected point-biserial correlation, i.e. the Pearson correlation
 *   between the item (1 right, 0 wrong) and the person's *rest score*: the share of right first
 *   answers to the lesson's *other* questions. "Corrected" because Lotse's quizzes have 3 to 5
 *   questions, and an item correlated with a total that contains itself looks good by construction.
 *   The share rather than the sum of the other items lets people who left a quiz half-way count
 *   with the questions they did answer. It was chosen over the upper-lower 27 % index because that
 *   index needs large groups (27 % of 20 people is 5) and throws away the middle 46 % of people.
 *   Null when it cannot be computed: fewer than 2 people, or everyone alike in the item or in the
 *   rest score (no variance).
 *
 * A question is flagged "check this question" when p > 0.9 (too easy), p < 0.2 (too hard or
 * wrongly keyed) or discrimination < 0.1 (people who do well elsewhere do not do better here). Values
 * and flags are withheld under {@link minGroup} people (small-groups.ts).
 */
import type { ContentPack } from "../content/pack.ts";
import type { StatsDb } from "./db.ts";
import { lessonOrder } from "./learning.ts";
import { minGroup } from "./small-groups.ts";

/** One graded answer as item statistics need it; `person` is any stable id (never shown). */
export interface GradedAnswer {
  person: string;
  lesson: string;
  question: string;
  correct: boolean;
}

/** Why a question is flagged. */
export type ItemFlag = "tooEasy" | "tooHard" | "lowDiscrimination";

/** The statistics of one question. */
export interface ItemStats {
  lesson: string;
  question: string;
  /** People with a first answer to it. */
  count: number;
  /** 0..1; null under {@link minGroup} people. */
  shareCorrect: number | null;
  /** -1..1; null under {@link minGroup} people or when it cannot be computed. */
  discrimination: number | null;
  flags: ItemFlag[];
}

/** The statistics of one lesson's questions. */
export interface LessonItems {
  lesson: string;
  items: ItemStats[];
}

/** Thresholds of "check this question". */
export const itemLimits = { easy: 0.9, hard: 0.2, discrimination: 0.1 } as const;

/**
 * Item statistics from first answers, per lesson and question, in the order given (the first
 * answer of a person to a question is the first in `answers`).
 *
 * @example
 * itemStatistics([{ person: "a", lesson: "l", question: "q1", correct: true }, ...]);
 */
export function itemStatistics(answers: Iterable<GradedAnswer>): LessonItems[] {
  // lesson -> person -> question -> first answer (1 or 0); questions kept in order of first appearance.
  const lessons = new Map<string, { questions: string[]; people: Map<string, Map<string, number>> }>();
  for (const a of answers) {
    const lesson = lessons.get(a.lesson) ?? { questions: [], people: new Map<string, Map<string, number>>() };
    lessons.set(a.lesson, lesson);
    if (!lesson.questions.includes(a.question)) lesson.questions.push(a.question);
    const person = lesson.people.get(a.person) ?? new Map<string, number>();
    lesson.people.set(a.person, person);
    if (!person.has(a.question)) person.set(a.question, a.correct ? 1 : 0);
  }
  return [...lessons].map(([lesson, { questions, people }]) => ({
    lesson,
    items: questions.map((question) => itemOf(lesson, question, [...people.values()])),
  }));
}

function itemOf(lesson: string, question: string, people: Map<string, number>[]): ItemStats {
  const item: number[] = [];
  const rest: number[] = [];
  let count = 0;
  let right = 0;
  for (const answers of people) {
    const x = answers.get(question);
    if (x === undefined) continue;
    count += 1;
    right += x;
    const others = [...answers].filter(([q]) => q !== question).map(([, v]) => v);
    if (others.length === 0) continue;
    item.push(x);
    rest.push(others.reduce((a, b) => a + b, 0) / others.length);
  }
  if (count < minGroup) return { lesson, question, count, shareCorrect: null, discrimination: null, flags: [] };
  const shareCorrect = right / count;
  const discrimination = pearson(item, rest);
  const flags: ItemFlag[] = [];
  if (shareCorrect > itemLimits.easy) flags.push("tooEasy");
  if (shareCorrect < itemLimits.hard) flags.push("tooHard");
  if (discrimination !== null && discrimination < itemLimits.discrimination) flags.push("lowDiscrimination");
  return { lesson, question, count, shareCorrect, discrimination, flags };
}

/**
 * The Pearson correlation of two equally long series; null without variance or with fewer than 2 pairs.
 *
 * @example
 * pearson([1, 0, 1], [1, 0, 0.5]); // 0.866...
 */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2 || y.length !== n) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] ?? 0) - mx;
    const dy = (y[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Rounding can leave a tiny variance where there is none (all alike): treat it as none.
  if (sxx < 1e-12 || syy < 1e-12) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Item statistics of every lesson with quiz answers, in course order, questions in quiz order.
 *
 * @example
 * const lessons = await itemStats(app.store.db, app.content);
 */
export async function itemStats(db: StatsDb, pack: ContentPack): Promise<LessonItems[]> {
  const rows = await db
    .selectFrom("quiz_answers")
    .select(["address", "lesson_id", "question_id", "correct"])
    .where("source", "=", "quiz")
    .orderBy("id")
    .execute();
  const lessons = itemStatistics(
    rows.map((r) => ({
      person: r.address,
      lesson: r.lesson_id,
      question: r.question_id,
      correct: Number(r.correct) === 1,
    })),
  );
  const byLesson = new Map(lessons.map((l) => [l.lesson, l]));
  return lessonOrder(pack, byLesson.keys()).flatMap(({ lesson }) => {
    const found = byLesson.get(lesson);
    if (!found) return [];
    const order = (pack.lesson(lesson)?.quiz ?? []).map((q) => q.id);
    const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
    return [{ lesson, items: [...found.items].sort((a, b) => rank(a.question) - rank(b.question)) }];
  });
}
