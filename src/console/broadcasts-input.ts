/**
 * Reading the broadcast form of the console: the text columns (with one more after "add language",
 * one fewer after "remove"), the default language, the audience's ticked boxes, and when to send as
 * a local date, time and zone. Whatever was typed comes back into the form unchanged when it is shown
 * again, so nothing is lost on a preview or an error.
 */
import { everyone } from "../broadcasts/audience.ts";
import type { AudienceChannel, ProgressCondition } from "../broadcasts/audience-filter.ts";
import type { Draft } from "../broadcasts/draft.ts";
import { languageByCode } from "../domain/languages.ts";

/** A parsed form body (`parseBody({ all: true })`). */
export type FormBody = Record<string, string | File | (string | File)[]>;

/** What the form holds, as posted. */
export interface BroadcastForm {
  draft: Draft;
  /** The text columns shown, in order. */
  columns: string[];
  /** The button pressed: preview, send, addLanguage, remove.<code>. */
  action: string;
  /** The date, time and zone as typed (kept also when "send now" is chosen). */
  date: string;
  time: string;
  timeZone: string;
  /** The meeting picked as raw text ("" for none), kept when it is not a number. */
  meeting: string;
}

/** The text columns a new broadcast offers: English, German, Arabic, Dari, Ukrainian. */
export const defaultBroadcastColumns = ["en", "de", "ar", "prs", "uk"];

const one = (body: FormBody, key: string): string => {
  const value = body[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
};
const many = (body: FormBody, key: string): string[] => {
  const value = body[key];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
};

/**
 * The form's content from a posted body.
 *
 * @example
 * const form = readBroadcastForm(await c.req.parseBody({ all: true }), "Europe/Berlin");
 */
export function readBroadcastForm(body: FormBody, defaultTimeZone: string): BroadcastForm {
  const action = one(body, "action") || "preview";
  const posted = Object.keys(body)
    .filter((k) => k.startsWith("text."))
    .map((k) => k.slice("text.".length));
  const added = action === "addLanguage" ? [one(body, "addLanguage")] : [];
  const removed = action.startsWith("remove.") ? action.slice("remove.".length) : undefined;
  const columns = [...new Set([...one(body, "langs").split(","), ...posted, ...added])].filter(
    (code) => languageByCode(code) !== undefined && code !== removed,
  );
  const texts = Object.fromEntries(columns.map((code) => [code, one(body, `text.${code}`)]));
  // "For everyone else" left at its first option (English) with no English written: the first language
  // that is written. A staff member who wrote German and Arabic was refused for an English she never
  // chose (a trial); a chosen language that is written is kept.
  const chosen = one(body, "defaultLanguage") || (columns[0] ?? "en");
  const written = columns.filter((code) => (texts[code] ?? "").trim() !== "");
  const defaultLanguage = (texts[chosen] ?? "").trim() !== "" || written.length === 0 ? chosen : (written[0] ?? chosen);
  const meeting = one(body, "meetingId");
  const date = one(body, "date");
  const time = one(body, "time");
  const timeZone = one(body, "timeZone") || defaultTimeZone;
  const draft: Draft = {
    texts,
    defaultLanguage,
    audience: {
      ...everyone,
      cities: many(body, "cities"),
      languages: many(body, "languages"),
      // Unknown values stay, so the checks name them (draft.ts) instead of dropping them unseen.
      channels: many(body, "channels") as AudienceChannel[],
      progress: many(body, "progress") as ProgressCondition[],
      meetingId: /^\d+$/.test(meeting) ? Number(meeting) : null,
    },
    when: one(body, "when") === "at" ? { kind: "at", date, time, timeZone } : { kind: "now" },
  };
  return { draft, columns: columns.length > 0 ? columns : ["en"], action, date, time, timeZone, meeting };
}

/**
 * An empty form: the usual columns, English for everyone else, everyone who wants news, now.
 *
 * @example
 * const form = emptyBroadcastForm("Europe/Berlin");
 */
export function emptyBroadcastForm(defaultTimeZone: string): BroadcastForm {
  return {
    draft: {
      texts: {},
      defaultLanguage: "en",
      audience: everyone,
      when: { kind: "now" },
    },
    columns: [...defaultBroadcastColumns],
    action: "",
    date: "",
    time: "",
    timeZone: defaultTimeZone,
    meeting: "",
  };
}
