/**
 * A broadcast as staff compose it in the console or send it to the API, and its checks: texts in
 * known languages, a default language that has a text, an audience that names only what exists (an
 * unknown city is refused with the list of known ones), and a local date and time in a chosen zone
 * (no ISO typing) that is not in the past. Problems are codes with what is allowed, so the console
 * words them in the staff member's language and the API in English.
 */
import type { ContentPack } from "../content/pack.ts";
import { cities, isTimeZone } from "../domain/cities.ts";
import { languageByCode, languages } from "../domain/languages.ts";
import { parseLocalDateTime } from "../domain/local-time.ts";
import type { StoreTx } from "../storage/store.ts";
import { type AudienceFilter, filterProblems } from "./audience.ts";

/** Longest text per language: the chat's limit, and what a WhatsApp template parameter carries whole. */
export const maxTextLength = 1000;

/** When to send: now, or at a local date and time in a zone. */
export type SendWhen = { kind: "now" } | { kind: "at"; date: string; time: string; timeZone: string };

/** A broadcast before it is created. */
export interface Draft {
  texts: Record<string, string>;
  defaultLanguage: string;
  audience: AudienceFilter;
  when: SendWhen;
}

/** What is wrong with a draft, per field. */
export interface DraftProblem {
  field: string;
  code:
    | "noText"
    | "tooLong"
    | "unknownLanguage"
    | "defaultWithoutText"
    | "unknown"
    | "unknownMeeting"
    | "badDate"
    | "badZone"
    | "inPast";
  /** The value refused, where there is one. */
  value?: string;
  /** What is allowed instead (known cities, languages, courses, zones). */
  allowed?: string[];
}

/** Zones offered for scheduling: those of our cities, then UTC. */
export const scheduleZones = (): string[] => [...new Set(cities.map((c) => c.timeZone)), "UTC"];

/**
 * The checks of a draft; empty when it can be created. Reads the meeting when the audience names one.
 *
 * @example
 * const problems = await draftProblems(tx, draft, pack, now);
 * if (problems.length > 0) return invalid(c, problems[0].field, problemMessage(problems[0]));
 */
export async function draftProblems(tx: StoreTx, draft: Draft, pack: ContentPack, now: Date): Promise<DraftProblem[]> {
  const problems: DraftProblem[] = [];
  const written = Object.entries(draft.texts).filter(([, text]) => text.trim().length > 0);
  if (written.length === 0) problems.push({ field: "texts", code: "noText" });
  for (const [language, text] of written) {
    if (!languageByCode(language))
      problems.push({
        field: `texts.${language}`,
        code: "unknownLanguage",
        value: language,
        allowed: languages.map((l) => l.code),
      });
    if ([...text].length > maxTextLength)
      problems.push({ field: `texts.${language}`, code: "tooLong", value: language });
  }
  if (written.length > 0 && !written.some(([language]) => language === draft.defaultLanguage))
    problems.push({
      field: "defaultLanguage",
      code: "defaultWithoutText",
      value: draft.defaultLanguage,
      allowed: written.map(([l]) => l),
    });
  for (const p of filterProblems(draft.audience, pack))
    problems.push({ field: `audience.${p.field}`, code: "unknown", value: p.value, allowed: p.allowed });
  if (draft.audience.meetingId !== null) {
    const meeting = await tx.db
      .selectFrom("meetings")
      .select("id")
      .where("id", "=", draft.audience.meetingId)
      .where("status", "!=", "cancelled")
      // A class session's learners are reached by their class's messages, by its teacher or an admin.
      .where("class_id", "is", null)
      .executeTakeFirst();
    if (!meeting)
      problems.push({ field: "audience.meetingId", code: "unknownMeeting", value: String(draft.audience.meetingId) });
  }
  if (draft.when.kind === "at") {
    const zoneOk = isTimeZone(draft.when.timeZone);
    if (!zoneOk)
      problems.push({ field: "when.timeZone", code: "badZone", value: draft.when.timeZone, allowed: scheduleZones() });
    const at = zoneOk ? sendAt(draft.when, now) : undefined;
    if (zoneOk && !at)
      problems.push({ field: "when.date", code: "badDate", value: `${draft.when.date} ${draft.when.time}` });
    // A minute's grace: "now" typed as a time is not refused for the seconds it took to press send.
    if (at && at.getTime() < now.getTime() - 60_000) problems.push({ field: "when.date", code: "inPast" });
  }
  return problems;
}

/**
 * The instant to send at: now, or the local date and time in its zone (undefined when it is not one).
 *
 * @example
 * sendAt({ kind: "at", date: "2026-12-10", time: "18:00", timeZone: "Europe/Berlin" }, now); // 2026-12-10T17:00:00Z
 */
export function sendAt(when: SendWhen, now: Date): Date | undefined {
  if (when.kind === "now") return now;
  if (!isTimeZone(when.timeZone)) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(when.date) || !/^\d{1,2}:\d{2}$/.test(when.time)) return undefined;
  return parseLocalDateTime(`${when.date} ${when.time}`, when.timeZone);
}

/** The texts that have words, trimmed. */
export function writtenTexts(texts: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(texts)
      .map(([language, text]) => [language, text.trim()] as const)
      .filter(([, text]) => text.length > 0),
  );
}

/**
 * A problem in plain English, for the API (the console words them from its locale files).
 *
 * @example
 * problemMessage({ field: "audience.cities", code: "unknown", value: "Mainz", allowed: ["mainz", "leipzig"] });
 * // 'unknown value "Mainz"; known: mainz, leipzig'
 */
export function problemMessage(problem: DraftProblem): string {
  const allowed = problem.allowed ? `; known: ${problem.allowed.join(", ")}` : "";
  switch (problem.code) {
    case "noText":
      return "write the message in at least one language";
    case "tooLong":
      return `at most ${maxTextLength} characters`;
    case "unknownLanguage":
      return `unknown language "${problem.value}"${allowed}`;
    case "defaultWithoutText":
      return `the default language must be one with a text${allowed}`;
    case "unknown":
      return `unknown value "${problem.value}"${allowed}`;
    case "unknownMeeting":
      return `no upcoming meeting with id ${problem.value}`;
    case "badDate":
      return `not a date and time: "${problem.value}" (date YYYY-MM-DD, time HH:MM)`;
    case "badZone":
      return `not a time zone: "${problem.value}"${allowed}`;
    case "inPast":
      return "this time has passed";
  }
}
