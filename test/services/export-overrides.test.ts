/**
 * `npm run content:overrides`' work, on a temporary copy of a real service file: a correction's phone
 * number and opening hours replace the file's (the hours in English only), the version goes up, the
 * file says when and what the team changed and that it needs checking, and every other line stays
 * byte for byte. A dry run writes nothing and prints readable lines (wrapped, the old verification
 * not repeated); a closed service's file is left alone, its note quoted.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  changedLines,
  exportOverrides,
  formatExport,
  overrideYaml,
  wrapLine,
} from "../../src/services/export-overrides.ts";
import type { ServiceOverride } from "../../src/services/overrides.ts";

/** The first content file with a phone number and opening hours in several languages. */
function sampleFile(): { city: string; id: string; path: string } {
  for (const city of readdirSync("content/cities"))
    for (const name of readdirSync(join("content/cities", city))) {
      const path = join("content/cities", city, name);
      const value = parse(readFileSync(path, "utf8")) as { phone?: string; hours?: Record<string, string> };
      if (value.phone && value.hours && Object.keys(value.hours).length > 1)
        return { city, id: name.replace(/\.yaml$/, ""), path };
    }
  throw new Error("no service file with a phone number and translated hours");
}

const sample = sampleFile();
let dir: string;
let copy: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lotse-overrides-"));
  mkdirSync(join(dir, "cities", sample.city), { recursive: true });
  copy = join(dir, "cities", sample.city, `${sample.id}.yaml`);
  cpSync(sample.path, copy);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const correction = (values: Partial<ServiceOverride> = {}): ServiceOverride => ({
  serviceId: sample.id,
  phone: "+49 341 5550100",
  website: null,
  hours: "Mon–Fri 9:00–13:00",
  closed: false,
  note: "New number since March.",
  updatedBy: "telegram:100",
  updatedAt: "2026-03-02T09:00:00.000Z",
  ...values,
});

