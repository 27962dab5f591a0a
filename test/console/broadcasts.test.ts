/**
 * Broadcasts in the console, as a staff member uses them: compose in two languages, add a language
 * without script, narrow the audience to "Mainz and Arabic", see the reach and the Telegram and
 * WhatsApp preview with the template, send, follow the delivery counts, cancel; schedule at a local
 * time; and the refusals (an unknown city with the known ones, a time in the past).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addPeople } from "../broadcasts/people.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { type ConsoleClient, signedIn } from "../support/console.ts";

let app: TestApp;
let staff: ConsoleClient;

const texts = { "text.de": "Am Samstag ist das Bürgerbüro geschlossen.", "text.ar": "مكتب المواطنين مغلق يوم السبت." };
const mainzArabic = { ...texts, langs: "de,ar", defaultLanguage: "de", cities: "mainz", languages: "ar", when: "now" };

beforeEach(async () => {
  app = await createTestApp();
  app.whatsappTemplates.broadcast = "lotse_news";
  await addPeople(app, [
    { address: "telegram:1", language: "ar", city: "mainz" },
    { address: "telegram:2", language: "ar", city: "mainz" },
    { address: "whatsapp:4915100000003", language: "ar", city: "mainz" },
    { address: "whatsapp:4915100000004", language: "ar", city: "mainz", lastInboundAt: "2026-02-01T10:00:00.000Z" },
    { address: "telegram:5", language: "de", city: "mainz" },
    { address: "telegram:6", language: "ar", city: "leipzig" },
    { address: "telegram:7", language: "ar", city: "mainz", news: false },
  ]);
  staff = await signedIn(app, "telegram:100", ["staff"]);
});
afterEach(() => app.dispose());

const outboxOf = async (id: number) =>
  app.store.db.selectFrom("outbox").select(["address", "payload", "status"]).where("broadcast_id", "=", id).execute();

describe("broadcasts in the console", () => {
  it('composes "Mainz and Arabic" with reach and previews, sends it, shows the counts and cancels the rest', async () => {
    const blank = await (await staff.get("/staff/broadcasts/new")).text();
    expect(blank).toContain('name="text.en"');
    expect(blank).toContain('name="_csrf"');

    // Another language without script: the form comes back with a Tigrinya box, and what was typed.
    const added = await staff.post("/staff/broadcasts/new", {
      ...mainzArabic,
      action: "addLanguage",
      addLanguage: "ti",
    });
    expect(added.status).toBe(200);
    const addedHtml = await added.text();
    expect(addedHtml).toContain('name="text.ti"');
    expect(addedHtml).toContain(texts["text.ar"]);

    const preview = await staff.post("/staff/broadcasts/new", { ...mainzArabic, action: "preview" });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("It reaches 4 people now.");
    expect(html).toMatch(/WhatsApp: 1 wrote in the last 24 hours[^<]*; 1 did not/);
    expect(html).toContain("Telegram");
    expect(html).toContain('class="telegram-part"');
    expect(html).toContain('class="whatsapp-part"');
    expect(html).toContain("lotse_news");
    expect(html).toContain(texts["text.ar"]);
    // Nothing sent by a preview.
    expect(await app.store.db.selectFrom("broadcasts").select("id").execute()).toEqual([]);

    const sent = await staff.post("/staff/broadcasts/new", { ...mainzArabic, action: "send" });
    expect(sent.status).toBe(303);
    expect(sent.headers.get("location")).toBe("/staff/broadcasts/1?done=sent&n=4");
    await app.scheduler.runDue(app.clock.now());
    const rows = await outboxOf(1);
    expect(rows.map((r) => r.address).sort()).toEqual([
      "telegram:1",
      "telegram:2",
      "whatsapp:4915100000003",
      "whatsapp:4915100000004",
    ]);
    expect(rows.every((r) => (JSON.parse(r.payload) as { text: string }).text === `\u200F${texts["text.ar"]}`)).toBe(
      true,
    );

    // Delivery as the platforms report it.
    const at = app.clock.now().toISOString();
    await app.store.db
      .updateTable("outbox")
      .set({ status: "sent", updated_at: at })
      .where("address", "=", "telegram:1")
      .execute();
    await app.store.db
      .updateTable("outbox")
      .set({ status: "read", updated_at: at })
      .where("address", "=", "whatsapp:4915100000003")
      .execute();
    const page = await (await staff.get("/staff/broadcasts/1?done=sent&n=4")).text();
    expect(page).toContain("The broadcast is being sent to 4 people.");
    expect(page).toContain("not reported by Telegram");
    expect(page).toMatch(
      /<th scope="row">WhatsApp<\/th><td class="num">1<\/td><td class="num">0<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">0<\/td>/,
    );

    const list = await (await staff.get("/staff/broadcasts")).text();
    expect(list).toContain('href="/staff/broadcasts/1"');
    expect(list).toContain("sending");

    const cancelled = await staff.post("/staff/broadcasts/1/cancel");
    expect(cancelled.headers.get("location")).toBe("/staff/broadcasts/1?done=cancelled");
    expect((await outboxOf(1)).map((r) => r.status).sort()).toEqual(["read", "sent"]);
    const audit = await app.store.db
      .selectFrom("audit_log")
      .select(["actor", "action", "detail"])
      .orderBy("id")
      .execute();
    expect(audit.filter((a) => a.action.startsWith("broadcast."))).toEqual([
      {
        actor: "telegram:100",
        action: "broadcast.create",
        detail: JSON.stringify({ broadcastId: 1, reach: 4, languages: ["de", "ar"], scheduled: false }),
      },
      { actor: "telegram:100", action: "broadcast.cancel", detail: JSON.stringify({ broadcastId: 1, reach: 4 }) },
    ]);

    // In German: status words and "not reported" translated.
    await staff.post("/staff/language", { language: "de", back: "/staff/broadcasts/1" });
    const german = await (await staff.get("/staff/broadcasts/1")).text();
    expect(german).toContain("abgebrochen");
    expect(german).toContain("meldet Telegram nicht");
  });

  it("regression: German and Arabic written, 'for everyone else' left at English, was refused; now German is used", async () => {
    const preview = await staff.post("/staff/broadcasts/new", {
      ...mainzArabic,
      langs: "en,de,ar",
      "text.en": "",
      defaultLanguage: "en",
      action: "preview",
    });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("It reaches 4 people now.");
    expect(html).toMatch(/<option value="de" selected/);
  });

  it("schedules at a local date and time in the chosen zone", async () => {
    const res = await staff.post("/staff/broadcasts/new", {
      ...mainzArabic,
      when: "at",
      date: "2026-03-10",
      time: "18:30",
      timeZone: "Europe/Istanbul",
      action: "send",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/staff/broadcasts/1?done=scheduled&n=4");
    const row = await app.store.db
      .selectFrom("broadcasts")
      .select(["send_at", "time_zone", "status"])
      .executeTakeFirst();
    expect(row).toEqual({ send_at: "2026-03-10T15:30:00.000Z", time_zone: "Europe/Istanbul", status: "scheduled" });
    expect(await (await staff.get("/staff/broadcasts/1")).text()).toContain("(Europe/Istanbul)");
    await app.scheduler.runDue(app.clock.now());
    expect(await outboxOf(1)).toEqual([]);
  });

  it("refuses an unknown city with the known ones, a time in the past, and no text, keeping what was typed", async () => {
    const city = await staff.post("/staff/broadcasts/new", { ...mainzArabic, cities: "Mainz", action: "preview" });
    expect(city.status).toBe(400);
    const cityHtml = await city.text();
    expect(cityHtml).toContain("Cities: “Mainz” is not known. Known: mainz, leipzig, lund");
    expect(cityHtml).toContain(texts["text.de"]);

    const past = await staff.post("/staff/broadcasts/new", {
      ...mainzArabic,
      when: "at",
      date: "2026-03-01",
      time: "10:00",
      timeZone: "Europe/Berlin",
      action: "send",
    });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain("Date and time: this time has passed.");

    const empty = await staff.post("/staff/broadcasts/new", {
      ...mainzArabic,
      "text.de": "",
      "text.ar": " ",
      action: "send",
    });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("write the message in at least one language");
    expect(await app.store.db.selectFrom("broadcasts").select("id").execute()).toEqual([]);
  });
});
