/**
 * content:check fails a course whose quiz can be guessed by the length of the right answer (issue 17:
 * in 54% of questions the right answer was the unique longest option), and reports where the right
 * answers sit in the content.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runContentCheck } from "../../src/content/check-run.ts";

describe("quiz cues", () => {
  let copy: string;
  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), "lotse-cues-"));
    cpSync("content", join(copy, "content"), { recursive: true });
    cpSync("locales", join(copy, "locales"), { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  it("the shipped pack passes and prints the worst course's figure", async () => {
    const report = await runContentCheck("content", "locales");
    expect(report.problems.filter((p) => p.level === "error")).toEqual([]);
    const cues = report.lines.find((l) => l.startsWith("quiz cues:")) ?? "";
    expect(cues).toMatch(/^quiz cues: right answer the unique longest option in at most (\d+)%/);
    expect(report.lines).toContainEqual(expect.stringMatching(/^DigComp 3.0: 21\/21 competences/));
    const worst = Number(/at most (\d+)%/.exec(cues)?.[1]);
    expect(worst).toBeLessThanOrEqual(35);
  });

  it("fails a course whose right answers are made the longest", async () => {
    const dir = join(copy, "content/courses/safe-online/lessons");
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      const lesson = parse(readFileSync(file, "utf8")) as {
        quiz: { options: { correct?: boolean; text: Record<string, string> }[] }[];
      };
      for (const q of lesson.quiz) {
        for (const o of q.options)
          if (o.correct) o.text.en = `${o.text.en} — and this makes it much the longest option`;
      }
      writeFileSync(file, stringify(lesson));
    }
    const report = await runContentCheck(join(copy, "content"), join(copy, "locales"));
    const error = report.problems.find((p) => p.level === "error" && p.item === "safe-online");
    expect(error?.message).toMatch(/unique longest option in 100% of \d+ questions \(at most 35%\)/);
  });

  const editLesson = (
    change: (lesson: { steps: { text: Record<string, string> }[]; quiz: { options: unknown[] }[] }) => void,
  ) => {
    const file = join(copy, "content/courses/safe-online/lessons/strong-passwords.yaml");
    const lesson = parse(readFileSync(file, "utf8"));
    change(lesson);
    writeFileSync(file, stringify(lesson));
  };
  const errors = async () =>
    (await runContentCheck(join(copy, "content"), join(copy, "locales"))).problems
      .filter((p) => p.level === "error")
      .map((p) => `${p.field}: ${p.message}`);

  it("fails a step over 350 characters in English or over 500 in another language", async () => {
    editLesson((lesson) => {
      const [first, second] = lesson.steps;
      if (first) first.text.en = "A step that tells too much. ".repeat(13);
      if (second) second.text.de = "Ein Schritt, der zu viel sagt. ".repeat(17);
    });
    const found = await errors();
    expect(found).toContainEqual(expect.stringMatching(/^steps\.0\.text\.en: \d+ characters, over 350 in English/));
    expect(found).toContainEqual(expect.stringMatching(/^steps\.1\.text\.de: \d+ characters, over the limit of 500/));
  });

  it("fails a quiz of 3 questions and a question of 2 options", async () => {
    editLesson((lesson) => {
      lesson.quiz = lesson.quiz.slice(0, 3);
      const [q] = lesson.quiz;
      if (q) q.options = q.options.slice(0, 2);
    });
    const found = await errors();
    expect(found).toContainEqual(expect.stringMatching(/^quiz: .*at least 4 questions/));
    expect(found).toContainEqual(expect.stringMatching(/^quiz\.0\.options: .*at least 3 options/));
  });
});