describe("exporting corrections into content files", () => {
  it("writes the phone number and hours, bumps the version, asks for a check, and keeps everything else", async () => {
    const before = readFileSync(copy, "utf8");
    const old = parse(before) as Record<string, unknown>;
    const results = await exportOverrides(dir, [correction()], { dryRun: false });
    expect(results).toEqual([expect.objectContaining({ kind: "changed", fields: ["phone", "hours"] })]);
    const after = readFileSync(copy, "utf8");
    const now = parse(after) as Record<string, unknown>;

    expect(now.phone).toBe("+49 341 5550100");
    expect(now.hours).toEqual({ en: "Mon–Fri 9:00–13:00" });
    expect(now.version).toBe((old.version as number) + 1);
    expect(now.lastVerified).toBe("2026-03-02");
    expect(now.verified).toBe(false);
    // The earlier note (what was confirmed where) is kept after the team's.
    expect(now.verification).toBe(
      `phone, hours changed by the team on 2026-03-02 in the staff console; check against the source. Earlier: ${old.verification}`,
    );
    // Every other fact as it was, the translations' statuses included; the note for people is not content.
    const rest = (value: Record<string, unknown>) => {
      const { phone, hours, version, lastVerified, verified, verification, ...others } = value;
      return others;
    };
    expect(rest(now)).toEqual(rest(old));
    expect(after).not.toContain("New number since March");
    // And byte for byte: only the lines of the changed keys differ (the hours' block, its other languages gone).
    const lines = before.split("\n");
    const start = lines.findIndex((line) => line.startsWith("hours:"));
    let end = start + 1;
    while (lines[end]?.startsWith("  ")) end++;
    const hoursBlock = new Set(lines.slice(start, end).map((line) => `- ${line}`));
    const touched = /^[-+] (phone|hours|version|lastVerified|verified|verification):|^\+ {3}en: /;
    const diff = changedLines(before, after);
    expect(diff.length).toBeGreaterThan(0);
    expect(diff.filter((line) => !touched.test(line) && !hoursBlock.has(line))).toEqual([]);
  });

  it("a dry run says what would change and writes nothing", async () => {
    const before = readFileSync(copy, "utf8");
    const results = await exportOverrides(dir, [correction()], { dryRun: true });
    expect(readFileSync(copy, "utf8")).toBe(before);
    const lines = formatExport(results, true);
    expect(lines[0]).toMatch(new RegExp(`^would change .*${sample.id}\\.yaml: phone, hours$`));
    expect(lines[1]).toBe("  note for people (not written to the file): New number since March.");
    expect(lines).toContain('    + phone: "+49 341 5550100"');
    expect(lines.at(-1)).toMatch(/^1 file\(s\) would change; nothing was written/);
    // Readable in a terminal: no line over 100 characters (but a single long word), and the new
    // verification does not repeat the old one printed just above it.
    expect(lines.filter((line) => line.length > 100 && line.trim().includes(" "))).toEqual([]);
    const added = lines.findIndex((line) => line.startsWith("    + verification: "));
    expect(lines[added]).toBe(
      "    + verification: phone, hours changed by the team on 2026-03-02 in the staff console; check",
    );
    expect(lines[added + 1]).toBe("        against the source. Earlier: [the old verification, removed above]");
  });

  it("wraps a long line at spaces, continuing indented", () => {
    expect(wrapLine("one two three four", 9, "  ", "    ")).toEqual(["  one two", "    three", "    four"]);
    expect(wrapLine("https://example.org/a-very-long-address", 10, "", "  ")).toEqual([
      "https://example.org/a-very-long-address",
    ]);
  });

  it("leaves a closed service's file alone and says so; a correction the file already has changes nothing", async () => {
    const before = readFileSync(copy, "utf8");
    const closed = await exportOverrides(dir, [correction({ closed: true })], { dryRun: false });
    expect(readFileSync(copy, "utf8")).toBe(before);
    // The team's note (often "until when") is quoted, so the reviewer knows whether it closed for good.
    expect(formatExport(closed, false)[0]).toBe(
      `closed by the team: ${sample.id} — note: New number since March. — remove the file if it closed for good (${closed[0] && "file" in closed[0] ? closed[0].file : ""})`,
    );
    const silent = await exportOverrides(dir, [correction({ closed: true, note: null })], { dryRun: true });
    expect(formatExport(silent, true)[0]).toMatch(new RegExp(`^closed by the team: ${sample.id} — remove the file`));
    const current = parse(before) as { phone: string };
    expect(overrideYaml(before, correction({ phone: current.phone, hours: null }))).toEqual({
      text: before,
      fields: [],
    });
    expect(await exportOverrides(dir, [correction({ serviceId: "nowhere-gone" })], { dryRun: true })).toEqual([
      { serviceId: "nowhere-gone", kind: "missing" },
    ]);
  });

  it("adds a website or hours a file did not have, in their place", () => {
    const source = [
      "id: x-line",
      "version: 3",
      "name: A line",
      'phone: "116 117"',
      "cost: free",
      "sources: [https://example.org/]",
      'lastVerified: "2026-01-01"',
      "verified: true",
      "translations: {en: draft}",
      "",
    ].join("\n");
    const result = overrideYaml(source, correction({ phone: null, website: "https://example.org/new", hours: "24/7" }));
    expect(result.fields).toEqual(["website", "hours"]);
    expect(result.text).toBe(
      [
        "id: x-line",
        "version: 4",
        "name: A line",
        'phone: "116 117"',
        "website: https://example.org/new",
        "hours:",
        "  en: 24/7",
        "cost: free",
        "sources: [https://example.org/]",
        'lastVerified: "2026-03-02"',
        "verified: false",
        "verification: website, hours changed by the team on 2026-03-02 in the staff console; check against the source.",
        "translations: {en: draft}",
        "",
      ].join("\n"),
    );
  });

  // Regression (review of issue 18): the team's note before a long earlier one went over the schema's
  // 1000 characters, and the exported file would have stopped the pack from loading.
  it("keeps the verification note within the content schema's limit when the earlier note is long", () => {
    const long = "Confirmed on the official page: ".concat("address, phone and hours; ".repeat(38)).trim();
    expect(long.length).toBeGreaterThan(950);
    const source = ["id: x-line", "version: 1", 'phone: "116 117"', `verification: "${long}"`, ""].join("\n");
    const result = overrideYaml(source, correction({ phone: "+49 30 1234567", website: null, hours: null }));
    const note = (parse(result.text) as { verification: string }).verification;
    expect(note.length).toBeLessThanOrEqual(1000);
    expect(note.startsWith("phone changed by the team on 2026-03-02")).toBe(true);
    expect(note.endsWith("…")).toBe(true);
  });
});
