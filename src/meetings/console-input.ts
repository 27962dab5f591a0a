/**
 * A meeting as staff type it, turned into a meeting to store: title and description per language,
 * a local date and time (HTML date and time inputs, never ISO) read in the city's time zone, an end
 * time or a length, a city from our list or "online, for everyone" with a zone. The console form and
 * the `/api/meetings` routes both go through here, so they accept and refuse exactly the same things.
 *
 * Refusals are field errors with a text key of `locales/_console/<lang>/meetings.json` and its
 * parameters: the console shows them in the staff member's language, the API in English.
 */
import { cities, cityNamed, isTimeZone } from "../domain/cities.ts";
import { languageByCode } from "../domain/languages.ts";
import { localParts, parseLocalDateTime } from "../domain/local-time.ts";
import type { Meeting, NewMeeting } from "./repository.ts";

/** The city value of an online meeting open to everyone. */
export const onlineCity = "online";

/** A meeting's length when staff give neither an end time nor a length (as in the chat). */
export const defaultMinutes = 60;

/** Titles are a list row's second line on WhatsApp: at most 72 characters. */
const titleMax = 72;

/** What staff give for a meeting, as typed: every value a string ("" when empty). */
export interface MeetingFields {
  /** Title per language code; empty ones are ignored. */
  title: Record<string, string>;
  /** Description per language code; a titled language without one gets its title. */
  description: Record<string, string>;
  /** Local day, YYYY-MM-DD (an HTML date input). */
  date: string;
  /** Local start, HH:MM (an HTML time input). */
  time: string;
  /** Local end the same day, HH:MM; wins over `minutes` when given. */
  endTime: string;
  /** Length in minutes, when no end time is given. */
  minutes: string;
  /** Alternatives for tools: instants with an offset (`2026-12-10T18:00:00+01:00`); win over date and time. */
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  /** A city id from src/domain/cities.ts, or {@link onlineCity}. */
  city: string;
  /** The zone of an online meeting's local time (a city's zone is the city's). */
  timeZone: string;
  place: string;
  onlineUrl: string;
  mapUrl: string;
  capacity: string;
  /** Languages spoken at the meeting, by name. */
  languages: string[];
}

/** A refused field: which one, the console text key saying why, and its parameters. */
export interface FieldError {
  field: string;
  key: string;
  params: Record<string, string | number>;
}

/** The outcome of reading the fields. */
export type ParsedMeeting = { ok: true; meeting: NewMeeting } | { ok: false; errors: FieldError[] };

/** What reading depends on besides the fields. */
export interface ParseContext {
  now: Date;
  /** The zone of an online meeting when none is given (`DEFAULT_TIME_ZONE`). */
  defaultTimeZone: string;
  /**
   * When editing: the meeting's current start. A start in the past is refused only when it changes,
   * so the title of a meeting that already began can still be corrected.
   */
  currentStart?: Date | undefined;
}

/**
 * The known cities as an API or form error lists them: `leipzig (Leipzig), …, online`.
 *
 * @example
 * knownCities(); // "mainz (Mainz), leipzig (Leipzig), lund (Lund), …, online"
 */
export function knownCities(): string {
  return [...cities.map((c) => `${c.id} (${c.name})`), onlineCity].join(", ");
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const clockPattern = /^([01]\d|2[0-3]):[0-5]\d(:00)?$/;
const offsetInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function isHttpsUrl(text: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(text);
    return protocols.includes(url.protocol) && url.hostname.includes(".");
  } catch {
    return false;
  }
}

/** Title and description maps with empty entries dropped and unknown languages refused. */
function readTexts(fields: MeetingFields, errors: FieldError[]) {
  const title: Record<string, string> = {};
  const description: Record<string, string> = {};
  const languageOk = (field: string, code: string): boolean => {
    if (languageByCode(code)) return true;
    errors.push({ field: `${field}.${code}`, key: "meetings.errors.languageUnknown", params: { value: code } });
    return false;
  };
  for (const [code, raw] of Object.entries(fields.title)) {
    const text = raw.trim();
    if (!text || !languageOk("title", code)) continue;
    const length = [...text].length;
    if (length < 3 || length > titleMax)
      errors.push({ field: `title.${code}`, key: "meetings.errors.titleLength", params: { max: titleMax } });
    title[code] = text;
  }
  for (const [code, raw] of Object.entries(fields.description)) {
    const text = raw.trim();
    if (!text || !languageOk("description", code)) continue;
    if (text.length > 2000)
      errors.push({ field: `description.${code}`, key: "meetings.errors.descriptionLength", params: { max: 2000 } });
    // A description without a title in its language would mix languages in one card, and the note
    // saying which language is shown could name only one of them.
    if (title[code] === undefined)
      errors.push({ field: `title.${code}`, key: "meetings.errors.titleForDescription", params: {} });
    description[code] = text;
  }
  if (Object.keys(title).length === 0) errors.push({ field: "title", key: "meetings.errors.titleMissing", params: {} });
  for (const [code, text] of Object.entries(title)) description[code] ??= text;
  return { title, description };
}

