/**
 * Shared transactions on Postgres for works that touch nothing but the database (an inbound
 * message's turn): the works waiting at the same time run together in one transaction on one
 * pipelined connection (`pg-pipeline.ts`), with one BEGIN and one COMMIT for all of them, their
 * statements sharing round trips.
 *
 * Every statement to Postgres is a round trip over the network, and a message's turn ran seven of
 * them, two of which were its own BEGIN and COMMIT. SQLite's group commit puts each work in a
 * savepoint so that one can fail alone; on Postgres a savepoint and its release are two more round
 * trips, as many as they would save. So a batch runs without them, optimistically: when any of its
 * works fails, or the COMMIT does, the whole transaction is rolled back and each work of the batch
 * runs again in a transaction of its own, as it would have without batching. A work must therefore
 * be safe to run twice: everything it does is in the database, which the rollback undid.
 *
 * What each caller sees is unchanged: its promise settles only after the COMMIT that kept its work
 * (or with its own work's error, from its own transaction), and a person's row locks are held until
 * then. Two things keep one person from holding up the others (a two-process trial found both): the
 * works of a batch start in the order of their keys (the person's address), so their first statements,
 * which lock the person's rows, reach Postgres in that order, and two processes' batches take people's
 * rows in the same order and cannot deadlock on them; and a batch waits for a row lock
 * at most `lockWaitMs`: then it gives up, and its works run again, each in its own transaction at the
 * same time, so only the one whose row is held waits for it.
 */
import { AsyncResource } from "node:async_hooks";
import { CompiledQuery, type Kysely } from "kysely";
import type { LentConnection, PipelinedConnections } from "./pg-pipeline.ts";
import type { Database } from "./schema.ts";
import { asSharedWork, SharedBatch } from "./shared-work.ts";
import { storageCode } from "./unavailable.ts";

/** One caller's work, waiting for a batch. */
interface Job {
  work: (db: Kysely<Database>) => Promise<unknown>;
  /** Orders the works of a batch (a person's address): rows are then locked in the same order everywhere. */
  key: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Works in one transaction at most: bounds how long the first waits for the COMMIT. */
const defaultMaxBatch = 50;

/**
 * Batches running at once, each on its own connection: one work that waits (for a row another
 * process holds) does not hold up every message of this process. The pipelined pool has as many.
 */
const defaultLanes = 2;

/** How long a batch waits for a row lock before it gives up and its works run again, each alone. */
const lockWaitMs = 250;

/** One round trip: without parameters, pg sends both statements as one simple query. */
const begin = CompiledQuery.raw(`begin; set local lock_timeout = ${lockWaitMs}`);
/**
 * A COMMIT of a transaction that a failed statement aborted rolls it back without an error (a work that
 * caught its statement's error would leave the whole batch silently lost): the `select` fails first in
 * an aborted transaction, pg skips the `commit`, and the batch is rolled back and run again.
 */
const commit = CompiledQuery.raw("select 1; commit");
const rollback = CompiledQuery.raw("rollback");

/**
 * Runs database-only works on Postgres, those waiting at the same time in one transaction.
 *
 * @example
 * const batches = new PgBatches(db, pipelinedConnections({ url, max: 2, log }));
 * await batches.run(async (trx) => trx.insertInto("inbound_seen").values(row).execute());
 */
export class PgBatches {
  private readonly waiting: Job[] = [];
  private draining = 0;
  /** The async context the store was made in (no request's), where the lanes run. */
  private readonly outside = new AsyncResource("lotse.pg-batches");

  constructor(
    /** The pool's database: each work run again alone gets a transaction of its own from it. */
    private readonly db: Kysely<Database>,
    /** Where the shared transactions run: one connection per lane. */
    private readonly connections: PipelinedConnections,
    /** Told when a batch was rolled back and its works run again alone (a lock wait, a deadlock, a work's error). */
    private readonly onRolledBack: (error: unknown, works: number) => void = () => undefined,
    private readonly maxBatch = defaultMaxBatch,
    private readonly lanes = defaultLanes,
  ) {}

