/**
 * Migration 019: the outbox's indexes on columns that are empty for nearly every row (the platform's
 * message id before sending, the broadcast of a reply, the person a counsellor's notice is about)
 * hold only the rows that have a value. A reply to a message then updates six indexes instead of
 * nine: the insert and the COMMIT of every message were the largest costs of the message path.
 * Queries that look for a value (`platform_id = ?`, `subject = ?`) use the partial index as before;
 * the fan-out's conflict target names the index's condition. SQLite runs migrations outside a
 * transaction: each step may be repeated after a crash between two of them.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("outbox_platform_id").ifExists().execute();
  await db.schema
    .createIndex("outbox_platform_id")
    .ifNotExists()
    .on("outbox")
    .column("platform_id")
    .where(sql.ref("platform_id"), "is not", null)
    .execute();
  await db.schema.dropIndex("outbox_subject").ifExists().execute();
  await db.schema
    .createIndex("outbox_subject")
    .ifNotExists()
    .on("outbox")
    .column("subject")
    .where(sql.ref("subject"), "is not", null)
    .execute();
  await db.schema.dropIndex("outbox_broadcast").ifExists().execute();
  await db.schema
    .createIndex("outbox_broadcast")
    .ifNotExists()
    .on("outbox")
    .columns(["broadcast_id", "address"])
    .unique()
    .where(sql.ref("broadcast_id"), "is not", null)
    .execute();
}
