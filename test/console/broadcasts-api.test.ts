/**
 * `/api/broadcasts` for tools and scripts: the reach of an audience before sending (an unknown city
 * refused with the known ones), the Telegram and WhatsApp preview with the template, create now or at
 * a local time, the list, one with its counts (Telegram's delivered and read null, not 0), and cancel.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addPeople } from "../broadcasts/people.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { type ConsoleClient, signedIn } from "../support/console.ts";

let app: TestApp;
let staff: ConsoleClient;

const texts = { de: "Am Samstag ist das Bürgerbüro geschlossen.", ar: "مكتب المواطنين مغلق يوم السبت." };
const mainzArabic = { cities: ["mainz"], languages: ["ar"] };

beforeEach(async () => {
  app = await createTestApp();
  app.whatsappTemplates.notice = "lotse_notice";
  await addPeople(app, [
    { address: "telegram:1", language: "ar", city: "mainz" },
    { address: "whatsapp:4915100000002", language: "ar", city: "mainz", lastInboundAt: null },
    { address: "telegram:3", language: "de", city: "mainz" },
  ]);
  staff = await signedIn(app, "telegram:100", ["staff"]);
});
afterEach(() => app.dispose());

describe("/api/broadcasts", () => {
  it("counts the reach of an audience, and refuses an unknown city naming the field and the known ones", async () => {
    const reach = await staff.api("POST", "/api/broadcasts/reach", { audience: mainzArabic, texts });
    expect(reach.status).toBe(200);
    expect(await reach.json()).toEqual({
      total: 2,
      byChannel: expect.arrayContaining([
        { channel: "telegram", count: 1 },
        { channel: "whatsapp", count: 1 },
      ]),
      byLanguage: [{ language: "ar", count: 2 }],
      byShown: [{ language: "ar", count: 2, withNote: 0 }],
      byChannelAndShown: expect.arrayContaining([{ channel: "telegram", language: "ar", count: 1 }]),
      whatsapp: { insideWindow: 0, outsideWindow: 1 },
    });
    const refused = await staff.api("POST", "/api/broadcasts/reach", { audience: { cities: ["Mainz"] } });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors).toEqual([
      {
        field: "audience.cities",
        message: expect.stringMatching(/^unknown value "Mainz"; known: mainz, leipzig, lund/),
      },
    ]);
  });

  it("previews as Telegram and WhatsApp, with the template used outside the window", async () => {
    const res = await staff.api("POST", "/api/broadcasts/preview", {
      texts,
      defaultLanguage: "de",
      audience: mainzArabic,
    });
    expect(res.status).toBe(200);
    const { reach, preview } = (await res.json()) as {
      reach: { total: number };
      preview: {
        templateName: string;
        readers: {
          reader: { language: string };
          telegram: { text: string }[];
          whatsapp: { text: string }[];
          template: { name: string; language: string; parameters: string[] };
        }[];
      };
    };
    expect(reach.total).toBe(2);
    expect(preview.templateName).toBe("lotse_notice");
    const ar = preview.readers.find((r) => r.reader.language === "ar");
    expect(ar?.telegram[0]?.text).toBe(`\u200F${texts.ar}`);
    expect(ar?.whatsapp[0]?.text).toBe(`\u200F${texts.ar}`);
    expect(ar?.template).toEqual({ name: "lotse_notice", language: "ar", parameters: [`\u200F${texts.ar}`] });
  });

  it("creates, lists, counts per channel and cancels", async () => {
    const created = await staff.api("POST", "/api/broadcasts", { texts, defaultLanguage: "de", audience: mainzArabic });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: 1, reach: 2, sendAt: "2026-03-02T09:00:00.000Z" });
    await app.scheduler.runDue(app.clock.now());
    const one = (await (await staff.api("GET", "/api/broadcasts/1")).json()) as {
      broadcast: { status: string; audience: { cities: string[] }; texts: Record<string, string> };
      counts: { recipients: number; channels: { channel: string; queued: number; delivered: number | null }[] };
    };
    expect(one.broadcast).toMatchObject({ status: "sending", audience: { cities: ["mainz"] }, texts });
    expect(one.counts.recipients).toBe(2);
    expect(one.counts.channels).toEqual([
      expect.objectContaining({ channel: "telegram", queued: 1, delivered: null, read: null }),
      expect.objectContaining({ channel: "whatsapp", queued: 1, delivered: 0, read: 0 }),
    ]);
    const list = (await (await staff.api("GET", "/api/broadcasts")).json()) as { broadcasts: { id: number }[] };
    expect(list.broadcasts.map((b) => b.id)).toEqual([1]);
    expect((await staff.api("POST", "/api/broadcasts/1/cancel")).status).toBe(200);
    expect((await staff.api("POST", "/api/broadcasts/1/cancel")).status).toBe(409);
    expect((await staff.api("POST", "/api/broadcasts/9/cancel")).status).toBe(404);
    expect((await staff.api("GET", "/api/broadcasts/9")).status).toBe(404);
    const audit = await app.store.db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "like", "broadcast.%")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["broadcast.create", "broadcast.cancel"]);
  });

  it("schedules at a local date and time, and refuses a bad zone or a past time", async () => {
    const at = await staff.api("POST", "/api/broadcasts", {
      texts,
      audience: mainzArabic,
      schedule: { date: "2026-12-10", time: "18:00", timeZone: "Europe/Berlin" },
    });
    expect(at.status).toBe(201);
    expect(((await at.json()) as { sendAt: string }).sendAt).toBe("2026-12-10T17:00:00.000Z");
    const zone = await staff.api("POST", "/api/broadcasts", {
      texts,
      schedule: { date: "2026-12-10", time: "18:00", timeZone: "Mainz" },
    });
    expect(zone.status).toBe(400);
    expect(JSON.stringify(await zone.json())).toContain("when.timeZone");
    const past = await staff.api("POST", "/api/broadcasts", {
      texts,
      schedule: { date: "2026-01-10", time: "18:00", timeZone: "Europe/Berlin" },
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(await past.json())).toContain("this time has passed");
    const defaultWithout = await staff.api("POST", "/api/broadcasts", { texts, defaultLanguage: "fr" });
    expect(defaultWithout.status).toBe(400);
    expect(JSON.stringify(await defaultWithout.json())).toContain("defaultLanguage");
  });
});
