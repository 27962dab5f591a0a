/**
 * A class's learners as CSV for a spreadsheet: the learner's reference and the name they chose for
 * the class, when they joined, where they are (not started, active, stalled, finished), lessons done,
 * courses finished, the last activity, sessions attended, and per lesson of the class's courses the
 * mark and the best quiz score in percent. No chat address, never: a file that travels by e-mail must
 * not let anyone contact the people on it.
 */
import { localDay } from "../domain/local-time.ts";
import { type CsvCell, type CsvStyle, toCsv } from "../stats/csv.ts";
import type { ClassProgress } from "./progress.ts";

/** The fixed columns, in order (stable names: scripts read them); per-lesson columns follow. */
export const classCsvColumns = [
  "ref",
  "name",
  "joined",
  "state",
  "lessons_done",
  "lessons_total",
  "courses_finished",
  "last_active",
  "sessions_attended",
] as const;

/**
 * The CSV text of a class: one row per learner, then one `lesson:<id>` column (done, started, none)
 * and one `quiz_pct:<id>` column (best score in percent, empty when not taken) per lesson. Days are
 * local days in the class's zone.
 *
 * @example
 * classCsv(await classProgress(db, pack, cls, now), { timeZone: "Europe/Berlin", attended: { a1b2c3d4: 2 } });
 * // "ref,name,joined,state,…\r\na1b2c3d4,Mina,2026-03-02,active,1,6,,2026-03-04,2,done,…\r\n"
 */
export function classCsv(
  progress: ClassProgress,
  options: { timeZone: string; attended?: Readonly<Record<string, number>> },
  style: CsvStyle = {},
): string {
  const lessonIds = progress.lessons.map((l) => l.lesson);
  const header = [
    ...classCsvColumns,
    ...lessonIds.map((id) => `lesson:${id}`),
    ...lessonIds.map((id) => `quiz_pct:${id}`),
  ];
  const day = (at: Date | null) => (at ? localDay(at, options.timeZone) : "");
  const rows = progress.learners.map((l): CsvCell[] => [
    l.ref,
    l.name ?? "",
    day(l.joinedAt),
    l.state,
    l.done,
    l.total,
    l.finishedCourses.join(" "),
    day(l.lastActive),
    options.attended?.[l.ref] ?? 0,
    ...lessonIds.map((id) => l.lessons[id] ?? "none"),
    ...lessonIds.map((id) => {
      const quiz = l.quiz[id];
      return quiz && quiz.total > 0 ? Math.round((quiz.score / quiz.total) * 100) : null;
    }),
  ]);
  return toCsv(header, rows, style);
}
