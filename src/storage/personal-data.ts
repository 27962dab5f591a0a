/**
 * Every table that holds rows about an address. "Delete my data" erases the
 * address from each of them and "my data" counts them, so a feature that adds
 * a table lists it here, and the privacy flow cannot forget it.
 */

/** A table with a column holding the address. */
export interface PersonalTable {
  table: string;
  column: string;
  /** The i18n key that names these rows in "my data", with `{{count}}`; none for the profile itself. */
  labelKey?: string;
}

const tables: readonly PersonalTable[] = [
  { table: "lesson_progress", column: "address", labelKey: "privacy.export.tables.lessonProgress" },
  { table: "quiz_results", column: "address", labelKey: "privacy.export.tables.quizResults" },
  { table: "review_items", column: "address", labelKey: "privacy.export.tables.reviewItems" },
  { table: "learning_days", column: "address", labelKey: "privacy.export.tables.learningDays" },
  { table: "referrals", column: "address", labelKey: "privacy.export.tables.referrals" },
  { table: "rsvps", column: "address", labelKey: "privacy.export.tables.rsvps" },
  { table: "news_subscriptions", column: "address", labelKey: "privacy.export.tables.news" },
  { table: "nudge_settings", column: "address", labelKey: "privacy.export.tables.nudgeSettings" },
  { table: "jobs", column: "address", labelKey: "privacy.export.tables.jobs" },
  { table: "conversations", column: "address", labelKey: "privacy.export.tables.conversations" },
  { table: "outbox", column: "address", labelKey: "privacy.export.tables.outbox" },
  // users last: other tables may reference it.
  { table: "users", column: "address" },
];

/** The registered tables, in erase order. */
export function personalTables(): readonly PersonalTable[] {
  return tables;
}
