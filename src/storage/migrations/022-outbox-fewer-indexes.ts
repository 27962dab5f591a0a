/**
 * Migration 022: two of the outbox's indexes that no query needs are dropped; every reply to every
 * message wrote them. `outbox_address_id (address, id)` is covered by `outbox_address_lane (address,
 * lane, id)`, which every query by address uses as well (a person's few queued rows are then sorted by
 * id); `outbox_channel_status (channel, status, not_before)` by `outbox_claim (channel, lane, status, id)`,
 * the index the sender's claim is written for. Measured on 200,000 outbox rows (a 40,000-person
 * broadcast, 30 days of replies): SQLite's insert of a reply 72 -> 37 µs, the address index keyed by a
 * random address having dirtied a page of its own for each row; the plans of every outbox query on both
 * databases compared before and after, none slower by more than a fraction of a millisecond.
 * `outbox_status_due` stays: the metrics' queue depth reads it (on Postgres a full scan without it).
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("outbox_address_id").ifExists().execute();
  await db.schema.dropIndex("outbox_channel_status").ifExists().execute();
}
