/**
 * Review of texts in the console, through the real HTTP app and a real sign-in: the status table
 * agrees with `npm run i18n -- status`, a language's list shows right-to-left texts as such, the
 * download is byte for byte what the CLI exports and is audited, and only translators and admins
 * get in.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/app.ts";
import { auditEntries } from "../../src/console/audit.ts";
import { contentLanguages } from "../../src/domain/languages.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { exportUnits, languageUnits, workFile } from "../../src/i18n/export.ts";
import { sharingParses } from "../../src/i18n/shared-parse.ts";
import { contentStatus, localeStatus, type UnitWithStatus } from "../../src/i18n/status.ts";
import type { StaffRole } from "../../src/staff/roles.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { signedIn } from "../support/console.ts";

const roots = { localesRoot: join(projectRoot, "locales"), contentRoot: join(projectRoot, "content") };

let app: TestApp;
let http: Hono;
beforeEach(async () => {
  app = await createTestApp();
  http = createHttpApp(app, { webChat: false });
});
afterEach(() => app.dispose());

/** The value, or a test failure naming what was missing. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}`);
  return value;
}

/**
 * A language's units with their status, computed here apart from the console's cache (which the pages
 * use), each content file parsed once per language; two tests of a language share the result.
 */
const expectedUnits = new Map<string, UnitWithStatus[]>();
function unitsOf(language: string): UnitWithStatus[] {
  let units = expectedUnits.get(language);
  if (!units) {
    units = sharingParses(() => languageUnits(roots, language));
    expectedUnits.set(language, units);
  }
  return units;
}

const translator = () => signedIn(app, "telegram:300", ["translator"], { http });

