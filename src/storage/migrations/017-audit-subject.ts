/**
 * The audit log names the staff member an action was done to (added, given roles, removed), so an
 * admin giving someone the counsellor role shows. Cleared when that person deletes their data.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("audit_log").addColumn("subject", "text").execute();
}