/** Where and in which zone: a city of ours, or online for everyone in a chosen zone. */
function readPlace(fields: MeetingFields, context: ParseContext, errors: FieldError[]) {
  const cityValue = fields.city.trim();
  const online = cityValue === onlineCity;
  const city = online ? undefined : cityNamed(cityValue);
  // No choice is not "online for everyone": that would announce it to every news subscriber.
  if (cityValue === "")
    errors.push({ field: "city", key: "meetings.errors.cityMissing", params: { known: knownCities() } });
  else if (!online && !city)
    errors.push({
      field: "city",
      key: "meetings.errors.cityUnknown",
      params: { value: cityValue, known: knownCities() },
    });
  const zoneValue = fields.timeZone.trim() || context.defaultTimeZone;
  const timeZone = city?.timeZone ?? (isTimeZone(zoneValue) ? zoneValue : undefined);
  if (!timeZone) errors.push({ field: "timeZone", key: "meetings.errors.timeZone", params: { value: zoneValue } });
  const place = fields.place.trim();
  const onlineUrl = fields.onlineUrl.trim();
  const mapUrl = fields.mapUrl.trim();
  if (place && (place.length < 3 || place.length > 300))
    errors.push({ field: "place", key: "meetings.errors.placeLength", params: {} });
  if (onlineUrl && !isHttpsUrl(onlineUrl, ["https:"]))
    errors.push({ field: "onlineUrl", key: "meetings.errors.onlineUrl", params: {} });
  if (mapUrl && !isHttpsUrl(mapUrl, ["https:", "http:"]))
    errors.push({ field: "mapUrl", key: "meetings.errors.mapUrl", params: {} });
  if (!place && !onlineUrl) errors.push({ field: "place", key: "meetings.errors.whereMissing", params: {} });
  return {
    city: city?.id ?? null,
    timeZone: timeZone ?? context.defaultTimeZone,
    place: place || null,
    onlineUrl: onlineUrl || null,
    mapUrl: mapUrl || null,
  };
}

/** Start and end as instants, from local date and time in `timeZone` or from instants with an offset. */
function readTimes(fields: MeetingFields, timeZone: string, context: ParseContext, errors: FieldError[]) {
  let startsAt: Date | undefined;
  let endsAt: Date | undefined;
  const date = fields.date.trim();
  const time = fields.time.trim().slice(0, 5);
  if (fields.startsAt) {
    if (offsetInstant.test(fields.startsAt)) startsAt = new Date(fields.startsAt);
    else errors.push({ field: "startsAt", key: "meetings.errors.instant", params: {} });
  } else {
    const dayOk = dayPattern.test(date) && parseLocalDateTime(`${date} 12:00`, timeZone) !== undefined;
    if (!dayOk) errors.push({ field: "date", key: "meetings.errors.date", params: { value: date } });
    if (!clockPattern.test(fields.time.trim()))
      errors.push({ field: "time", key: "meetings.errors.time", params: { value: fields.time.trim() } });
    else if (dayOk) {
      startsAt = parseLocalDateTime(`${date} ${time}`, timeZone);
      // The night the clocks go forward, 02:30 does not exist: say so instead of storing 03:30.
      const shown = startsAt ? localParts(startsAt, timeZone) : undefined;
      if (
        shown &&
        (shown.day !== date ||
          `${String(shown.hour).padStart(2, "0")}:${String(shown.minute).padStart(2, "0")}` !== time.padStart(5, "0"))
      ) {
        errors.push({ field: "time", key: "meetings.errors.noSuchTime", params: { value: time } });
        startsAt = undefined;
      }
    }
  }
  const endTime = fields.endTime.trim();
  const minutes = fields.minutes.trim();
  if (fields.endsAt) {
    if (offsetInstant.test(fields.endsAt)) endsAt = new Date(fields.endsAt);
    else errors.push({ field: "endsAt", key: "meetings.errors.instant", params: {} });
  } else if (endTime) {
    if (!clockPattern.test(endTime))
      errors.push({ field: "endTime", key: "meetings.errors.time", params: { value: endTime } });
    else if (startsAt) {
      // The end is on the start's local day; a meeting past midnight gives its length instead.
      const day = localParts(startsAt, timeZone).day;
      endsAt = parseLocalDateTime(`${day} ${endTime.slice(0, 5)}`, timeZone);
    }
  } else if (minutes) {
    const n = Number(minutes);
    if (!/^\d{1,4}$/.test(minutes) || n < 5 || n > 1440)
      errors.push({ field: "minutes", key: "meetings.errors.minutes", params: { min: 5, max: 1440 } });
    else if (startsAt) endsAt = new Date(startsAt.getTime() + n * 60_000);
  } else if (startsAt) endsAt = new Date(startsAt.getTime() + defaultMinutes * 60_000);
  const startChanged = startsAt && context.currentStart?.getTime() !== startsAt.getTime();
  if (startsAt && startChanged && startsAt <= context.now)
    errors.push({ field: fields.startsAt ? "startsAt" : "time", key: "meetings.errors.inPast", params: {} });
  if (startsAt && endsAt && endsAt <= startsAt)
    errors.push({
      field: fields.endsAt ? "endsAt" : endTime ? "endTime" : "minutes",
      key: "meetings.errors.endBeforeStart",
      params: {},
    });
  return { startsAt, endsAt };
}

