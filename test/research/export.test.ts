/**
 * The research export over a real store: only people who said yes, pseudonyms that are stable
 * under one key and different under another, no address anywhere, the CSV and xAPI shapes, and
 * an audit entry for every export.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { auditEntries } from "../../src/console/audit.ts";
import type { StaffSession } from "../../src/console/context.ts";
import type { Address } from "../../src/domain/address.ts";
import { setResearchConsent } from "../../src/research/consent.ts";
import { exportResearch } from "../../src/research/export.ts";
import { researchCsv, researchXapi, type XapiStatement } from "../../src/research/formats.ts";
import { researchHash } from "../../src/research/pseudonym.ts";
import { consentingPeople, researchRecords } from "../../src/research/records.ts";
import { seedPerson, seedQuiz } from "../stats/seed.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

const key = "a-research-key-for-tests";
const otherKey = "another-research-key-for-tests";
const staff: StaffSession = {
  address: "telegram:900",
  roles: new Set(["staff"]),
  language: "en",
  csrf: "x",
  sessionId: "s",
};

const yes1 = "telegram:5123456789" as Address;
const yes2 = "whatsapp:4915112345678" as Address;
const no = "web:session-abc" as Address;

describe("research export", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
    const now = app.clock.now();
    for (const address of [yes1, yes2, no]) {
      await seedPerson(app, { address, language: "ar", city: "mainz" }, now);
      await seedQuiz(app, address, "strong-passwords", { q1: false, q2: true, q3: true, q4: true }, now);
    }
    await setResearchConsent(app.store.db, yes1, true, now);
    await setResearchConsent(app.store.db, yes2, true, now);
    await setResearchConsent(app.store.db, no, false, now);
    app.clock.advance(26 * 3_600_000);
    await seedQuiz(app, yes1, "strong-passwords", { q1: true }, app.clock.now(), "review");
  });
  afterEach(() => app.dispose());

  it("holds only the people who said yes, under a keyed code", async () => {
    const records = await researchRecords(app.store.db, key);
    const people = new Set([...records.answers, ...records.completions].map((r) => r.person));
    expect(people).toEqual(new Set([researchHash(key, yes1), researchHash(key, yes2)]));
    expect(people.has(researchHash(key, no))).toBe(false);
    expect(records.answers).toHaveLength(9);
    expect(records.completions).toHaveLength(2);
    expect(await consentingPeople(app.store.db)).toBe(2);
  });

  it("drops a person who takes the consent back", async () => {
    await setResearchConsent(app.store.db, yes2, false, app.clock.now());
    const records = await researchRecords(app.store.db, key);
    expect(new Set(records.answers.map((a) => a.person))).toEqual(new Set([researchHash(key, yes1)]));
  });

  it("gives the same person the same code under the same key, and another under another key", async () => {
    const first = await researchRecords(app.store.db, key);
    const again = await researchRecords(app.store.db, key);
    const other = await researchRecords(app.store.db, otherKey);
    expect(again).toEqual(first);
    expect(researchHash(key, yes1)).toMatch(/^[0-9a-f]{64}$/);
    expect(researchHash(otherKey, yes1)).not.toBe(researchHash(key, yes1));
    const codes = new Set(first.answers.map((a) => a.person));
    for (const a of other.answers) expect(codes.has(a.person)).toBe(false);
    expect(() => researchHash("short", yes1)).toThrow(/at least 16/);
  });

  it("writes CSV rows of person, lesson, question, correct, day, source and attempt, without any address", async () => {
    const csv = researchCsv(await researchRecords(app.store.db, key));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("person,lesson,question,correct,day,source,attempt");
    expect(lines).toHaveLength(10);
    const code = researchHash(key, yes1);
    expect(lines).toContain(`${code},strong-passwords,q1,0,2026-03-02,quiz,1`);
    expect(lines).toContain(`${code},strong-passwords,q1,1,2026-03-03,review,1`);
    for (const address of [yes1, yes2, no]) {
      for (const part of [address, address.split(":")[1] ?? ""]) expect(csv).not.toContain(part);
    }
    // Days only: no time of day anywhere.
    expect(csv).not.toMatch(/T\d\d:/);
  });

  it("writes xAPI statements with an account actor, ADL verbs, activity ids and day timestamps", async () => {
    const statements = researchXapi(await researchRecords(app.store.db, key), "https://bot.example.org/");
    expect(statements).toHaveLength(11);
    const code = researchHash(key, yes1);
    const answered = statements.find(
      (s) => s.actor.account.name === code && s.object.id.endsWith("/question/q1") && s.result.success === false,
    );
    expect(answered).toEqual({
      actor: { objectType: "Agent", account: { homePage: "https://bot.example.org", name: code } },
      verb: { id: "http://adlnet.gov/expapi/verbs/answered", display: { "en-US": "answered" } },
      object: {
        objectType: "Activity",
        id: "https://bot.example.org/xapi/activities/lesson/strong-passwords/question/q1",
        definition: { type: "http://adlnet.gov/expapi/activities/cmi.interaction", interactionType: "choice" },
      },
      result: { success: false },
      context: {
        contextActivities: {
          parent: [{ objectType: "Activity", id: "https://bot.example.org/xapi/activities/lesson/strong-passwords" }],
        },
        extensions: {
          "https://bot.example.org/xapi/extensions/source": "quiz",
          "https://bot.example.org/xapi/extensions/attempt": 1,
        },
      },
      timestamp: "2026-03-02T00:00:00Z",
    } satisfies XapiStatement);
    const completed = statements.filter((s) => s.verb.id === "http://adlnet.gov/expapi/verbs/completed");
    expect(completed).toHaveLength(2);
    expect(completed[0]?.result).toEqual({ completion: true, score: { raw: 3, min: 0, max: 4, scaled: 0.75 } });
    expect(completed[0]?.object.id).toBe("https://bot.example.org/xapi/activities/lesson/strong-passwords");
    const text = JSON.stringify(statements);
    for (const address of [yes1, yes2, no]) expect(text).not.toContain(address.split(":")[1] ?? "");
    expect(researchXapi({ answers: [], completions: [] })).toEqual([]);
    const fallback = researchXapi(await researchRecords(app.store.db, key));
    expect(fallback[0]?.actor.account.homePage).toBe("https://lotse.invalid");
  });

  it("records every export in the audit log with its format and rows, and no address", async () => {
    const now = app.clock.now();
    const csv = await exportResearch(app.store.db, staff, { key, format: "csv" }, now);
    const xapi = await exportResearch(app.store.db, staff, { key, homePage: undefined, format: "xapi" }, now);
    expect(csv).toMatchObject({ format: "csv", rows: 9, contentType: "text/csv; charset=utf-8" });
    expect(csv.filename).toBe("lotse-research-2026-03-03.csv");
    expect(xapi).toMatchObject({ format: "xapi", rows: 11 });
    expect(JSON.parse(xapi.body)).toHaveLength(11);
    const entries = await auditEntries(app.store.db, { action: "research.export" });
    expect(entries.map((e) => [e.actor, e.detail])).toEqual([
      ["telegram:900", { format: "xapi", rows: 11 }],
      ["telegram:900", { format: "csv", rows: 9 }],
    ]);
  });
});

describe("RESEARCH_HASH_KEY", () => {
  it("is optional, and refused under 16 characters without showing the value", () => {
    expect(loadConfig({}).RESEARCH_HASH_KEY).toBeUndefined();
    expect(loadConfig({ RESEARCH_HASH_KEY: key }).RESEARCH_HASH_KEY).toBe(key);
    expect(() => loadConfig({ RESEARCH_HASH_KEY: "secret-short" })).toThrow(
      /RESEARCH_HASH_KEY: at least 16 characters .*\(got 12 characters, not shown\)/,
    );
  });
});
