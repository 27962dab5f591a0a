/**
 * Outbox lanes: every row carries the lane of its purpose (0 replies, 1
 * reminders and notices, 2 nudges, 3 broadcasts), so the sender serves
 * conversation before bulk; `parts_sent` lets a multi-part message resume at
 * the part that failed instead of sending the first parts twice. One index
 * serves the claim of each channel's lane in id order.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable("outbox")
    .addColumn("lane", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("outbox")
    .addColumn("parts_sent", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  // Rows queued before this migration: broadcasts are bulk, the rest by their payload's purpose.
  await sql`update outbox set lane = 3 where broadcast_id is not null`.execute(db);
  await sql`update outbox set lane = 2 where broadcast_id is null and payload like '%"purpose":"nudge"%'`.execute(db);
  await sql`update outbox set lane = 1 where broadcast_id is null and (payload like '%"purpose":"reminder"%' or payload like '%"purpose":"notice"%')`.execute(
    db,
  );
  await db.schema.createIndex("outbox_claim").on("outbox").columns(["channel", "lane", "status", "id"]).execute();
  await db.schema.createIndex("outbox_address_lane").on("outbox").columns(["address", "lane", "id"]).execute();
}
