/**
 * CSV as spreadsheets read it: comma-separated, CRLF line ends, quotes where needed, and a cell that
 * starts like a formula (= + - @, tab, CR) prefixed with ' so a spreadsheet shows it instead of running
 * it (a meeting title typed by staff could start with "=").
 */

/** A cell: text, a number, or empty. */
export type CsvCell = string | number | null | undefined;

function cell(value: CsvCell, separator: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    // A German spreadsheet reads "0,5" as a number and "0.5" as text.
    return separator === ";" ? String(value).replace(".", ",") : String(value);
  }
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** How a CSV is written: RFC 4180 for scripts (the API), or for a spreadsheet in the console's language. */
export interface CsvStyle {
  /** `,` (English, scripts) or `;` (German spreadsheets, where the comma is the decimal sign). */
  separator?: "," | ";";
  /** A byte order mark first, so Excel reads UTF-8 (Arabic, Dari, umlauts) instead of guessing. */
  bom?: boolean;
}

/**
 * The style for a spreadsheet opened by someone using the console in `language`.
 *
 * @example
 * toCsv(header, rows, spreadsheetStyle("de")); // ";"-separated, with a byte order mark
 */
export function spreadsheetStyle(language: string): CsvStyle {
  return { separator: language === "de" ? ";" : ",", bom: true };
}

/**
 * A CSV document with a header row.
 *
 * @example
 * toCsv(["city", "people"], [["Mainz", 12]]); // "city,people\r\nMainz,12\r\n"
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], style: CsvStyle = {}): string {
  const separator = style.separator ?? ",";
  const lines = [header, ...rows].map((row) => row.map((v) => cell(v, separator)).join(separator));
  return `${style.bom ? "\uFEFF" : ""}${lines.join("\r\n")}\r\n`;
}
