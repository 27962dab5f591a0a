/**
 * Every column that holds an address, in every table. "Delete my data" erases
 * the address from each of them and "my data" counts them, so a feature that
 * adds a table, or writes someone's details into a row meant for another
 * person, lists it here, and the privacy flow cannot forget it.
 *
 * Rows keyed by the person are deleted; so are rows to someone else that are
 * *about* the person (outbox rows whose `subject` is their address, such as a
 * referral's notice to a counsellor with their address and note). A row that
 * is not theirs but names them (a meeting or broadcast a staff member made)
 * keeps existing with the name cleared.
 */

/** A table with a column holding the address. */
export interface PersonalTable {
  table: string;
  column: string;
  /** The i18n key that names these rows in "my data", with `{{count}}`; none for the profile itself. */
  labelKey?: string;
  /** `delete` (the default) deletes the rows; `clear` sets the column to null and keeps the row. */
  erase?: "delete" | "clear";
}

const tables: readonly PersonalTable[] = [
  { table: "lesson_progress", column: "address", labelKey: "privacy.export.tables.lessonProgress" },
  { table: "quiz_results", column: "address", labelKey: "privacy.export.tables.quizResults" },
  { table: "quiz_answers", column: "address", labelKey: "privacy.export.tables.quizAnswers" },
  { table: "review_items", column: "address", labelKey: "privacy.export.tables.reviewItems" },
  { table: "learning_days", column: "address", labelKey: "privacy.export.tables.learningDays" },
  // The conversation with a counsellor and the counsellors' notes about the request go with it.
  { table: "referral_messages", column: "address", labelKey: "privacy.export.tables.referralMessages" },
  { table: "referral_notes", column: "address", labelKey: "privacy.export.tables.referralNotes" },
  { table: "referrals", column: "address", labelKey: "privacy.export.tables.referrals" },
  { table: "rsvps", column: "address", labelKey: "privacy.export.tables.rsvps" },
  // Leaving every class the person joined; the teacher sees them no more.
  { table: "class_members", column: "address", labelKey: "privacy.export.tables.classes" },
  // Certificates with the chosen name; kept without the address when the person asks (src/certificates/feature.ts).
  { table: "certificates", column: "address", labelKey: "privacy.export.tables.certificates" },
  { table: "news_subscriptions", column: "address", labelKey: "privacy.export.tables.news" },
  { table: "nudge_settings", column: "address", labelKey: "privacy.export.tables.nudgeSettings" },
  { table: "jobs", column: "address", labelKey: "privacy.export.tables.jobs" },
  { table: "conversations", column: "address", labelKey: "privacy.export.tables.conversations" },
  { table: "outbox", column: "address", labelKey: "privacy.export.tables.outbox" },
  // Messages to others about this person (a counsellor's notice of their referral): see StoreTx.enqueue's `subject`.
  { table: "outbox", column: "subject" },
  // Roles an admin gave this address: the grant is about them too.
  { table: "staff_members", column: "address" },
  // A staff member's sign-in codes and browser sessions; their name on the audit log is cleared, the entry stays.
  { table: "staff_login_codes", column: "address" },
  { table: "staff_sessions", column: "address" },
  { table: "audit_log", column: "actor", erase: "clear" },
  { table: "audit_log", column: "subject", erase: "clear" },
  // What a staff member made stays for the others; only who made it goes.
  { table: "referrals", column: "assigned_to", erase: "clear" },
  { table: "referral_notes", column: "author", erase: "clear" },
  { table: "referral_messages", column: "author", erase: "clear" },
  { table: "meetings", column: "created_by", erase: "clear" },
  { table: "broadcasts", column: "created_by", erase: "clear" },
  // A teacher's class stays for the admins and its learners; only who taught it goes.
  { table: "classes", column: "teacher", erase: "clear" },
  // A staff member's correction of a city service stays; only who made it goes.
  { table: "service_overrides", column: "updated_by", erase: "clear" },
  // A revoked certificate stays revoked; only who revoked it goes.
  { table: "certificates", column: "revoked_by", erase: "clear" },
  // users last: other tables may reference it.
  { table: "users", column: "address" },
];

/**
 * The registered tables, in erase order.
 *
 * @example
 * for (const { table, column } of personalTables()) console.log(table, column);
 */
export function personalTables(): readonly PersonalTable[] {
  return tables;
}

/**
 * The key of an entry's count in "my data": the table name for its `address`
 * column (what the labels read), `table.column` for any other.
 *
 * @example
 * personalKey({ table: "outbox", column: "subject" }); // "outbox.subject"
 */
export function personalKey(entry: PersonalTable): string {
  return entry.column === "address" ? entry.table : `${entry.table}.${entry.column}`;
}
