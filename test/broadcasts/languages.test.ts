/**
 * A broadcast in several languages, on SQLite and (with DATABASE_URL) Postgres: each person gets
 * their language, else their second, else the language staff chose for everyone else, with a note in
 * their own language naming the one shown; and the reach shown before sending is the number of rows
 * queued, language by language.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { AudienceFilter } from "../../src/broadcasts/audience-filter.ts";
import { createBroadcast, everyone } from "../../src/broadcasts/broadcasts.ts";
import { reachDetail } from "../../src/broadcasts/reach.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { addPeople, type Person } from "./people.ts";

const texts = {
  de: "Am Samstag ist das Bürgerbüro geschlossen.",
  ar: "مكتب المواطنين مغلق يوم السبت.",
};

for (const backend of backends) {
  describe(`broadcast languages on ${backend}`, () => {
    let app: TestApp;
    afterEach(() => app.dispose());

    /** Queues a broadcast by the staff member telegram:100 and returns each row's address and text. */
    async function send(audience: AudienceFilter, defaultLanguage: string) {
      const now = app.clock.now();
      const message = { texts, defaultLanguage };
      const reach = await reachDetail(app.store.reader, audience, message, app.content, now);
      const id = await app.store.transaction((tx) =>
        createBroadcast(
          tx,
          app.scheduler,
          { text: texts, defaultLanguage, audience, sendAt: now, createdBy: "telegram:100" },
          now,
        ),
      );
      await app.scheduler.runDue(now);
      const rows = await app.store.db
        .selectFrom("outbox")
        .select(["address", "payload"])
        .where("broadcast_id", "=", id)
        .orderBy("address")
        .execute();
      return {
        reach,
        rows: rows.map((r) => ({ address: r.address, text: (JSON.parse(r.payload) as { text: string }).text })),
      };
    }

    it('"Mainz and Arabic": the reach equals the rows queued equals the people who get it in Arabic', async () => {
      app = await createTestApp(backend, { staffAddresses: "telegram:100=staff" });
      const people: Person[] = [];
      for (let i = 0; i < 60; i++) {
        people.push({
          address: `${i % 3 === 0 ? "whatsapp" : "telegram"}:${1000 + i}`,
          language: ["ar", "de", "ar", "fa", "ar"][i % 5] ?? "ar",
          city: i % 4 === 0 ? "leipzig" : "mainz",
          news: i % 7 !== 0,
        });
      }
      await addPeople(app, people);
      const expected = people
        .filter((p) => p.language === "ar" && p.city === "mainz" && p.news !== false)
        .map((p) => p.address)
        .sort();
      const { reach, rows } = await send({ ...everyone, cities: ["mainz"], languages: ["ar"] }, "de");
      expect(expected.length).toBeGreaterThan(10);
      expect(reach.total).toBe(expected.length);
      expect(rows.map((r) => r.address).sort()).toEqual(expected);
      // Arabic, right to left, and no note: it is their own language.
      expect(rows.every((r) => r.text === `\u200F${texts.ar}`)).toBe(true);
      expect(reach.byShown).toEqual([{ language: "ar", count: expected.length, withNote: 0 }]);
      const telegram = expected.filter((a) => a.startsWith("telegram")).length;
      expect(reach.byChannel).toEqual(
        expect.arrayContaining([
          { channel: "telegram", count: telegram },
          { channel: "whatsapp", count: expected.length - telegram },
        ]),
      );
    });

    it("own language, else the second, else the default with a note naming it; the reach by language shown agrees", async () => {
      app = await createTestApp(backend, { staffAddresses: "telegram:100=staff" });
      await addPeople(app, [
        { address: "telegram:1", language: "ar", city: "mainz" },
        { address: "telegram:2", language: "ti", second: "ar", city: "mainz" },
        { address: "telegram:3", language: "fa", city: "mainz" },
        { address: "telegram:4", language: "de", city: "mainz" },
        { address: "telegram:5", language: "uk", second: "ru", city: "mainz" },
        // Tigrinya again, without a second language: the same page needs a branch per second language.
        { address: "telegram:6", language: "ti", city: "mainz" },
      ]);
      const { reach, rows } = await send({ ...everyone, cities: ["mainz"] }, "de");
      const textOf = (address: string) => rows.find((r) => r.address === address)?.text ?? "";
      expect(textOf("telegram:1")).toBe(`\u200F${texts.ar}`);
      // Tigrinya reader, Arabic second: the Arabic text, then in Tigrinya "…in Arabic".
      expect(textOf("telegram:2")).toMatch(new RegExp(`^${texts.ar}\\n\\n\\(.*ዓረብኛ.*\\)$`));
      // Persian reader, no second: German (the default), then in Persian "…in German".
      expect(textOf("telegram:3")).toMatch(new RegExp(`^${texts.de}\\n\\n\\u200F\\(.*آلمانی.*\\)$`));
      expect(textOf("telegram:4")).toBe(texts.de);
      expect(textOf("telegram:5")).toBe(
        `${texts.de}\n\n(Цієї частини ще немає вашою мовою, тому її показано іншою мовою: німецька.)`,
      );
      expect(textOf("telegram:6")).toMatch(new RegExp(`^${texts.de}\\n\\n\\(.*ጀርመን.*\\)$`));
      expect(reach.byShown).toEqual(
        expect.arrayContaining([
          { language: "ar", count: 2, withNote: 1 },
          { language: "de", count: 4, withNote: 3 },
        ]),
      );
      const noted = rows.filter((r) => r.text.includes("\n\n")).length;
      expect(noted).toBe(reach.byShown.reduce((n, s) => n + s.withNote, 0));
    });

    it("the chat's one-language broadcast reaches everyone in that language, with a note for the others", async () => {
      app = await createTestApp(backend, { staffAddresses: "telegram:100=staff" });
      await addPeople(app, [
        { address: "telegram:1", language: "de" },
        { address: "telegram:2", language: "ar" },
      ]);
      const now = app.clock.now();
      // As the chat flow creates it: the staff member's language only, no default given.
      const id = await app.store.transaction((tx) =>
        createBroadcast(
          tx,
          app.scheduler,
          { text: { de: texts.de }, audience: { kind: "news" }, sendAt: now, createdBy: "telegram:100" },
          now,
        ),
      );
      await app.scheduler.runDue(now);
      const rows = await sql<{ address: string; payload: string }>`
        select address, payload from outbox where broadcast_id = ${id} order by address`.execute(app.store.db);
      const [german, arabic] = rows.rows.map((r) => (JSON.parse(r.payload) as { text: string }).text);
      expect(german).toBe(texts.de);
      expect(arabic).toMatch(new RegExp(`^${texts.de}\\n\\n\\u200F\\(.*الألمانية.*\\)$`));
    });
  });
}