/** The numbers of a language's two rows in the status table. */
function rowNumbers(html: string, code: string): number[] {
  const body = html.split("<tbody>").find((part) => part.includes(`href="/staff/texts/${code}"`)) ?? "";
  return [...(body.split("</tbody>")[0] ?? "").matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
}

describe("the status table", () => {
  it("shows every language but English with the counts `npm run i18n -- status` gives", async () => {
    const staff = await translator();
    const res = await staff.get("/staff/texts");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('href="/staff/texts/en"');
    // The counts as the CLI computes them, each content file parsed once for the three languages.
    const expected = sharingParses(() =>
      ["de", "fa", "ti"].map((code) => {
        const ui = localeStatus(roots.localesRoot, code);
        const row = [ui.total, ui.missing, ui.machine, ui.reviewed, ui.outdated];
        if (contentLanguages.includes(code)) {
          const content = contentStatus(roots.contentRoot, code);
          row.push(content.total, content.missing, content.machine, content.reviewed, content.outdated);
        }
        return [code, row] as const;
      }),
    );
    for (const [code, row] of expected) expect(rowNumbers(html, code), code).toEqual(row);
    // Tigrinya has no content of its own: the row says so instead of zeros.
    expect(html).toContain("This language has no content of its own");
    expect(html).toMatch(/<span lang="fa" dir="rtl">فارسی<\/span>/);
  });
});

describe("a language's list", () => {
  it("shows keys, English and the Farsi right to left, 50 to a page, with the glossary and the way back", async () => {
    const staff = await translator();
    const units = unitsOf("fa");
    const res = await staff.get("/staff/texts/fa");
    expect(res.status).toBe(200);
    const html = await res.text();
    const list = html.slice(html.indexOf('id="list-title"'));
    expect(list.match(/<td lang="fa" dir="rtl">/g)?.length).toBe(50);
    const first = must(units[0], "a unit");
    expect(html).toContain(`<code style="overflow-wrap:anywhere">${first.unit.key}</code>`);
    expect(html).toContain(`page 1 of ${Math.ceil(units.length / 50)}`);
    // The glossary, folded at the top: an agreed term in Farsi.
    expect(html).toMatch(/<details><summary>Glossary for Farsi \(Persian\)/);
    expect(html).toMatch(
      /<th scope="row" lang="en" style="font-weight:400">lesson<\/th><td lang="fa" dir="rtl">درس<\/td>/,
    );
    // How a checked file comes back, for someone who is not a programmer.
    expect(html).toContain("send it to your Lotse admin");
    expect(html).toContain("npm run i18n -- import --lang fa --file lotse-fa-unreviewed.po --status reviewed --by");
    expect(html).toContain('href="/staff/texts/fa/download/po"');
    expect(html).not.toMatch(/type="file"/);
  });

  it("filters by status through a GET form and pages through the result", async () => {
    const staff = await translator();
    const machine = unitsOf("ar").filter((u) => u.status === "machine");
    expect(machine.length).toBeGreaterThan(50);
    const html = await (await staff.get("/staff/texts/ar?status=machine&page=2")).text();
    expect(html).toContain('<form method="get" action="/staff/texts/ar"');
    expect(html).toContain('<option value="machine" selected="">');
    expect(html).toContain(`>${must(machine[50], "51 machine texts").unit.key}</code>`);
    expect(html).not.toContain(`>${must(machine[49], "50 machine texts").unit.key}</code>`);
    expect(html).toContain('href="/staff/texts/ar?status=machine&amp;page=1"');
    const reviewed = unitsOf("ar").filter((u) => u.status === "reviewed").length;
    const onlyReviewed = await (await staff.get("/staff/texts/ar?status=reviewed")).text();
    const list = onlyReviewed.slice(onlyReviewed.indexOf('id="list-title"'));
    expect(list.match(/<td lang="ar" dir="rtl">/g)?.length ?? 0).toBe(Math.min(reviewed, 50));
  });

  it("shows a left-to-right language without dir=rtl, and the page in German", async () => {
    const staff = await translator();
    expect((await staff.post("/staff/language", { language: "de", back: "/staff/texts/de" })).status).toBe(303);
    const html = await (await staff.get("/staff/texts/de")).text();
    expect(html).toContain('<td lang="de">');
    expect(html).not.toContain('dir="rtl"');
    expect(html).toContain("So prüfen Sie Texte und schicken sie zurück");
  });

  it("answers a bad filter with 400 naming the field, and an unknown language with 404 listing the known", async () => {
    const staff = await translator();
    const bad = await staff.get("/staff/texts/fa?status=done");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Status: choose one of missing, machine, outdated, reviewed, all.");
    const badPage = await staff.get("/staff/texts/fa?page=zero");
    expect(badPage.status).toBe(400);
    expect(await badPage.text()).toContain("Page: a whole number from 1.");
    for (const path of ["/staff/texts/xx", "/staff/texts/en", "/staff/texts/xx/download/po"]) {
      const res = await staff.get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("The languages are: de, ar, prs");
    }
    expect((await staff.get("/staff/texts/fa/download/xml")).status).toBe(400);
  });
});

describe("downloads", () => {
  it("gives the not-yet-reviewed texts as the CLI's PO file and as JSON, each download in the audit log", async () => {
    const staff = await translator();
    const units = exportUnits(roots, "fa", { unreviewed: true });
    const po = await staff.get("/staff/texts/fa/download/po");
    expect(po.status).toBe(200);
    expect(po.headers.get("content-disposition")).toBe('attachment; filename="lotse-fa-unreviewed.po"');
    const text = await po.text();
    expect(text).toContain(`msgctxt "${must(units[0], "a unit").key}"`);
    expect(text).toMatch(/^msgid "/m);
    expect(text).toMatch(/^msgstr "[^"]/m);
    expect(text).toBe(workFile(units, "fa", "po"));

    const json = await staff.get("/staff/texts/fa/download/json");
    expect(json.headers.get("content-disposition")).toBe('attachment; filename="lotse-fa-unreviewed.json"');
    const entries = Object.keys((await json.json()) as Record<string, unknown>);
    expect(entries).toEqual(units.map((u) => u.key));

    const logged = await auditEntries(app.store.db, { action: "texts.export" });
    expect(logged.map((e) => [e.actor, e.detail])).toEqual([
      ["telegram:300", { language: "fa", format: "json", items: units.length }],
      ["telegram:300", { language: "fa", format: "po", items: units.length }],
    ]);
  });

  it("is what `npm run i18n -- export --lang ps --unreviewed --format po` prints", async () => {
    const staff = await translator();
    const downloaded = await (await staff.get("/staff/texts/ps/download/po")).text();
    const printed = execFileSync(
      process.execPath,
      ["--import", "tsx", "src/i18n/cli.ts", "export", "--lang", "ps", "--unreviewed", "--format", "po"],
      { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 },
    );
    expect(downloaded).toBe(printed);
  });
});

describe("who may", () => {
  const paths = [
    "/staff/texts",
    "/staff/texts/fa",
    "/staff/texts/fa?status=machine&page=2",
    "/staff/texts/xx",
    "/staff/texts/fa/download/po",
    "/staff/texts/fa/download/json",
  ];
  const refused: [string, StaffRole[]][] = [
    ["staff only", ["staff"]],
    ["counsellor only", ["counsellor"]],
    ["teacher only", ["teacher"]],
    ["staff and counsellor", ["staff", "counsellor"]],
  ];

  for (const [who, roles] of refused) {
    it(`refuses every texts route to a ${who} account with 403, and nothing is exported`, async () => {
      const staff = await signedIn(app, "telegram:301", roles, { http });
      for (const path of paths) expect((await staff.get(path)).status, path).toBe(403);
      expect(await auditEntries(app.store.db, { action: "texts.export" })).toEqual([]);
    });
  }

  it("lets an admin in without the translator role", async () => {
    const admin = await signedIn(app, "telegram:302", ["admin"], { http });
    expect((await admin.get("/staff/texts")).status).toBe(200);
    expect((await admin.get("/staff/texts/uk/download/po")).status).toBe(200);
  });
});
