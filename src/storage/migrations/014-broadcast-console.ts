/**
 * Broadcasts from the staff console: the language a person gets when the broadcast has neither theirs
 * nor their second one (`default_language`), the zone a scheduled time was entered in, why a broadcast
 * was cancelled (`cancel_reason`, e.g. its creator lost the staff role), and delivery counts of pruned
 * outbox rows per channel, last status and error (`broadcast_pruned`), so the console's per-channel
 * figures and failure reasons stay right after pruning. The totals already pruned (migration 009) are
 * carried over with an empty channel ("before per-channel counts").
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable("broadcasts").addColumn("default_language", "text").execute();
  await db.schema.alterTable("broadcasts").addColumn("time_zone", "text").execute();
  await db.schema.alterTable("broadcasts").addColumn("cancel_reason", "text").execute();
  await db.schema
    .createTable("broadcast_pruned")
    .addColumn("broadcast_id", "integer", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    // The error as the outbox kept it, cut to 200 characters; empty for rows that did not fail.
    .addColumn("error", "text", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("broadcast_pruned_key", ["broadcast_id", "channel", "status", "error"])
    .execute();
  for (const status of ["sent", "delivered", "read", "failed"]) {
    await sql`insert into broadcast_pruned (broadcast_id, channel, status, error, n)
      select id, '', ${sql.lit(status)}, '', ${sql.ref(`pruned_${status}`)} from broadcasts
      where ${sql.ref(`pruned_${status}`)} > 0`.execute(db);
  }
}
