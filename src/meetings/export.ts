/**
 * A meeting's guest list as CSV (RFC 4180) for a spreadsheet: the pseudonymous label, the guest's
 * reference, language, answer, waiting-list place and whether they came. No address, no name: a
 * file that travels by e-mail must not let anyone contact the people on it.
 */
import type { Guest } from "./guests.ts";

/** The columns, in order (stable names: scripts read them). */
export const guestCsvColumns = ["no", "guest", "ref", "language", "answer", "waiting", "attended"] as const;

/** Quotes a field when needed, and defuses text a spreadsheet would run as a formula. */
function field(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV text of a guest list, one row per guest, CRLF line ends as RFC 4180 has them.
 *
 * @example
 * guestsCsv(await guestsOf(db, id, { includeNo: true }));
 * // "no,guest,ref,language,answer,waiting,attended\r\n1,telegram …123,3fa1c09b2e44,ar,yes,,yes\r\n"
 */
export function guestsCsv(guests: readonly Guest[]): string {
  const rows = guests.map((g, i) =>
    [i + 1, g.label, g.ref, g.language ?? "", g.answer, g.waitingPosition ?? "", g.attended ? "yes" : "no"]
      .map(field)
      .join(","),
  );
  return `${[guestCsvColumns.join(","), ...rows].join("\r\n")}\r\n`;
}
