/**
 * Migration 019: the outbox's indexes on columns that are empty for nearly every row (the platform's
 * message id before sending, the broadcast of a reply, the person a counsellor's notice is about)
 * hold only the rows that have a value. A reply to a message then updates six indexes instead of
 * nine: the insert and the COMMIT of every message were the largest costs of the message path.
 * Queries that look for a value (`platform_id = ?`, `subject = ?`) use the partial index as before;
 * the fan-out's conflict target names the index's condition.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("outbox_platform_id").execute();
  await db.schema
    .createIndex("outbox_platform_id")
    .on("outbox")
    .column("platform_id")
    .where(sql.ref("platform_id"), "is not", null)
    .execute();
  await db.schema.dropIndex("outbox_subject").execute();
  await db.schema
    .createIndex("outbox_subject")
    .on("outbox")
    .column("subject")
    .where(sql.ref("subject"), "is not", null)
    .execute();
  await db.schema.dropIndex("outbox_broadcast").execute();
  await db.schema
    .createIndex("outbox_broadcast")
    .on("outbox")
    .columns(["broadcast_id", "address"])
    .unique()
    .where(sql.ref("broadcast_id"), "is not", null)
    .execute();
}
