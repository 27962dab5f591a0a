/**
 * DigComp coverage (issue 17): content:check fails when one of the 21 competences is taught by no
 * lesson (a tag alone does not count: two questions must test it), and when a question names a
 * competence its lesson does not list; the placement check must cover the five areas.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runContentCheck } from "../../src/content/check-run.ts";
import { digCompCoverage } from "../../src/content/digcomp.ts";
import { readContentFiles } from "../../src/content/load.ts";

describe("DigComp coverage", () => {
  let copy: string;
  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), "lotse-digcomp-"));
    cpSync("content", join(copy, "content"), { recursive: true });
    cpSync("locales", join(copy, "locales"), { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  const edit = (file: string, change: (item: Record<string, unknown>) => void) => {
    const path = join(copy, "content", file);
    const item = parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    change(item);
    writeFileSync(path, stringify(item));
  };
  const errors = async () =>
    (await runContentCheck(join(copy, "content"), join(copy, "locales"))).problems
      .filter((p) => p.level === "error")
      .map((p) => `${p.field ?? ""} ${p.message}`);

  it("the shipped pack teaches all 21, each by a lesson with two questions on it", async () => {
    const coverage = digCompCoverage(await readContentFiles("content"));
    expect(coverage).toHaveLength(21);
    for (const c of coverage) expect(c.lessons.length, c.competence).toBeGreaterThan(0);
    const report = await runContentCheck("content", "locales");
    expect(report.lines).toContainEqual(
      expect.stringMatching(/^DigComp 3\.0: 21\/21 competences; lessons per competence: 1\.1 \d+/),
    );
    // The counts the issue asks for, and the step lengths printed.
    expect(report.lines.at(-1)).toMatch(
      /^1[4-9] courses, ([7-9]\d|\d{3,}) lessons, (3[5-9]\d|[4-9]\d\d|\d{4,}) questions;/,
    );
    const steps = report.lines.find((l) => l.startsWith("steps:")) ?? "";
    expect(Number(/longest (\d+) characters in English/.exec(steps)?.[1])).toBeLessThanOrEqual(350);
  });

  it("a competence only tagged, with no question on it, is not taught: the check fails naming it", async () => {
    // The only lesson on the environment (4.4): its questions all made to test its other competence.
    const taught = digCompCoverage(await readContentFiles("content")).find((c) => c.competence === "4.4");
    expect(taught?.lessons).toEqual(["phone-reuse-recycle"]);
    edit("courses/health-wellbeing/lessons/phone-reuse-recycle.yaml", (lesson) => {
      for (const q of lesson.quiz as { competence?: string }[]) q.competence = "5.1";
    });
    expect(await errors()).toContainEqual(expect.stringMatching(/DigComp 4\.4 is taught by no lesson/));
  });

  it("a question naming a competence its lesson does not list fails", async () => {
    edit("courses/safe-online/lessons/strong-passwords.yaml", (lesson) => {
      const [first] = lesson.quiz as { competence?: string }[];
      if (first) first.competence = "3.4";
    });
    expect(await errors()).toContainEqual(
      expect.stringMatching(/^quiz\.0\.competence "3\.4" is not one of the lesson's competences/),
    );
  });

  it("a lesson on the old eight-level scale fails with the field named", async () => {
    edit("courses/safe-online/lessons/strong-passwords.yaml", (lesson) => {
      delete lesson.proficiency;
      lesson.level = 2;
    });
    expect(await errors()).toContainEqual(expect.stringMatching(/^proficiency /));
  });

  it("a placement check that leaves out an area fails", async () => {
    edit("placement/check.yaml", (check) => {
      const questions = check.questions as { area: number }[];
      check.questions = questions.filter((q) => q.area !== 3);
    });
    expect(await errors()).toContainEqual(expect.stringMatching(/must cover all five DigComp areas/));
  });
});
