/**
 * The staff console: sign-in codes sent to a staff member's chat, browser sessions, the audit log of
 * every staff action, and a display name for staff added by an admin.
 */
import type { Kysely } from "kysely";
import { addIdColumn, type Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("staff_login_codes")
    .addColumn("address", "text", (c) => c.primaryKey())
    // A keyed hash of the 6 digits, never the digits: a copy of the database signs nobody in.
    .addColumn("code_hash", "text")
    .addColumn("expires_at", "text")
    .addColumn("tries", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("staff_sessions")
    // The hash of the cookie's value: the cookie itself is never stored.
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("csrf", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("staff_sessions_address").on("staff_sessions").column("address").execute();
  await addIdColumn(db.schema.createTable("audit_log"), dialect)
    .addColumn("actor", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_created").on("audit_log").column("created_at").execute();
  await db.schema.alterTable("staff_members").addColumn("name", "text").execute();
}