  /**
   * Runs `work` in a transaction, perhaps shared with others; resolves after the COMMIT that kept it.
   * `key` orders the works of a batch: the address of the person whose rows the work locks first.
   */
  run<T>(work: (db: Kysely<Database>) => Promise<T>, key = ""): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, key, resolve: resolve as (value: unknown) => void, reject });
      // drain() settles every job it takes and catches its own failures; nothing should reach here. It
      // runs outside the caller's async context: a lane serves many people's requests, not the one that
      // happened to start it (log lines would carry that request's id).
      if (this.draining < this.lanes) {
        this.outside.runInAsyncScope(() => void this.drain().catch(() => undefined));
      }
    });
  }

  /** Takes batches until nothing waits; each batch on a connection of the pool. */
  private async drain(): Promise<void> {
    this.draining += 1;
    try {
      while (this.waiting.length > 0) {
        const jobs = this.waiting.splice(0, this.maxBatch).sort(byKey);
        // A work alone runs the same way (with the batch's lock timeout: a row another process holds
        // must not stop the lane either). The reruns are not awaited: one that waits for such a row (no
        // lock timeout now) waits alone; the pool bounds how many run, and each person's order is the
        // engine's queue.
        if (!(await this.together(jobs))) void this.eachAlone(jobs);
      }
    } finally {
      this.draining -= 1;
    }
  }

  /** The works in one transaction; true when all of them were committed (and their callers told). */
  private async together(jobs: Job[]): Promise<boolean> {
    let lent: LentConnection;
    try {
      lent = await this.connections.lend();
    } catch {
      // No connection (the database is down or refuses more): nothing was rolled back. The works run
      // alone on the main pool and fail there, if it is down, as any query does (counted, answered 503).
      return false;
    }
    let broken = false;
    try {
      await lent.control.executeQuery(begin);
      // All at once, in key order: their statements go out together on the pipelined connection. Every
      // work has settled before the COMMIT or the ROLLBACK: a statement sent after the ROLLBACK would
      // run outside any transaction, and be kept.
      // Postgres's row locks do not keep apart the works of one transaction: those that read-then-write
      // a row other people's works may change take turns on it (`shared-work.ts`).
      const batch = new SharedBatch();
      const settled = await Promise.allSettled(jobs.map((job) => asSharedWork(batch, lent.db, job.work)));
      lent.closeWorks();
      // The works run again, each in its own transaction, and tell their own errors. The batch tells
      // why it was rolled back: the failure itself, not the statements refused after it (25P02, the
      // other works' statements already on the wire).
      const failures = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
      const cause = failures.find((f) => storageCode(f.reason) !== "25P02") ?? failures[0];
      if (cause) throw cause.reason;
      await lent.control.executeQuery(commit);
      for (const [i, job] of jobs.entries()) job.resolve((settled[i] as PromiseFulfilledResult<unknown>).value);
      return true;
    } catch (error) {
      // A connection whose ROLLBACK failed may still be in the transaction: closed, never lent again.
      // Closed on every path (a BEGIN that failed, too): no work's statement may follow the ROLLBACK.
      lent.closeWorks();
      await lent.control.executeQuery(rollback).catch(() => {
        broken = true;
      });
      this.tell(error, jobs.length);
      return false;
    } finally {
      lent.giveBack(broken);
    }
  }

  private tell(error: unknown, works: number): void {
    try {
      this.onRolledBack(error, works);
    } catch {
      // Telling (a log, a metric) must never leave the batch's works unsettled.
    }
  }

  /**
   * Each work in a transaction of its own, all at once (the pool bounds how many run): one that fails
   * rejects alone, and one that waits for a row another process holds waits alone.
   */
  private async eachAlone(jobs: Job[]): Promise<void> {
    await Promise.all(
      jobs.map(async (job) => {
        try {
          job.resolve(await this.db.transaction().execute((trx) => job.work(trx)));
        } catch (error) {
          job.reject(error);
        }
      }),
    );
  }
}

function byKey(a: Job, b: Job): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
