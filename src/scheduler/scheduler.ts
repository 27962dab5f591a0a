/**
 * Due jobs in the database: reminders, nudges, scheduled broadcasts. A tick
 * claims the jobs that are due (with a lease), then runs each one and marks it
 * done in the same transaction as everything the job writes. A process that
 * dies mid-run leaves its claimed jobs to be claimed again when the lease runs
 * out; since a job's writes and its "done" commit together, nothing runs twice
 * and nothing is lost.
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
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    options: SqlSchedulerOptions = {},
  ) {
    this.batch = options.batch ?? 200;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /** Registers the handler of one job kind. */
  on(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
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
      for (const job of jobs) {
        if (await this.run(job, now)) report.ran += 1;
        else report.failed += 1;
      }
      if (jobs.length < this.batch) return report;
    }
  }

  /** Claims due jobs (and jobs whose run crashed and whose lease ran out) for this process. */
  async claim(now: Date): Promise<Job[]> {
    const at = now.toISOString();
    return this.store.transaction(async (tx) => {
      let query = tx.db
        .selectFrom("jobs")
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb("status", "=", "pending"), eb("due_at", "<=", at)]),
            eb.and([eb("status", "=", "running"), eb("lease_until", "<", at)]),
          ]),
        )
        .orderBy("due_at")
        .limit(this.batch);
      if (tx.dialect === "postgres") query = query.forUpdate().skipLocked();
      const rows = await query.execute();
      if (rows.length === 0) return [];
      await tx.db
        .updateTable("jobs")
        .set({
          status: "running",
          lease_until: new Date(now.getTime() + this.leaseMs).toISOString(),
          attempts: sql`attempts + 1`,
          updated_at: at,
        })
        .where(
          "id",
          "in",
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        kind: r.kind,
        address: r.address as Address | null,
        dueAt: new Date(r.due_at),
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        attempts: Number(r.attempts) + 1,
      }));
    });
  }

  /** Runs one claimed job and marks it done in the same transaction; on failure retries later or gives up. */
  private async run(job: Job, now: Date): Promise<boolean> {
    const handler = this.handlers.get(job.kind);
    try {
      await this.store.transaction(async (tx) => {
        if (handler) await handler(tx, job, now);
        await tx.db
          .updateTable("jobs")
          .set({ status: "done", lease_until: null, updated_at: now.toISOString() })
          .where("id", "=", job.id)
          .execute();
      });
      if (!handler) this.logger.warn("scheduler.no_handler", { kind: job.kind });
      return true;
    } catch (error) {
      await this.giveUpOrRetry(job, now, error);
      return false;
    }
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
        last_error: last,
        updated_at: now.toISOString(),
      })
      .where("id", "=", job.id)
      .execute();
  }
}
