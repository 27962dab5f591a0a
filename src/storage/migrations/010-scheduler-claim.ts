/**
 * The scheduler's claim in one index range scan. `claim_at` is when a job may
 * next be claimed: its due time while pending, its lease's end while running,
 * null once done or failed. One index on it serves both due jobs and jobs
 * whose run crashed, already in claim order, so a tick reads only the rows it
 * claims instead of sorting every due row; finished jobs (null) are left out
 * of the index altogether.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable("jobs").addColumn("claim_at", "text").execute();
  await sql`update jobs set claim_at = due_at where status = 'pending'`.execute(db);
  await sql`update jobs set claim_at = coalesce(lease_until, due_at) where status = 'running'`.execute(db);
  // Partial on "is not null": both SQLite and Postgres use it for `claim_at <= ?`, even with a bound
  // parameter, since a comparison is never true of null.
  await db.schema
    .createIndex("jobs_claim")
    .on("jobs")
    .column("claim_at")
    .where(sql.ref("claim_at"), "is not", null)
    .execute();
  // The old index served the claim only; nothing else filters jobs by status and due time.
  await db.schema.dropIndex("jobs_status_due").execute();
}
