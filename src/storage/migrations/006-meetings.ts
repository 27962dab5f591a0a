/**
 * Information meetings, RSVPs, staff added by an admin, news subscriptions and broadcasts.
 */
import type { Kysely } from "kysely";
import { addIdColumn, type Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await addIdColumn(db.schema.createTable("meetings"), dialect)
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("place", "text")
    .addColumn("map_url", "text")
    .addColumn("online_url", "text")
    .addColumn("city", "text")
    .addColumn("languages", "text", (c) => c.notNull())
    .addColumn("capacity", "integer")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("meetings_starts").on("meetings").columns(["status", "starts_at"]).execute();

  await db.schema
    .createTable("rsvps")
    .addColumn("meeting_id", "integer", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("answer", "text", (c) => c.notNull())
    .addColumn("waiting", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("rsvps_pk", ["meeting_id", "address"])
    .execute();
  await db.schema.createIndex("rsvps_address").on("rsvps").column("address").execute();

  await db.schema
    .createTable("staff_members")
    .addColumn("address", "text", (c) => c.primaryKey())
    .addColumn("roles", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("news_subscriptions")
    .addColumn("address", "text", (c) => c.primaryKey())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await addIdColumn(db.schema.createTable("broadcasts"), dialect)
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("send_at", "text", (c) => c.notNull())
    .addColumn("recipients", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.alterTable("outbox").addColumn("broadcast_id", "integer").execute();
  await db.schema.createIndex("outbox_broadcast").on("outbox").columns(["broadcast_id", "address"]).unique().execute();
}
