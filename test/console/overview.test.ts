/**
 * The overview and research pages and their API, through the real HTTP app with a real sign-in:
 * the numbers on the page, in the chart, in the table and in the CSV agree with the seeded data,
 * no address appears anywhere, and the research export is off until a key is configured.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { auditEntries } from "../../src/console/audit.ts";
import type { Address } from "../../src/domain/address.ts";
import { setResearchConsent } from "../../src/research/consent.ts";
import { researchHash } from "../../src/research/pseudonym.ts";
import { seedPerson, seedQuiz, seedStep } from "../stats/seed.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { signedIn } from "../support/console.ts";

const key = "a-research-key-for-console-tests";
const learners: Address[] = [
  "telegram:5123456789",
  "telegram:5123456790",
  "whatsapp:4915112345678",
  "whatsapp:4915112345679",
  "web:browser-session-42",
];
// Right answers per learner to q1..q4 of strong-passwords: three reach the 75% that finishes the lesson.
const answers = [
  [1, 1, 1, 1],
  [1, 1, 0, 1],
  [1, 0, 0, 1],
  [0, 1, 0, 1],
  [1, 0, 1, 1],
];

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  const now = app.clock.now();
  for (const [i, address] of learners.entries()) {
    await seedPerson(app, { address, language: i < 3 ? "ar" : "uk", city: i < 2 ? "mainz" : "leipzig" }, now);
    await seedStep(app, address, "strong-passwords", now);
    const graded = Object.fromEntries((answers[i] ?? []).map((a, q) => [`q${q + 1}`, a === 1]));
    await seedQuiz(app, address, "strong-passwords", graded, now);
  }
  await setResearchConsent(app.store.db, learners[0] as Address, true, now);
  await setResearchConsent(app.store.db, learners[2] as Address, true, now);
});
afterEach(() => app.dispose());

/** The part of a page from a section's heading to the next section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section aria-labelledby="${id}-heading">`);
  expect(start, `section ${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf("</section>", start));
}

const withKey = (base: TestApp): App => ({ ...base, research: { hashKey: key, homePage: "https://bot.example.org" } });

describe("the overview page", () => {
  it("shows each table with an accessible SVG chart of the same numbers", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    const res = await staff.get("/staff");
    expect(res.status).toBe(200);
    const html = await res.text();
    const cities = section(html, "cities");
    expect(cities).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="cities-chart-title cities-chart-desc"/);
    expect(cities).toContain('<title id="cities-chart-title">People by city</title>');
    // Leipzig 3, Mainz 2, and the signed-in staff member without a city: in the chart and in the table.
    for (const [name, count] of [
      ["Leipzig", 3],
      ["Mainz", 2],
      ["not chosen", 1],
    ] as const) {
      expect(cities).toMatch(new RegExp(`<text[^>]*>${name}</text>`));
      expect(cities).toContain(`<th scope="row">${name}</th><td class="num">${count}</td>`);
    }
    expect(cities.match(/<text[^>]*>(\d+)<\/text>/g)?.map((t) => t.replace(/<[^>]+>/g, ""))).toEqual(["3", "2", "1"]);
    expect(cities).toContain('href="/staff/overview.csv?table=cities"');

    const funnel = section(html, "funnel");
    expect(funnel).toContain('<th scope="row">Finished a lesson</th><td class="num">3</td>');
    const lessons = section(html, "lessons");
    expect(lessons).toContain(
      '<td>strong-passwords</td><th scope="row">Strong passwords</th><td class="num">5</td><td class="num">3</td>',
    );
    const quizzes = section(html, "quizzes");
    // (4 + 3 + 2 + 2 + 3) / 16 right, averaged per take: (1 + .75 + .5 + .5 + .75) / 5 = 70 %.
    expect(quizzes).toContain('<td class="num">5</td><td class="num">5</td><td class="num">70%</td>');
  });

  it("shows item statistics per lesson in a collapsible part, with the questions to check", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    const html = await (await staff.get("/staff")).text();
    const items = section(html, "items");
    expect(items).toContain("<details open");
    expect(items).toContain("<summary>Strong passwords: 4 questions, 3 to check</summary>");
    // q4: everyone right; q1 4 of 5 right with no correlation (the hand-computed set of test/stats/items.test.ts).
    expect(items).toMatch(
      /<td>q4<\/td><th scope="row">[^<]+<\/th><td class="num">5<\/td><td class="num">100%<\/td><td class="num"><abbr[^>]*>–<\/abbr><\/td><td>too easy/,
    );
    expect(items).toMatch(
      /<td>q1<\/td><th scope="row">[^<]+<\/th><td class="num">5<\/td><td class="num">80%<\/td><td class="num">0.00<\/td><td>does not separate/,
    );
  });

  it("speaks German when the staff member's console is in German", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    await staff.post("/staff/language", { language: "de", back: "/staff" });
    const html = await (await staff.get("/staff")).text();
    expect(html).toContain("<h1>Übersicht</h1>");
    expect(section(html, "cities")).toContain('<title id="cities-chart-title">Menschen nach Stadt</title>');
    // German puts a no-break space before the percent sign.
    expect(section(html, "quizzes")).toContain("70\u00a0%");
  });

  it("offers each table as CSV with the same numbers", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    const res = await staff.get("/staff/overview.csv?table=cities");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(await res.text()).toBe("code,city,people\r\nleipzig,Leipzig,3\r\nmainz,Mainz,2\r\n,not chosen,1\r\n");
    const quizzes = await (await staff.get("/staff?format=csv&table=quizzes")).text();
    expect(quizzes).toContain("strong-passwords,Strong passwords,5,5,0.7\r\n");
    const unknown = await staff.get("/staff/overview.csv?table=addresses");
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("cities, languages, channels");
  });

  it("has no chat address anywhere: page, CSV downloads or API", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    const bodies = [await (await staff.get("/staff")).text()];
    for (const table of [
      "cities",
      "languages",
      "channels",
      "activity",
      "funnel",
      "lessons",
      "quizzes",
      "meetings",
      "items",
    ]) {
      bodies.push(await (await staff.get(`/staff/overview.csv?table=${table}`)).text());
    }
    bodies.push(await (await staff.api("GET", "/api/overview")).text());
    for (const body of bodies) {
      for (const address of learners) {
        expect(body).not.toContain(address.slice(address.indexOf(":") + 1));
      }
    }
  });
});

describe("the research page", () => {
  it("says the export is off and how to turn it on while RESEARCH_HASH_KEY is unset", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    const html = await (await staff.get("/staff/research")).text();
    expect(html).toContain("The research export is off: RESEARCH_HASH_KEY is not set.");
    expect(html).toContain("To turn it on, set RESEARCH_HASH_KEY");
    expect(html).toContain("at least 16 characters");
    expect(html).toContain("2 people said yes.");
    expect(html).not.toContain('action="/staff/research/export"');
    expect((await staff.post("/staff/research/export", { format: "csv" })).status).toBe(409);
    expect((await staff.api("GET", "/api/research/export?format=csv")).status).toBe(409);
    expect(await auditEntries(app.store.db, { action: "research.export" })).toEqual([]);
  });

  it("exports the consenting people's records as CSV and xAPI, audited, without addresses", async () => {
    const staff = await signedIn(withKey(app), "telegram:100", ["staff"]);
    const page = await (await staff.get("/staff/research")).text();
    expect(page).toContain('action="/staff/research/export"');
    expect(page).toContain('name="_csrf"');
    const res = await staff.post("/staff/research/export", { format: "csv" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="lotse-research-2026-03-02.csv"');
    const csv = await res.text();
    const people = new Set(
      csv
        .trimEnd()
        .split("\r\n")
        .slice(1)
        .map((line) => line.split(",")[0]),
    );
    expect(people).toEqual(new Set([researchHash(key, learners[0] ?? ""), researchHash(key, learners[2] ?? "")]));
    for (const address of learners) expect(csv).not.toContain(address.slice(address.indexOf(":") + 1));

    const api = await staff.api("GET", "/api/research/export?format=xapi");
    expect(api.status).toBe(200);
    const statements = (await api.json()) as { actor: { account: { homePage: string; name: string } } }[];
    expect(statements).toHaveLength(10);
    expect(new Set(statements.map((s) => s.actor.account.name))).toEqual(people);
    expect(statements[0]?.actor.account.homePage).toBe("https://bot.example.org");

    const entries = await auditEntries(app.store.db, { action: "research.export" });
    expect(entries.map((e) => [e.actor, e.detail])).toEqual([
      ["telegram:100", { format: "xapi", rows: 10 }],
      ["telegram:100", { format: "csv", rows: 8 }],
    ]);
  });

  it("refuses an unknown format, naming the field", async () => {
    const staff = await signedIn(withKey(app), "telegram:100", ["staff"]);
    const page = await staff.post("/staff/research/export", { format: "pdf" });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("Format: choose CSV or xAPI.");
    const api = await staff.api("GET", "/api/research/export?format=pdf");
    expect(api.status).toBe(400);
    expect(((await api.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("format");
  });
});

describe("the overview API", () => {
  it("gives the numbers and the item statistics as JSON", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    const res = await staff.api("GET", "/api/overview");
    expect(res.status).toBe(200);
    const overview = (await res.json()) as { people: { total: number }; quizzes: unknown[] };
    expect(overview.people.total).toBe(6);
    expect(overview.quizzes).toEqual([{ lesson: "strong-passwords", takes: 5, people: 5, averageScore: 0.7 }]);
    const items = (await (await staff.api("GET", "/api/overview/items")).json()) as {
      lessons: { lesson: string; items: { question: string; shareCorrect: number; flags: string[] }[] }[];
    };
    expect(items.lessons[0]?.items.map((i) => [i.question, i.shareCorrect, i.flags])).toEqual([
      ["q1", 0.8, ["lowDiscrimination"]],
      ["q2", 0.6, ["lowDiscrimination"]],
      ["q3", 0.4, []],
      ["q4", 1, ["tooEasy"]],
    ]);
    const csv = await staff.api("GET", "/api/overview.csv?table=funnel");
    expect(await csv.text()).toContain("Finished a lesson,3,");
  });
});