/**
 * Reads the fields into a meeting to store, or says which fields are refused and why.
 *
 * @example
 * const parsed = parseMeetingFields(
 *   { ...emptyFields(), title: { en: "Digital help café" }, date: "2026-12-10", time: "18:00", city: "leipzig", place: "Library" },
 *   { now, defaultTimeZone: "Europe/Berlin" },
 * );
 * if (parsed.ok) parsed.meeting.startsAt; // 2026-12-10T17:00:00.000Z
 */
export function parseMeetingFields(fields: MeetingFields, context: ParseContext): ParsedMeeting {
  const errors: FieldError[] = [];
  const { title, description } = readTexts(fields, errors);
  const where = readPlace(fields, context, errors);
  const { startsAt, endsAt } = readTimes(fields, where.timeZone, context, errors);
  const capacityText = fields.capacity.trim();
  const capacity = capacityText === "" ? null : Number(capacityText);
  if (capacity !== null && (!/^\d{1,5}$/.test(capacityText) || capacity < 1))
    errors.push({ field: "capacity", key: "meetings.errors.capacity", params: {} });
  const languages = fields.languages.map((l) => l.trim()).filter(Boolean);
  if (languages.length > 10 || languages.some((l) => l.length > 40))
    errors.push({ field: "languages", key: "meetings.errors.languages", params: {} });
  if (errors.length > 0 || !startsAt || !endsAt) return { ok: false, errors };
  return {
    ok: true,
    meeting: { title, description, startsAt, endsAt, ...where, languages, capacity },
  };
}

/**
 * Empty fields: a new meeting's form before anything is typed.
 *
 * @example
 * const fields = { ...emptyFields(), city: "leipzig" };
 */
export function emptyFields(): MeetingFields {
  return {
    title: {},
    description: {},
    date: "",
    time: "",
    endTime: "",
    minutes: String(defaultMinutes),
    city: "",
    timeZone: "",
    place: "",
    onlineUrl: "",
    mapUrl: "",
    capacity: "",
    languages: [],
  };
}

/**
 * A stored meeting as fields, in its own time zone: what the edit form shows, and what an API
 * change is laid over (so `{ "time": "19:00" }` moves it on the same day).
 *
 * @example
 * fieldsOf(meeting).time; // "18:00"
 */
export function fieldsOf(meeting: Meeting): MeetingFields {
  const clock = (at: Date) => {
    const p = localParts(at, meeting.timeZone);
    return `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
  };
  const sameDay =
    localParts(meeting.endsAt, meeting.timeZone).day === localParts(meeting.startsAt, meeting.timeZone).day;
  return {
    title: { ...meeting.title },
    description: Object.fromEntries(
      // A description that only repeats the title was filled in for it: show the field empty.
      Object.entries(meeting.description).filter(([code, text]) => text !== meeting.title[code]),
    ),
    date: localParts(meeting.startsAt, meeting.timeZone).day,
    time: clock(meeting.startsAt),
    endTime: sameDay ? clock(meeting.endsAt) : "",
    minutes: sameDay ? "" : String(Math.round((meeting.endsAt.getTime() - meeting.startsAt.getTime()) / 60_000)),
    city: meeting.city ?? onlineCity,
    timeZone: meeting.timeZone,
    place: meeting.place ?? "",
    onlineUrl: meeting.onlineUrl ?? "",
    mapUrl: meeting.mapUrl ?? "",
    capacity: meeting.capacity === null ? "" : String(meeting.capacity),
    languages: [...meeting.languages],
  };
}

/**
 * A stored meeting with some fields changed (an API PATCH): texts merge per language (an empty
 * text removes that language); a new start without a new end or length keeps the meeting's length.
 *
 * @example
 * overlayFields(meeting, { time: "19:00" }); // same day, an hour later, same length
 */
export function overlayFields(meeting: Meeting, patch: Partial<MeetingFields>): MeetingFields {
  const base = fieldsOf(meeting);
  const defined = Object.fromEntries(
    Object.entries(patch).filter(([, v]) => v !== undefined),
  ) as Partial<MeetingFields>;
  const next: MeetingFields = {
    ...base,
    ...defined,
    title: { ...meeting.title, ...(defined.title ?? {}) },
    description: { ...base.description, ...(defined.description ?? {}) },
  };
  const startGiven = defined.date !== undefined || defined.time !== undefined || defined.startsAt !== undefined;
  const endGiven = defined.endTime !== undefined || defined.minutes !== undefined || defined.endsAt !== undefined;
  if (startGiven && !endGiven) {
    next.endTime = "";
    next.minutes = String(Math.round((meeting.endsAt.getTime() - meeting.startsAt.getTime()) / 60_000));
  } else if (defined.minutes !== undefined && defined.endTime === undefined) next.endTime = "";
  return next;
}
