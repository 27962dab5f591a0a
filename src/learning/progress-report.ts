/**
 * The "my progress" message: compact text that renders the same on every
 * channel, with a bar of block characters per DigComp area.
 */
import { type Line, msg, type Reply } from "../../flows/kit.ts";
import type { ContentPack } from "../content/pack.ts";

/** What the report is made of. */
export interface ProgressFacts {
  completed: readonly string[];
  bestScores: ReadonlyMap<string, { score: number; total: number }>;
  streak: number;
  reviewsDue: number;
}

const barWidth = 10;

/**
 * A bar such as `▓▓▓░░░░░░░` for a share between 0 and 1.
 *
 * @example
 * bar(0.3); // "▓▓▓░░░░░░░"
 */
export function bar(share: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, share)) * barWidth);
  return "▓".repeat(filled) + "░".repeat(barWidth - filled);
}

/** Share of each DigComp area's lessons that are done; a lesson counts for every area it touches. */
export function areaShares(pack: ContentPack, completed: readonly string[]): Map<number, number> {
  const totals = new Map<number, { done: number; all: number }>();
  for (const course of pack.courses) {
    for (const lesson of pack.lessonsOf(course.id)) {
      const areas = new Set(lesson.competences.map((c) => Number(c.split(".")[0])));
      for (const area of areas) {
        const entry = totals.get(area) ?? { done: 0, all: 0 };
        entry.all += 1;
        if (completed.includes(lesson.id)) entry.done += 1;
        totals.set(area, entry);
      }
    }
  }
  return new Map([...totals].sort(([a], [b]) => a - b).map(([area, t]) => [area, t.all ? t.done / t.all : 0]));
}

/**
 * The progress reply.
 *
 * @example
 * progressReply(pack, { completed: ["scan-documents"], bestScores, streak: 2, reviewsDue: 1 });
 */
export function progressReply(pack: ContentPack, facts: ProgressFacts): Reply {
  const lessonCount = pack.courses.reduce((n, c) => n + pack.lessonsOf(c.id).length, 0);
  const scores = [...facts.bestScores.values()];
  const right = scores.reduce((n, s) => n + s.score, 0);
  const asked = scores.reduce((n, s) => n + s.total, 0);
  const areas: Line = [...areaShares(pack, facts.completed)].map(([area, share]) =>
    msg(`learning.progress.area${area}`, { bar: bar(share), percent: Math.round(share * 100) }),
  );
  const lines: Line[] = [
    msg("learning.progress.title"),
    [
      msg("learning.progress.lessons", { done: facts.completed.length, total: lessonCount }),
      asked > 0
        ? msg("learning.progress.quiz", { percent: Math.round((right / asked) * 100) })
        : msg("learning.progress.noQuiz"),
      msg("learning.progress.streak", { count: facts.streak }),
      ...(facts.reviewsDue > 0 ? [msg("learning.progress.reviews", { count: facts.reviewsDue })] : []),
    ],
    msg("learning.progress.areasTitle"),
    areas,
  ];
  return { kind: "text", lines };
}
