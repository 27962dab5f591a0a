/**
 * The checks that keep the directory and the return pages trustworthy (issue 18): a service far from
 * its city must say it is elsewhere, "verified" needs a date, every city covers every kind of help,
 * every country has return pages with sources, and no page outside Germany speaks of Germany.
 * Each runs on a copy of the shipped pack with one deliberate fault.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runContentCheck } from "../../src/content/check-run.ts";
import { readContentFiles } from "../../src/content/load.ts";
import { formatStale, staleItems } from "../../src/content/stale.ts";

const run = promisify(execFile);

describe("directory and return checks", () => {
  let copy: string;
  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), "lotse-directory-"));
    cpSync("content", join(copy, "content"), { recursive: true });
    cpSync("locales", join(copy, "locales"), { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  const path = (relative: string) => join(copy, relative);
  const edit = (relative: string, change: (data: Record<string, unknown>) => void) => {
    const data = parse(readFileSync(path(relative), "utf8")) as Record<string, unknown>;
    change(data);
    writeFileSync(path(relative), stringify(data));
  };
  const check = () => runContentCheck(path("content"), path("locales"));
  const errorsAbout = async (item: string) =>
    (await check()).problems.filter((p) => p.level === "error" && p.item === item);
  const firstFile = (dir: string) => `${dir}/${readdirSync(path(dir)).filter((f) => f.endsWith(".yaml"))[0]}`;

  it("the shipped directory passes: every city has 12 services or more in every category", async () => {
    const report = await runContentCheck("content", "locales");
    expect(report.problems.filter((p) => p.level === "error")).toEqual([]);
  });

  it("fails a service whose coordinates lie far from its city, unless it is marked remote (Trikala's asylum office was in Athens)", async () => {
    const file = firstFile("content/cities/trikala");
    let id = "";
    edit(file, (d) => {
      id = String(d.id);
      d.address = "Somewhere in Athens";
      d.coordinates = { lat: 37.9838, lon: 23.7275 };
      d.remote = false;
    });
    const errors = await errorsAbout(id);
    expect(errors.map((e) => e.field)).toContain("coordinates");
    expect(errors.find((e) => e.field === "coordinates")?.message).toMatch(/km from the centre of Trikala/);

    edit(file, (d) => {
      d.remote = true;
    });
    expect((await errorsAbout(id)).map((e) => e.field)).not.toContain("coordinates");
  });

  it("fails an item marked verified without the date its sources were read", async () => {
    const file = firstFile("content/cities/mainz");
    let id = "";
    edit(file, (d) => {
      id = String(d.id);
      d.verified = true;
      delete d.lastVerified;
    });
    expect((await errorsAbout(id)).map((e) => e.field)).toContain("lastVerified");
  });

  it("fails a city without an education service and a return page without sources", async () => {
    for (const name of readdirSync(path("content/cities/lund"))) {
      const relative = `content/cities/lund/${name}`;
      if ((parse(readFileSync(path(relative), "utf8")) as { category: string }).category === "education") {
        rmSync(path(relative));
      }
    }
    const page = firstFile("content/return/it");
    let pageId = "";
    edit(page, (d) => {
      pageId = String(d.id);
      d.sources = [];
    });
    const report = await check();
    const errors = report.problems.filter((p) => p.level === "error");
    expect(errors.some((e) => e.item === "lund" && /education/.test(e.message))).toBe(true);
    expect(errors.some((e) => e.item === pageId && e.field === "sources")).toBe(true);
  });

  it('fails a page for Italy that says "in Germany", and a country without return pages', async () => {
    const page = firstFile("content/return/it");
    let pageId = "";
    edit(page, (d) => {
      pageId = String(d.id);
      (d.body as Record<string, string>).en = "In Germany, the federal states are responsible for counselling.";
    });
    rmSync(path("content/return/no"), { recursive: true });
    const errors = (await check()).problems.filter((p) => p.level === "error");
    expect(errors.some((e) => e.item === pageId && e.field === "body.en")).toBe(true);
    expect(errors.some((e) => e.item === "NO" && e.message === "no return page")).toBe(true);
  });

  it("content:stale lists never-checked and old items per city, not freshly confirmed ones", async () => {
    const never = firstFile("content/cities/aydin");
    const old = firstFile("content/cities/palermo");
    const fresh = firstFile("content/cities/sandefjord");
    const ids: string[] = [];
    edit(never, (d) => {
      ids.push(String(d.id));
      d.verified = false;
      delete d.lastVerified;
    });
    edit(old, (d) => {
      ids.push(String(d.id));
      d.verified = true;
      d.lastVerified = "2026-01-02";
    });
    edit(fresh, (d) => {
      ids.push(String(d.id));
      d.verified = true;
      d.lastVerified = "2026-11-20";
    });
    const raw = await readContentFiles(path("content"));
    const groups = staleItems(raw.services, raw.returnInfo, new Date("2026-11-30T12:00:00Z"), 180);
    const listed = (city: string) => groups.find((g) => g.title.startsWith(city))?.items.map((i) => i.id) ?? [];
    expect(listed("Aydın")).toContain(ids[0]);
    expect(listed("Palermo")).toContain(ids[1]);
    expect(listed("Sandefjord")).not.toContain(ids[2]);
    const lines = formatStale(groups, 180);
    expect(lines.find((l) => l.includes(`(${never})`) || l.endsWith(`${never.split("/").pop()})`))).toMatch(
      /never checked/,
    );
    expect(lines.some((l) => /checked 2026-01-02 \(332 days ago\)/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\d+ item\(s\) to check/);
  });

  it("npm run content:stale prints the list per city and country and exits 0; a bad --days exits 2", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "src/content/stale-cli.ts", path("content")]);
    expect(stdout).toMatch(/^Mainz \(DE\): services: \d+ of \d+ to check$/m);
    expect(stdout).toMatch(/^Return pages for IT: \d+ of \d+ to check$/m);
    const refused = await run(process.execPath, [
      "--import",
      "tsx",
      "src/content/stale-cli.ts",
      "--days",
      "soon",
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toMatch(/--days: a whole number/);
  });
});
