/**
 * Every table that holds rows about an address. "Delete my data" erases the
 * address from each of them and "my data" counts them, so a feature that adds
 * a table registers it here and cannot be forgotten by the privacy flow.
 */

/** A table with a column holding the address. */
export interface PersonalTable {
  table: string;
  column: string;
  /** The i18n key that names these rows in "my data", with `{{count}}`; none for the profile itself. */
  labelKey?: string;
}

const tables: PersonalTable[] = [
  { table: "conversations", column: "address", labelKey: "privacy.export.tables.conversations" },
  { table: "outbox", column: "address", labelKey: "privacy.export.tables.outbox" },
  // users last: other tables may reference it.
  { table: "users", column: "address" },
];

/**
 * Registers a feature's table that holds personal rows.
 *
 * @example
 * registerPersonalTable({ table: "lesson_progress", column: "address" });
 */
export function registerPersonalTable(entry: PersonalTable): void {
  if (tables.some((t) => t.table === entry.table)) return;
  tables.unshift(entry);
}

/** The registered tables, in erase order. */
export function personalTables(): readonly PersonalTable[] {
  return tables;
}
