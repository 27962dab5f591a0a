/**
 * A meeting's guest list as CSV (RFC 4180) for a spreadsheet: the pseudonymous label, the guest's
 * reference, language, answer, waiting-list place and whether they came. No address, no name: a
 * file that travels by e-mail must not let anyone contact the people on it.
 */
import { type CsvStyle, toCsv } from "../stats/csv.ts";
import type { Guest } from "./guests.ts";

/** The columns, in order (stable names: scripts read them). */
export const guestCsvColumns = ["no", "guest", "ref", "language", "answer", "waiting", "attended"] as const;

/**
 * The CSV text of a guest list, one row per guest, CRLF line ends as RFC 4180 has them (the console
 * passes a spreadsheet style: BOM, and ";" for German).
 *
 * @example
 * guestsCsv(await guestsOf(db, id, { includeNo: true }));
 * // "no,guest,ref,language,answer,waiting,attended\r\n1,telegram …123,3fa1c09b2e44,ar,yes,,yes\r\n"
 */
export function guestsCsv(guests: readonly Guest[], style: CsvStyle = {}): string {
  return toCsv(
    guestCsvColumns,
    guests.map((g, i) => [
      i + 1,
      g.label,
      g.ref,
      g.language ?? "",
      g.answer,
      g.waitingPosition ?? "",
      g.attended ? "yes" : "no",
    ]),
    style,
  );
}
