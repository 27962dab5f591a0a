/**
 * Users, conversations, inbound deduplication and the outbox.
 */
import type { Kysely } from "kysely";
import { addIdColumn, type Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("address", "text", (c) => c.primaryKey())
    .addColumn("language", "text")
    .addColumn("city", "text")
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("consent", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("last_inbound_at", "text")
    .execute();

  await db.schema
    .createTable("conversations")
    .addColumn("address", "text", (c) => c.primaryKey())
    .addColumn("flow_id", "text", (c) => c.notNull())
    .addColumn("flow_version", "integer", (c) => c.notNull())
    .addColumn("snapshot", "text", (c) => c.notNull())
    .addColumn("prompt", "text")
    .addColumn("misses", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("inbound_seen")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seen_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("inbound_seen_seen_at").on("inbound_seen").column("seen_at").execute();

  await addIdColumn(db.schema.createTable("outbox"), dialect)
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("not_before", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .addColumn("error", "text")
    .addColumn("purge", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("outbox_address_id").on("outbox").columns(["address", "id"]).execute();
  await db.schema.createIndex("outbox_status_due").on("outbox").columns(["status", "not_before"]).execute();
}
