/**
 * Broadcasts at scale: a broadcast keeps the delivery counts of its outbox
 * rows that pruning deleted (sent rows go after 30 days), so its figures stay
 * right forever; and queuing records how far it got (`queued_through`, the
 * last address queued, in address order), so a fan-out that stopped half way
 * continues after it instead of starting again.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  for (const column of ["pruned_sent", "pruned_delivered", "pruned_read", "pruned_failed"]) {
    await db.schema
      .alterTable("broadcasts")
      .addColumn(column, "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await db.schema.alterTable("broadcasts").addColumn("queued_through", "text").execute();
}
