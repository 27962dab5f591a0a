/**
 * CSV as spreadsheets read it: comma-separated, CRLF line ends, quotes where needed, and a cell that
 * starts like a formula (= + - @, tab, CR) prefixed with ' so a spreadsheet shows it instead of running
 * it (a meeting title typed by staff could start with "=").
 */

/** A cell: text, a number, or empty. */
export type CsvCell = string | number | null | undefined;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * A CSV document with a header row.
 *
 * @example
 * toCsv(["city", "people"], [["Mainz", 12]]); // "city,people\r\nMainz,12\r\n"
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(cell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
