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
    expect(report.lines.at(-2)).toMatch(/^quiz cues: right answer the unique longest option in at most (\d+)%/);
    const worst = Number(/at most (\d+)%/.exec(report.lines.at(-2) ?? "")?.[1]);
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
});
