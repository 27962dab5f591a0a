/**
 * Announcing a new meeting to those who asked for news: the city's subscribers for a city meeting,
 * every subscriber for an online one; a text per language with the fallback note and why they get
 * it; and guest labels that never show a whole chat address.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StaffSession } from "../../src/console/context.ts";
import { announcementReach, announcementTexts } from "../../src/meetings/announce.ts";
import { guestLabel } from "../../src/meetings/guests.ts";
import type { NewMeeting } from "../../src/meetings/repository.ts";
import { createAsStaff } from "../../src/meetings/staff-actions.ts";
import { saveStaffMember } from "../../src/staff/members.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  // Broadcasts go out only while their creator is still staff.
  await app.store.transaction((tx) => saveStaffMember(tx, "telegram:100", { roles: ["staff"] }, app.clock.now()));
});
afterEach(() => app.dispose());

const staff: StaffSession = {
  address: "telegram:100",
  roles: new Set(["staff"]),
  language: "en",
  csrf: "",
  sessionId: null,
};

const meeting = (city: string | null): NewMeeting => ({
  title: { en: "Digital help café", uk: "Кафе цифрової допомоги" },
  description: { en: "Bring your phone.", uk: "Візьміть телефон." },
  startsAt: new Date("2026-03-12T17:00:00Z"),
  endsAt: new Date("2026-03-12T18:30:00Z"),
  timeZone: "Europe/Berlin",
  place: city ? "Stadtbibliothek" : null,
  mapUrl: null,
  onlineUrl: city ? null : "https://meet.example.org/help",
  city,
  languages: [],
  capacity: 12,
});

async function subscriber(name: string, language: string, city: string, news = "Yes, send news") {
  const chat = chatWith(app, name);
  await chat.sayAll("hi", language, city, "yes", news);
  return chat;
}

async function received(address: string): Promise<string[]> {
  await app.scheduler.runDue(app.clock.now());
  return (await app.store.takeOutboxFor(address as never, app.clock.now())).map((o) =>
    "text" in o.outbound ? o.outbound.text : "",
  );
}

describe("announcing a new meeting", () => {
  it("counts and reaches a city's news subscribers only, or all of them for an online meeting", async () => {
    const leipzig = await subscriber("leipzig", "English", "Leipzig");
    const lund = await subscriber("lund", "Українська", "Lund");
    const quiet = await subscriber("quiet", "English", "Leipzig", "No news");
    const reach = await announcementReach(app.store.reader, app.content);
    expect(reach).toEqual({ byCity: { leipzig: 1, lund: 1 }, everyone: 2 });

    const inCity = await createAsStaff(app, staff, meeting("leipzig"), true);
    expect(inCity.reach).toBe(1);
    expect((await received(leipzig.address)).join("")).toContain("📣 New meeting: Digital help café");
    expect(await received(lund.address)).toEqual([]);
    expect(await received(quiet.address)).toEqual([]);

    const online = await createAsStaff(app, staff, meeting(null), true);
    expect(online.reach).toBe(2);
    expect((await received(leipzig.address)).join("")).toContain("https://meet.example.org/help");
    const [ukrainian] = await received(lund.address);
    expect(ukrainian).toContain("📣 Нова зустріч: Кафе цифрової допомоги");
    expect(ukrainian).toContain("Візьміть телефон.");
    expect(ukrainian).toContain("бо хотіли отримувати новини");
    expect(await received(quiet.address)).toEqual([]);
  });

  it("writes each language's text with the note naming the language shown where the meeting has none", async () => {
    const { meeting: stored } = await createAsStaff(app, staff, meeting("leipzig"), false);
    const texts = announcementTexts(app.engine.renderer, app.translator.languages, stored);
    expect(Object.keys(texts).sort()).toEqual([...app.translator.languages].sort());
    expect(texts.en).toContain("Digital help café");
    expect(texts.en).toContain("12 places left");
    expect(texts.uk).not.toContain("Digital help café");
    const english = app.translator.words("ar", "languageNames.en")[0] ?? "";
    expect(texts.ar).toContain("Digital help café");
    expect(texts.ar).toContain(app.translator.t("ar", "common.contentIn", { shown: english }));
    expect(texts.de).toContain("Einstellungen");
    expect(texts.de).toContain("Donnerstag, 12. März, 18:00–19:30");
  });
});

describe("guest labels", () => {
  it("show the messenger and the last three characters of the id, never the whole address", () => {
    expect(guestLabel("whatsapp:4915112345123")).toBe("whatsapp …123");
    expect(guestLabel("telegram:5123456789")).toBe("telegram …789");
    expect(guestLabel("web:7f3a9c2e")).toBe("web …c2e");
  });
});
