/**
 * What a work knows of the shared transaction it runs in (Postgres, `PgBatches`): the works of one
 * batch run at the same time in ONE transaction, so Postgres's row locks, which are per transaction,
 * no longer keep them apart. Two learners joining a class with one free place, in one batch, would
 * both have counted it free (a review found exactly that). So a work about to read-then-write a row
 * other people's works may change (a class, a meeting) first takes turns on it with {@link takeTurnsOn}:
 * in a shared transaction, the other works of the batch that want the same row wait until this work
 * has ended, and then see what it wrote; anywhere else (SQLite, a transaction of its own) it costs
 * nothing, and the row lock the caller takes next does the job.
 *
 * A work is known by the database handle it was given: each work of a batch gets a Kysely of its own
 * over the batch's connection. (It was an AsyncLocalStorage, which on Node 20 and 22 turns on the
 * promise hooks: in the Postgres quiz bench 280 MB of its 2.8 GB of allocations, and several percent of
 * its CPU. An HTTP request's log scope, src/log.ts, still turns them on while a request is served.)
 */
import type { Kysely } from "kysely";
import { LotseError } from "../domain/errors.ts";
import type { Database } from "./schema.ts";

/** How long a work waits for another work of its batch: as long as the batch waits for a row lock. */
export const turnWaitMs = 250;

/** One shared transaction, as its works see it. */
export class SharedBatch {
  /** Which work holds each row it took turns on, until that work has ended. */
  readonly holders = new Map<string, SharedWork>();
}

/** One work of a shared transaction. */
export interface SharedWork {
  batch: SharedBatch;
  /** Settles when the work has ended (fulfilled either way). */
  done: Promise<void>;
}

/** Each work's own database handle, and the work it belongs to. */
const works = new WeakMap<object, SharedWork>();

/**
 * Runs `work` as one work of `batch`, giving it a database handle of its own over `db` (the batch's
 * connection; `db` must carry no plugins, which the handle would drop).
 *
 * @example
 * const batch = new SharedBatch();
 * await Promise.allSettled(jobs.map((job) => asSharedWork(batch, db, (own) => job.work(own))));
 */
export async function asSharedWork<T>(
  batch: SharedBatch,
  db: Kysely<Database>,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  let end: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    end = resolve;
  });
  const own = db.withoutPlugins();
  works.set(own, { batch, done });
  try {
    return await work(own);
  } finally {
    end();
  }
}

/**
 * Takes turns on a row with the other works of a shared transaction (see above); resolves at once
 * outside one (`db` is the handle the work was given). Throws `storage.failed` when another work of
 * the batch holds it for longer than {@link turnWaitMs}: the batch is then rolled back and each work
 * runs again in a transaction of its own, where Postgres's row lock decides.
 *
 * @example
 * await takeTurnsOn(db, `classes:${code}`);
 * await db.selectFrom("classes").select("id").where("code", "=", code).forUpdate().execute();
 */
export async function takeTurnsOn(db: Kysely<Database>, row: string): Promise<void> {
  const work = works.get(db);
  if (work === undefined) return;
  for (;;) {
    const holder: SharedWork | undefined = work.batch.holders.get(row);
    if (holder === undefined || holder === work) break;
    await waitFor(holder.done, row);
  }
  work.batch.holders.set(row, work);
  // Held until the work ends, as a row lock is held until the transaction's end.
  void work.done.then(() => {
    if (work.batch.holders.get(row) === work) work.batch.holders.delete(row);
  });
}

function waitFor(done: Promise<void>, row: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new LotseError("storage.failed", `another work of the shared transaction held ${row}`)),
      turnWaitMs,
    );
    void done.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
