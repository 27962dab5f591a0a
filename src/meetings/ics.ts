/**
 * A calendar file (iCalendar, RFC 5545) for one meeting, so people can add it
 * to their phone's calendar with one tap.
 */
import type { Meeting } from "./repository.ts";

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** Escapes text as iCalendar wants it: backslash, comma, semicolon and line breaks. */
function escapeText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/[,;]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, "\\n");
}

/** Folds lines longer than 75 octets, as RFC 5545 requires. */
function fold(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  for (const ch of line) {
    if (Buffer.byteLength(current + ch, "utf8") > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
    }
    current += ch;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/**
 * The .ics text for a meeting, in the given language (English if missing).
 *
 * @example
 * icsFor(meeting, "de", new Date());
 */
export function icsFor(meeting: Meeting, language: string, now: Date): string {
  const pick = (t: Record<string, string>) => t[language] ?? t.en ?? Object.values(t)[0] ?? "";
  const location = meeting.place ?? meeting.onlineUrl ?? "";
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Lotse//Meetings//EN",
    "CALSCALE:GREGORIAN",
    "BEGIN:VEVENT",
    `UID:meeting-${meeting.id}@lotse`,
    `DTSTAMP:${stamp(now)}`,
    `DTSTART:${stamp(meeting.startsAt)}`,
    `DTEND:${stamp(meeting.endsAt)}`,
    `SUMMARY:${escapeText(pick(meeting.title))}`,
    `DESCRIPTION:${escapeText(pick(meeting.description))}`,
    ...(location ? [`LOCATION:${escapeText(location)}`] : []),
    ...(meeting.onlineUrl ? [`URL:${meeting.onlineUrl}`] : []),
    `STATUS:${meeting.status === "cancelled" ? "CANCELLED" : "CONFIRMED"}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(fold).join("\r\n")}\r\n`;
}
