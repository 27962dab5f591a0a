/**
 * Reading a meeting as staff type it: local date and time in the city's zone (summer and winter
 * time), cities only from the list, no time in the past, no end before the start, texts per
 * language, and an API change laid over a stored meeting.
 */
import { describe, expect, it } from "vitest";
import {
  emptyFields,
  fieldsOf,
  knownCities,
  type MeetingFields,
  overlayFields,
  parseMeetingFields,
} from "../../src/meetings/console-input.ts";
import type { Meeting } from "../../src/meetings/repository.ts";

const now = new Date("2026-03-02T09:00:00Z");
const context = { now, defaultTimeZone: "Europe/Berlin" };
const base = (patch: Partial<MeetingFields>): MeetingFields => ({
  ...emptyFields(),
  title: { en: "Digital help café", ar: "مقهى المساعدة الرقمية" },
  date: "2026-12-10",
  time: "18:00",
  city: "leipzig",
  place: "Stadtbibliothek, Wilhelm-Leuschner-Platz 10",
  ...patch,
});

function ok(fields: MeetingFields) {
  const parsed = parseMeetingFields(fields, context);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.meeting;
}

function refused(fields: MeetingFields) {
  const parsed = parseMeetingFields(fields, context);
  if (parsed.ok) throw new Error("accepted");
  return parsed.errors;
}

