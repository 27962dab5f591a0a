/**
 * Staff corrections of city services (a new phone number, changed opening hours, a closure), kept
 * beside the content pack until they are exported back into `content/` for review. One row a
 * service: the latest correction; the audit log keeps every change with who and when.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("service_overrides")
    .addColumn("service_id", "text", (c) => c.primaryKey())
    // Each null means "as in the content pack".
    .addColumn("phone", "text")
    .addColumn("website", "text")
    .addColumn("hours", "text")
    .addColumn("closed", "integer", (c) => c.notNull().defaultTo(0))
    // Shown to people on the service's card ("closed until 6 January").
    .addColumn("note", "text")
    // The staff member's address; cleared when they delete their data (the correction stays).
    .addColumn("updated_by", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}
