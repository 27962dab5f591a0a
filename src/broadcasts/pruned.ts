/**
 * What pruning keeps of a broadcast's outbox rows: their count per channel, last status and error
 * (`broadcast_pruned`), so the console's per-channel figures and failure reasons are the same before
 * and after the rows are deleted. The outbox's pruning (src/storage/store.ts) runs this statement over
 * exactly the rows it deletes, in the same statement (Postgres) or transaction (SQLite).
 */
import { type RawBuilder, sql } from "kysely";

/** Longest error kept per group: long enough to read, short enough for a key. */
export const prunedErrorLength = 200;

/**
 * An `INSERT ... SELECT` adding the broadcast rows of `source` (a table expression with the outbox's
 * columns) to `broadcast_pruned`. A row pruned while still "sending" was never confirmed: it counts as
 * failed, with that as its error.
 *
 * @example
 * await tallyPruned(sql`(select * from outbox where status <> 'queued' and updated_at < ${until}) as pruning`).execute(db);
 */
export function tallyPruned(source: RawBuilder<unknown>): RawBuilder<unknown> {
  const reached = sql`status in ('sent', 'delivered', 'read')`;
  return sql`insert into broadcast_pruned (broadcast_id, channel, status, error, n)
    select broadcast_id, coalesce(channel, ''),
      case when ${reached} then status else 'failed' end,
      case when ${reached} then ''
           when status = 'failed' then substr(coalesce(error, ''), 1, ${sql.lit(prunedErrorLength)})
           else 'unconfirmed: still ' || status || ' when pruned' end,
      count(*)
    from ${source}
    where broadcast_id is not null
    group by 1, 2, 3, 4
    on conflict (broadcast_id, channel, status, error) do update set n = broadcast_pruned.n + excluded.n`;
}
