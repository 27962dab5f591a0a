/**
 * The content check as a function, so tests can run it on a deliberately
 * broken copy of the pack without spawning a process.
 */
import { checkContent, checkQuizCues, maxLengthCue, quizCues } from "./check.ts";
import { checkLocales } from "./check-locales.ts";
import { checkDigComp, digCompLine } from "./digcomp.ts";
import { type ContentProblem, type RawContent, readContentFiles } from "./load.ts";
import { contentLimits, type LocalizedText } from "./schema.ts";

/** What the check prints and whether the pack passed. */
export interface CheckReport {
  ok: boolean;
  problems: ContentProblem[];
  lines: string[];
}

/**
 * Validates the content pack under `contentRoot` and the UI strings under `localesRoot`, and formats the report.
 *
 * @example
 * const report = await runContentCheck("content", "locales");
 * if (!report.ok) console.error(report.lines.join("\n"));
 */
export async function runContentCheck(contentRoot: string, localesRoot: string): Promise<CheckReport> {
  const raw = await readContentFiles(contentRoot);
  const problems = [
    ...raw.problems,
    ...checkContent(raw),
    ...checkQuizCues(raw),
    ...checkDigComp(raw),
    ...checkLocales(localesRoot),
  ];
  const errors = problems.filter((p) => p.level === "error");
  const lines = problems.map(formatProblem);
  if (errors.length === 0) lines.push(cuesLine(raw), digCompLine(raw), stepsLine(raw));
  lines.push(errors.length > 0 ? `content check failed: ${errors.length} error(s)` : summarize(raw));
  return { ok: errors.length === 0, problems, lines };
}

/** `file [item] field: message`, with the level in front of warnings. */
export function formatProblem(p: ContentProblem): string {
  const where = [p.file, p.item ? `[${p.item}]` : "", p.field ?? ""].filter(Boolean).join(" ");
  return `${p.level === "warning" ? "warning: " : "error: "}${where}: ${p.message}`;
}

/** The quizzes' guessability in one line: the worst course's length cue, and right answers by position. */
function cuesLine(raw: RawContent): string {
  const cues = quizCues(raw);
  const worst = cues.reduce(
    (a, b) => (b.longestRight > a.longestRight ? b : a),
    cues[0] ?? { course: "-", longestRight: 0 },
  );
  const positions = cues.reduce((sum, c) => sum.map((n, i) => n + (c.positions[i] ?? 0)), [0, 0, 0, 0]);
  const shortest = Math.max(0, ...cues.map((c) => c.shortestRight));
  return `quiz cues: right answer the unique longest option in at most ${Math.round(worst.longestRight * 100)}% of a course's questions (${worst.course}; limit ${maxLengthCue * 100}%), the unique shortest in at most ${Math.round(shortest * 100)}%; right answers by position in the content ${positions.join("/")} (people see options shuffled)`;
}

/** The longest step in English and in any language, against their limits (an error above them). */
function stepsLine(raw: RawContent): string {
  const steps = raw.lessons.flatMap((l) => l.value.steps.map((s) => s.text));
  const english = Math.max(0, ...steps.map((t) => [...(t.en ?? "")].length));
  const other = Math.max(
    0,
    ...steps.flatMap((t) =>
      Object.entries(t)
        .filter(([lang]) => lang !== "en")
        .map(([, text]) => [...text].length),
    ),
  );
  return `steps: the longest ${english} characters in English (at most ${contentLimits.stepText}), ${other} in another language (at most ${contentLimits.stepTextTranslated})`;
}

function summarize(raw: RawContent): string {
  const questions = raw.lessons.reduce((n, l) => n + l.value.quiz.length, 0);
  const texts = collectTexts(raw);
  const languages = new Set(texts.flatMap((t) => Object.keys(t)));
  const complete: string[] = [];
  const partial: string[] = [];
  for (const lang of [...languages].sort(byEnglishFirst)) {
    const missing = texts.filter((t) => !t[lang]).length;
    (missing === 0 ? complete : partial).push(lang);
  }
  const partialNote = partial.length > 0 ? `; partial in ${partial.join(", ")}` : "";
  const cities = new Set(raw.services.map((s) => s.value.city)).size;
  const unverified = raw.services.filter((s) => !s.value.verified).length;
  const recorded = raw.lessons.flatMap((l) => l.value.steps.flatMap((s) => Object.keys(s.audio ?? {})));
  const audio =
    recorded.length > 0
      ? `; ${recorded.length} recorded steps (${[...new Set(recorded)].join(", ")})`
      : "; no recorded steps yet";
  const directory = `${audio}; ${raw.services.length} services in ${cities} cities (${unverified} to check before use), ${raw.returnInfo.length} return pages`;
  return `${raw.courses.length} courses, ${raw.lessons.length} lessons, ${questions} questions; complete in ${complete.join(", ")}${partialNote}${directory}`;
}

function collectTexts(raw: RawContent): LocalizedText[] {
  const texts: LocalizedText[] = [];
  for (const { value: c } of raw.courses) texts.push(c.title, c.summary);
  for (const { value: l } of raw.lessons) {
    texts.push(l.title, l.summary, ...l.steps.map((s) => s.text));
    for (const q of l.quiz) texts.push(q.question, q.explanation, ...q.options.flatMap((o) => [o.text, o.feedback]));
  }
  return texts;
}

function byEnglishFirst(a: string, b: string): number {
  const order = ["en", "de", "ar"];
  const ia = order.indexOf(a) === -1 ? 99 : order.indexOf(a);
  const ib = order.indexOf(b) === -1 ? 99 : order.indexOf(b);
  return ia - ib || a.localeCompare(b);
}
