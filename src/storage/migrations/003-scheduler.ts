/**
 * Due jobs (reminders, nudges, scheduled broadcasts) and each learner's nudge settings.
 */
import type { Kysely } from "kysely";
import { addIdColumn, type Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await addIdColumn(db.schema.createTable("jobs"), dialect)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("address", "text")
    .addColumn("due_at", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("unique_key", "text", (c) => c.notNull().unique())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("lease_until", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_status_due").on("jobs").columns(["status", "due_at"]).execute();
  await db.schema.createIndex("jobs_address").on("jobs").column("address").execute();

  await db.schema
    .createTable("nudge_settings")
    .addColumn("address", "text", (c) => c.primaryKey())
    .addColumn("hour", "integer")
    .addColumn("unanswered", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("paused", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_sent_day", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}
