/**
 * `npm run content:check` passes on the shipped pack and fails, naming file,
 * item and field, on a deliberately broken copy.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runContentCheck } from "../../src/content/check-run.ts";

const run = promisify(execFile);

describe("content check", () => {
  let copy: string;
  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), "lotse-content-"));
    cpSync("content", join(copy, "content"), { recursive: true });
    cpSync("locales", join(copy, "locales"), { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  const edit = (path: string, change: (data: Record<string, unknown>) => void) => {
    const file = join(copy, path);
    const data = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    change(data);
    writeFileSync(file, stringify(data));
  };

  it("passes on the shipped pack with a one-line summary", async () => {
    const report = await runContentCheck("content", "locales");
    expect(report.ok).toBe(true);
    expect(report.lines.at(-1)).toMatch(/^\d+ courses, \d+ lessons, \d+ questions; complete in en, de, ar/);
    const [courses, lessons] = (report.lines.at(-1) ?? "").match(/\d+/g)?.map(Number) ?? [];
    expect(courses).toBeGreaterThanOrEqual(8);
    expect(lessons).toBeGreaterThanOrEqual(30);
  });

  it("fails on a broken copy and names file, item and field for each problem", async () => {
    const lesson = "content/courses/safe-online/lessons/strong-passwords.yaml";
    edit(lesson, (d) => {
      (d.title as Record<string, string>).de = "Ein viel zu langer deutscher Titel";
      delete (d.summary as Record<string, string>).en;
    });
    edit("content/courses/safe-online/lessons/two-step-login.yaml", (d) => {
      d.id = "scam-messages";
    });
    edit("content/courses/privacy-settings/course.yaml", (d) => {
      (d.lessons as string[]).push("no-such-lesson");
    });
    writeFileSync(join(copy, "locales/de/menu.json"), "{ broken");
    const report = await runContentCheck(join(copy, "content"), join(copy, "locales"));
    const text = report.lines.join("\n");
    expect(report.ok).toBe(false);
    expect(text).toMatch(/strong-passwords\.yaml \[strong-passwords\] summary: English \(en\) is required/);
    expect(text).toMatch(/two-step-login\.yaml \[scam-messages\] id: duplicate id/);
    expect(text).toMatch(
      /privacy-settings\/course\.yaml \[privacy-settings\] lessons\.4: no lesson with id "no-such-lesson"/,
    );
    expect(text).toMatch(/locales\/de\/menu\.json: not valid JSON/);
    expect(report.lines.at(-1)).toMatch(/content check failed: \d+ error/);
  });

  it("fails on a title over a channel's limit in one language", async () => {
    edit("content/courses/safe-online/lessons/strong-passwords.yaml", (d) => {
      (d.title as Record<string, string>).ar = "عنوان طويل جدا لا يتسع في زر واتساب";
    });
    const report = await runContentCheck(join(copy, "content"), join(copy, "locales"));
    expect(report.lines.join("\n")).toMatch(/\[strong-passwords\] title\.ar: \d+ characters, over the limit of 24/);
  });

  it("exits non-zero from the command line on a broken pack", async () => {
    writeFileSync(join(copy, "content/courses/safe-online/course.yaml"), "id: [unclosed");
    await expect(
      run("node", ["--import", "tsx", "src/content/check-cli.ts", join(copy, "content"), join(copy, "locales")]),
    ).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining("not valid YAML") });
  });
});
