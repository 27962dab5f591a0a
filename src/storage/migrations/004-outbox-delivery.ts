/**
 * Outbox delivery for push channels: the channel of each row (for rate limits
 * and claiming), the platform's message id (to match delivery and read
 * statuses), and a lease for rows being sent.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable("outbox").addColumn("channel", "text").execute();
  await db.schema.alterTable("outbox").addColumn("platform_id", "text").execute();
  await db.schema.alterTable("outbox").addColumn("lease_until", "text").execute();
  // The channel is the address up to its colon (Postgres has split_part, SQLite instr).
  const channel =
    dialect === "postgres" ? sql`split_part(address, ':', 1)` : sql`substr(address, 1, instr(address, ':') - 1)`;
  await sql`update outbox set channel = ${channel}`.execute(db);
  await db.schema
    .createIndex("outbox_channel_status")
    .on("outbox")
    .columns(["channel", "status", "not_before"])
    .execute();
  await db.schema.createIndex("outbox_platform_id").on("outbox").column("platform_id").execute();
}
