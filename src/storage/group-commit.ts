/**
 * Group commit on SQLite: several people's transactions share one database transaction, each in a
 * savepoint of its own, and all of them are committed together.
 *
 * SQLite has one writer and Kysely gives it one connection, so transactions already run one after
 * another; what each of them paid on its own was the BEGIN and, above all, the COMMIT (writing the
 * changed pages to the WAL). With many people writing at once, the work that waits for the connection
 * joins the transaction that is open, up to `maxBatch` of them, and the batch commits when no more
 * work waits.
 *
 * What each caller sees is unchanged: its promise settles only after the COMMIT that made its work
 * durable (a webhook is acknowledged only then), a work that fails is rolled back to its savepoint and
 * rejects alone, and the others in the batch go on. Works that touch nothing but the database (a
 * message's turn) run without a savepoint while only such works are in the batch (a savepoint and its
 * release were two statements and a copy of each page first changed, 2% of a message's CPU): when one
 * of them fails, the whole transaction is rolled back and each of them runs again, in a savepoint. When SQLite itself rolled the whole transaction
 * back (a full disk, an I/O error) or the COMMIT fails, nothing of the batch was kept and every work
 * in it rejects with that error.
 */
import type SQLite from "better-sqlite3";
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** One caller's transaction, waiting for its turn. */
interface Job {
  work: (db: Kysely<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** It touches nothing but the database: it may run again after a rollback (see {@link GroupCommit}). */
  databaseOnly: boolean;
  /** It runs in a savepoint of its own: a batch it shared without one was rolled back. */
  careful: boolean;
}

/** A work that ran in the open transaction, waiting for the COMMIT. */
interface Done {
  job: Job;
  value: unknown;
}

/** The transaction is gone (SQLite rolled it back): the error that took it. */
class Lost {
  constructor(readonly error: unknown) {}
}

/**
 * Works in one transaction at most: bounds the wait of the first for the COMMIT (a work of a message
 * takes 0.1 to 0.3 ms, so the first waits at most some 20 ms). The COMMIT writes each page the batch
 * changed once, however many works changed it (the outbox's and the seen ids' last pages, their
 * indexes): with 100 people writing at once, batches of up to 100 instead of 32 gave 2,630 -> 2,800
 * messages per CPU-second on the quiz workload (medians of 4 alternating runs).
 */
const defaultMaxBatch = 100;

/**
 * Runs transactions on a SQLite database, committing those that wait at the same time together.
 *
 * @example
 * const commits = new GroupCommit(db, sqlite);
 * await commits.run(async (trx) => trx.insertInto("inbound_seen").values(row).execute());
 */
export class GroupCommit {
  private readonly waiting: Job[] = [];
  private draining = false;
  private readonly begin: SQLite.Statement;
  private readonly commit: SQLite.Statement;
  private readonly rollback: SQLite.Statement;
  private readonly savepoint: SQLite.Statement;
  private readonly release: SQLite.Statement;
  private readonly rollbackToSavepoint: SQLite.Statement;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: SQLite.Database,
    private readonly maxBatch = defaultMaxBatch,
  ) {
    this.begin = sqlite.prepare("begin");
    this.commit = sqlite.prepare("commit");
    this.rollback = sqlite.prepare("rollback");
    this.savepoint = sqlite.prepare("savepoint lotse_work");
    this.release = sqlite.prepare("release lotse_work");
    this.rollbackToSavepoint = sqlite.prepare("rollback to lotse_work");
  }

  /**
   * Runs `work` in a transaction (shared with others); resolves after the COMMIT that kept it. A work
   * marked `databaseOnly` may run twice (the first time rolled back).
   */
  run<T>(work: (db: Kysely<Database>) => Promise<T>, databaseOnly = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job = { work, resolve: resolve as (value: unknown) => void, reject, databaseOnly, careful: false };
      this.waiting.push(job);
      if (!this.draining) void this.drain().catch((error: unknown) => this.failWaiting(error));
    });
  }

  /** The connection could not be had (the database was closed): every waiting transaction fails with why. */
  private failWaiting(error: unknown): void {
    for (const job of this.waiting.splice(0)) job.reject(error);
  }

  /** Takes batches until nothing waits. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        // The connection, held for the whole batch: Kysely's own queries outside it (reads, other
        // transactions) wait as they waited for any transaction before.
        await this.db.connection().execute((connection) => this.batch(connection));
      }
    } finally {
      this.draining = false;
    }
  }

  /** One transaction: works run one after another, each in its savepoint; then the COMMIT. */
  private async batch(connection: Kysely<Database>): Promise<void> {
    const done: Done[] = [];
    try {
      this.begin.run();
    } catch (error) {
      for (const job of this.waiting.splice(0)) job.reject(error);
      return;
    }
    // While every work of the batch may run again, a database-only one runs without a savepoint.
    let rerunnable = true;
    while (done.length < this.maxBatch) {
      const job = this.waiting.shift();
      if (job === undefined) break;
      if (rerunnable && job.databaseOnly && !job.careful) {
        try {
          done.push({ job, value: await job.work(connection) });
        } catch {
          // Its changes cannot be undone alone: the whole batch is, and each of its works runs again
          // in a savepoint (the failing one then rejects alone, with its own error).
          if (this.sqlite.inTransaction) this.safely(this.rollback);
          const again = [...done.map((d) => d.job), job];
          for (const each of again) each.careful = true;
          this.waiting.unshift(...again);
          return;
        }
        if (!this.sqlite.inTransaction) {
          // SQLite rolled the transaction back under a work that did not fail (it caught its error).
          const again = done.map((d) => d.job);
          for (const each of again) each.careful = true;
          this.waiting.unshift(...again);
          return;
        }
        continue;
      }
      if (!job.databaseOnly) rerunnable = false;
      const kept = await this.runOne(job, connection);
      if (kept instanceof Lost) {
        // SQLite rolled back the whole transaction: nothing of the batch was kept.
        for (const earlier of done) earlier.job.reject(kept.error);
        return;
      }
      if (kept !== undefined) done.push(kept);
      if (!this.sqlite.inTransaction) break;
    }
    try {
      this.commit.run();
    } catch (error) {
      if (this.sqlite.inTransaction) this.safely(this.rollback);
      for (const { job } of done) job.reject(error);
      return;
    }
    for (const { job, value } of done) job.resolve(value);
  }

  /**
   * One work in its savepoint: what it returned (to resolve after the COMMIT), undefined when it failed
   * alone (rolled back to its savepoint, rejected), or {@link Lost} when its failure took the transaction.
   */
  private async runOne(job: Job, connection: Kysely<Database>): Promise<Done | undefined | Lost> {
    try {
      this.savepoint.run();
    } catch (error) {
      job.reject(error);
      return new Lost(error);
    }
    try {
      const value = await job.work(connection);
      this.release.run();
      return { job, value };
    } catch (error) {
      if (this.sqlite.inTransaction) {
        this.safely(this.rollbackToSavepoint);
        this.safely(this.release);
        job.reject(error);
        return undefined;
      }
      job.reject(error);
      return new Lost(error);
    }
  }

  private safely(statement: SQLite.Statement): void {
    try {
      statement.run();
    } catch {
      // Only after a failure already being reported; its own error would hide that one.
    }
  }
}
