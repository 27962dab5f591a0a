/**
 * Meetings done right in the staff console: who came (`rsvps.attended`, ticked at the door), a short
 * random reference per guest (`rsvps.ref`) so the console, the door list, the CSV export and the API
 * can name a guest without showing their chat address, and the broadcast that announced a meeting
 * to the people who asked for news (`meetings.announcement_id`).
 *
 * Both new rsvps columns live in a row keyed by the person's address, which personal-data.ts already
 * lists: "delete my data" removes them with the row.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable("rsvps")
    .addColumn("attended", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("rsvps").addColumn("ref", "text").execute();
  // Guests who answered before this migration get a reference too: random, never derived from the address.
  if (dialect === "postgres") {
    await sql`update rsvps set ref = substr(md5(random()::text || clock_timestamp()::text || address), 1, 12)
      where ref is null`.execute(db);
  } else {
    await sql`update rsvps set ref = lower(hex(randomblob(6))) where ref is null`.execute(db);
  }
  await db.schema.createIndex("rsvps_ref").on("rsvps").columns(["meeting_id", "ref"]).unique().execute();
  await db.schema.alterTable("meetings").addColumn("announcement_id", "integer").execute();
}
