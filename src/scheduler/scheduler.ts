/**
 * Due jobs in the database: reminders, nudges, scheduled broadcasts. A tick
 * claims the jobs that are due (with a lease), then runs them a few dozen to a
 * transaction and marks them done in the same transaction as everything they
 * write. A process that dies mid-run leaves its claimed jobs to be claimed
 * again when the lease runs out; since a job's writes and its "done" commit
 * together, nothing runs twice and nothing is lost.
 *
 * The claim reads one index: `claim_at` is the due time while pending, the
 * lease's end while running and null once finished (migration 010), so due
 * jobs and crashed runs come out of one range scan already in order.
 */
import { sql } from "kysely";
import type { Address } from "../domain/address.ts";
import { hashAddress, type Logger } from "../log.ts";
import type { Store, StoreTx } from "../storage/store.ts";

/** What to schedule. */
export interface JobSpec {
  kind: string;
  address?: Address;
  dueAt: Date;
  payload?: Readonly<Record<string, unknown>>;
  /** A second job with the same key is ignored, so the same reminder is never scheduled twice. */
  uniqueKey: string;
}

/** A claimed job as its handler sees it. */
export interface Job {
  id: number;
  kind: string;
  address: Address | null;
  dueAt: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Runs one job inside its transaction; throwing rolls its writes back and retries it later. */
export type JobHandler = (tx: StoreTx, job: Job, now: Date) => Promise<void>;

/**
 * Runs one long job with transactions of its own (a broadcast queued page by page). It must be safe
 * to run again, since a crash after some of its commits runs it again; throwing retries it later.
 */
export type OwnTransactionsHandler = (store: Store, job: Job, now: Date) => Promise<void>;

/** The scheduler port: a database tick here, a BullMQ queue at scale. */
export interface Scheduler {
  /** Schedules a job in the caller's transaction; false when its unique key already exists. */
  schedule(tx: StoreTx, spec: JobSpec): Promise<boolean>;
  /** Deletes pending jobs by unique key prefix (all reminders of a meeting, say); their keys can be used again. */
  cancel(tx: StoreTx, uniqueKeyPrefix: string): Promise<number>;
  /** Claims and runs every job due at `now`. */
  runDue(now: Date): Promise<TickReport>;
}

/** What one tick did. */
export interface TickReport {
  ran: number;
  failed: number;
}

/** Tuning of the database scheduler. */
export interface SqlSchedulerOptions {
  /** Jobs claimed per round. */
  batch?: number;
  /**
   * Jobs run in one transaction. Fewer commits make a full minute of nudges fast; a batch that
   * throws is run again one job per transaction, so one bad job never holds back the others.
   */
  jobsPerTransaction?: number;
  /** How long a claim holds before another process may take the job. */
  leaseMs?: number;
  /** Attempts before a failing job is given up (status `failed`, with its last error). */
  maxAttempts?: number;
}

/**
 * The embedded scheduler over the `jobs` table (SQLite or Postgres).
 *
 * @example
 * const scheduler = new SqlScheduler(store, logger).on("nudge", sendNudge);
 * await scheduler.runDue(clock.now());
 */
export class SqlScheduler implements Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly ownTransactions = new Map<string, OwnTransactionsHandler>();
  private readonly batch: number;
  private readonly jobsPerTransaction: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    options: SqlSchedulerOptions = {},
  ) {
    this.batch = options.batch ?? 500;
    this.jobsPerTransaction = Math.max(1, options.jobsPerTransaction ?? 100);
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /** Registers the handler of one job kind. */
  on(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  /**
   * Registers the handler of a long job kind that commits as it goes, outside the batch
   * transaction; the job is marked done once it returns.
   *
   * @example
   * scheduler.onOwnTransactions("broadcast.send", (store, job, now) => queueBroadcast(store, id, pack, now));
   */
  onOwnTransactions(kind: string, handler: OwnTransactionsHandler): this {
    this.ownTransactions.set(kind, handler);
    return this;
  }

  async schedule(tx: StoreTx, spec: JobSpec): Promise<boolean> {
    const at = spec.dueAt.toISOString();
    const result = await tx.db
      .insertInto("jobs")
      .values({
        kind: spec.kind,
        address: spec.address ?? null,
        due_at: at,
        payload: JSON.stringify(spec.payload ?? {}),
        unique_key: spec.uniqueKey,
        status: "pending",
        attempts: 0,
        lease_until: null,
        last_error: null,
        claim_at: at,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column("unique_key").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async cancel(tx: StoreTx, uniqueKeyPrefix: string): Promise<number> {
    const result = await tx.db
      .deleteFrom("jobs")
      .where("status", "=", "pending")
      // A plain prefix comparison: LIKE would treat "_" and "%" in addresses as wildcards.
      .where(sql`substr(unique_key, 1, ${uniqueKeyPrefix.length})`, "=", uniqueKeyPrefix)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async runDue(now: Date): Promise<TickReport> {
    const report: TickReport = { ran: 0, failed: 0 };
    for (;;) {
      const jobs = await this.claim(now);
      const batched = jobs.filter((job) => !this.ownTransactions.has(job.kind));
      for (let i = 0; i < batched.length; i += this.jobsPerTransaction) {
        await this.runBatch(batched.slice(i, i + this.jobsPerTransaction), now, report);
      }
      for (const job of jobs.filter((j) => this.ownTransactions.has(j.kind))) {
        if (await this.runOwn(job, now)) report.ran += 1;
        else report.failed += 1;
      }
      if (jobs.length < this.batch) return report;
    }
  }

  /**
   * Claims due jobs (and jobs whose run crashed and whose lease ran out) for
   * this process, in one statement: the oldest `batch` rows of the `claim_at`
   * index are leased and returned. On Postgres, rows another process is
   * claiming at the same moment are skipped, not waited for.
   */
  async claim(now: Date): Promise<Job[]> {
    const at = now.toISOString();
    const leaseUntil = new Date(now.getTime() + this.leaseMs).toISOString();
    const rows = await this.store.db
      .updateTable("jobs")
      .set({
        status: "running",
        lease_until: leaseUntil,
        claim_at: leaseUntil,
        attempts: sql`attempts + 1`,
        updated_at: at,
      })
      .where("id", "in", (eb) => {
        const claimable = eb
          .selectFrom("jobs")
          .select("id")
          .where("claim_at", "<=", at)
          .orderBy("claim_at")
          .limit(this.batch);
        return this.store.dialect === "postgres" ? claimable.forUpdate().skipLocked() : claimable;
      })
      .returningAll()
      .execute();
    // RETURNING keeps no order: run them in the order they fell due.
    rows.sort((a, b) => (a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : Number(a.id) - Number(b.id)));
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      address: r.address as Address | null,
      dueAt: new Date(r.due_at),
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      attempts: Number(r.attempts),
    }));
  }

  /**
   * Runs claimed jobs in one transaction and marks them done in it. If any of
   * them throws, nothing of the batch is kept and each job runs again alone,
   * so the others commit and only the failing one is retried or given up.
   */
  private async runBatch(jobs: Job[], now: Date, report: TickReport): Promise<void> {
    if (jobs.length > 1) {
      try {
        await this.store.transaction(async (tx) => {
          for (const job of jobs) await this.handlers.get(job.kind)?.(tx, job, now);
          await this.markDone(
            tx,
            jobs.map((j) => j.id),
            now,
          );
        });
        for (const job of jobs) this.warnIfUnhandled(job);
        report.ran += jobs.length;
        return;
      } catch {
        // Which job failed is found by running them one at a time; its error is kept there.
      }
    }
    for (const job of jobs) {
      if (await this.run(job, now)) report.ran += 1;
      else report.failed += 1;
    }
  }

  /** Runs one claimed job and marks it done in the same transaction; on failure retries later or gives up. */
  private async run(job: Job, now: Date): Promise<boolean> {
    try {
      await this.store.transaction(async (tx) => {
        await this.handlers.get(job.kind)?.(tx, job, now);
        await this.markDone(tx, [job.id], now);
      });
      this.warnIfUnhandled(job);
      return true;
    } catch (error) {
      await this.giveUpOrRetry(job, now, error);
      return false;
    }
  }

  private async runOwn(job: Job, now: Date): Promise<boolean> {
    try {
      await this.ownTransactions.get(job.kind)?.(this.store, job, now);
      await this.store.transaction((tx) => this.markDone(tx, [job.id], now));
      return true;
    } catch (error) {
      await this.giveUpOrRetry(job, now, error);
      return false;
    }
  }

  private async markDone(tx: StoreTx, ids: number[], now: Date): Promise<void> {
    await tx.db
      .updateTable("jobs")
      .set({ status: "done", lease_until: null, claim_at: null, updated_at: now.toISOString() })
      .where("id", "in", ids)
      .execute();
  }

  private warnIfUnhandled(job: Job): void {
    if (!this.handlers.has(job.kind) && !this.ownTransactions.has(job.kind))
      this.logger.warn("scheduler.no_handler", { kind: job.kind });
  }

  private async giveUpOrRetry(job: Job, now: Date, error: unknown): Promise<void> {
    const last = error instanceof Error ? error.message.slice(0, 500) : String(error);
    const giveUp = job.attempts >= this.maxAttempts;
    this.logger.warn(giveUp ? "scheduler.gave_up" : "scheduler.retry", {
      kind: job.kind,
      who: job.address ? hashAddress(job.address) : undefined,
      attempts: job.attempts,
      error,
    });
    // Back off: 1, 2, 4, 8 ... minutes.
    const retryAt = new Date(now.getTime() + 60_000 * 2 ** (job.attempts - 1));
    await this.store.db
      .updateTable("jobs")
      .set({
        status: giveUp ? "failed" : "pending",
        due_at: giveUp ? undefined : retryAt.toISOString(),
        lease_until: null,
        claim_at: giveUp ? null : retryAt.toISOString(),
        last_error: last,
        updated_at: now.toISOString(),
      })
      .where("id", "=", job.id)
      .execute();
  }
}