describe("a meeting as staff type it", () => {
  it("reads date and time in the city's zone, in winter and in summer time", () => {
    const winter = ok(base({}));
    expect(winter.startsAt.toISOString()).toBe("2026-12-10T17:00:00.000Z");
    expect(winter.endsAt.toISOString()).toBe("2026-12-10T18:00:00.000Z");
    expect(winter.timeZone).toBe("Europe/Berlin");
    expect(winter.city).toBe("leipzig");
    const summer = ok(base({ date: "2026-07-01", time: "18:00", endTime: "19:30", city: "aydin" }));
    expect(summer.startsAt.toISOString()).toBe("2026-07-01T15:00:00.000Z");
    expect(summer.endsAt.toISOString()).toBe("2026-07-01T16:30:00.000Z");
    expect(summer.timeZone).toBe("Europe/Istanbul");
  });

  it("puts an online meeting for everyone in the chosen zone, or the default one", () => {
    const online = ok(base({ city: "online", place: "", onlineUrl: "https://meet.example.org/x" }));
    expect(online.city).toBeNull();
    expect(online.startsAt.toISOString()).toBe("2026-12-10T17:00:00.000Z");
    const athens = ok(
      base({ city: "online", timeZone: "Europe/Athens", place: "", onlineUrl: "https://meet.example.org/x" }),
    );
    expect(athens.startsAt.toISOString()).toBe("2026-12-10T16:00:00.000Z");
    // A city's meeting is in the city's time whatever zone the form sent.
    expect(ok(base({ timeZone: "Europe/Athens" })).startsAt.toISOString()).toBe("2026-12-10T17:00:00.000Z");
  });

  it('takes a city by its name in any case or accents (the issue\'s "Mainz" that was stored and invisible)', () => {
    expect(ok(base({ city: "Mainz" })).city).toBe("mainz");
    expect(ok(base({ city: " MAINZ " })).city).toBe("mainz");
    expect(ok(base({ city: "Aydin" })).city).toBe("aydin");
  });

  it("refuses a time that does not exist the night the clocks go forward (regression: 02:30 became 03:30)", () => {
    expect(refused(base({ date: "2027-03-28", time: "02:30" })).map((e) => [e.field, e.key])).toEqual([
      ["time", "meetings.errors.noSuchTime"],
    ]);
    expect(ok(base({ date: "2027-03-28", time: "03:30" })).startsAt.toISOString()).toBe("2027-03-28T01:30:00.000Z");
  });

  it("refuses a city that is not one of ours, listing the ids it knows", () => {
    const errors = refused(base({ city: "Berlin" }));
    expect(errors).toEqual([
      { field: "city", key: "meetings.errors.cityUnknown", params: { value: "Berlin", known: knownCities() } },
    ]);
    expect(knownCities()).toContain("mainz (Mainz)");
    expect(knownCities()).toContain("leipzig (Leipzig)");
    expect(knownCities()).toContain("online");
    expect(refused(base({ city: "" })).map((e) => [e.field, e.key])).toEqual([["city", "meetings.errors.cityMissing"]]);
  });

  it("refuses a time in the past, an end before the start, and ISO typed into the time fields", () => {
    expect(refused(base({ date: "2026-03-01" })).map((e) => [e.field, e.key])).toEqual([
      ["time", "meetings.errors.inPast"],
    ]);
    expect(refused(base({ endTime: "17:30" })).map((e) => [e.field, e.key])).toEqual([
      ["endTime", "meetings.errors.endBeforeStart"],
    ]);
    expect(refused(base({ date: "2026-12-10T18:00:00", time: "" })).map((e) => e.field)).toEqual(["date", "time"]);
    expect(refused(base({ date: "2026-02-30" })).map((e) => e.field)).toEqual(["date"]);
  });

  it("accepts an instant with an offset as an alternative, and refuses one without", () => {
    const m = ok(base({ date: "", time: "", startsAt: "2026-12-10T18:00:00+01:00", minutes: "90" }));
    expect(m.startsAt.toISOString()).toBe("2026-12-10T17:00:00.000Z");
    expect(m.endsAt.toISOString()).toBe("2026-12-10T18:30:00.000Z");
    expect(refused(base({ startsAt: "2026-12-10T18:00:00" })).map((e) => e.field)).toEqual(["startsAt"]);
  });

  it("keeps each language's title and description together, with the title where no description is given", () => {
    const m = ok(base({ description: { en: "Bring your phone." } }));
    expect(m.title).toEqual({ en: "Digital help café", ar: "مقهى المساعدة الرقمية" });
    expect(m.description).toEqual({ en: "Bring your phone.", ar: "مقهى المساعدة الرقمية" });
    expect(refused(base({ description: { uk: "Візьміть телефон." } })).map((e) => e.field)).toEqual(["title.uk"]);
    expect(refused(base({ title: { xx: "Something" } })).map((e) => e.field)).toEqual(["title.xx", "title"]);
    expect(refused(base({ title: { en: "" } })).map((e) => e.field)).toEqual(["title"]);
  });

  it("wants a place or a link, an https online link and a whole number of places", () => {
    expect(refused(base({ place: "" })).map((e) => e.field)).toEqual(["place"]);
    expect(refused(base({ onlineUrl: "http://meet.example.org" })).map((e) => e.field)).toEqual(["onlineUrl"]);
    expect(refused(base({ capacity: "0" })).map((e) => e.field)).toEqual(["capacity"]);
    expect(ok(base({ capacity: "12" })).capacity).toBe(12);
    expect(ok(base({ capacity: "" })).capacity).toBeNull();
  });

  it("lets the title of a meeting that already began be corrected, but not its start be moved into the past", () => {
    const stored = { ...ok(base({})), id: 1, status: "planned" } as Meeting;
    const later = { ...context, now: new Date("2026-12-10T17:30:00Z"), currentStart: stored.startsAt };
    const fields = fieldsOf(stored);
    expect(fields).toMatchObject({ date: "2026-12-10", time: "18:00", endTime: "19:00", city: "leipzig" });
    expect(parseMeetingFields({ ...fields, title: { en: "Digital help café (full)" } }, later).ok).toBe(true);
    expect(parseMeetingFields({ ...fields, time: "17:00" }, later).ok).toBe(false);
  });

  it("lays an API change over a stored meeting: a new start keeps the length, texts merge per language", () => {
    const stored = { ...ok(base({ endTime: "19:30" })), id: 1, status: "planned" } as Meeting;
    const moved = ok(overlayFields(stored, { time: "19:00", title: { uk: "Кафе цифрової допомоги" } }));
    expect(moved.startsAt.toISOString()).toBe("2026-12-10T18:00:00.000Z");
    expect(moved.endsAt.toISOString()).toBe("2026-12-10T19:30:00.000Z");
    expect(Object.keys(moved.title).sort()).toEqual(["ar", "en", "uk"]);
    const shorter = ok(overlayFields(stored, { minutes: "30" }));
    expect(shorter.endsAt.toISOString()).toBe("2026-12-10T17:30:00.000Z");
  });
});
