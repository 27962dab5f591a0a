/**
 * The scheduler's claim through `claim_at` (migration 010) and its batched
 * runs, on SQLite and Postgres: crashed runs are reclaimed once their lease
 * ends, finished jobs are never claimed again, and a job that throws inside a
 * batch costs the others nothing.
 */
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { silentLogger } from "../../src/log.ts";
import { SqlScheduler } from "../../src/scheduler/scheduler.ts";
import { up as addClaimAt } from "../../src/storage/migrations/010-scheduler-claim.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";

describe.each(backends)("scheduler claim on %s", (backend) => {
  let app: TestApp;
  const leaseMs = 5 * 60_000;
  beforeEach(async () => {
    app = await createTestApp(backend);
  });
  afterEach(() => app.dispose());

  const at = (minutes: number) => new Date(app.clock.now().getTime() + minutes * 60_000);
  const jobRows = () =>
    app.store.db.selectFrom("jobs").select(["unique_key", "status", "claim_at", "attempts"]).orderBy("id").execute();
  const texts = async (address: string) =>
    (await app.store.takeOutboxFor(address as Address, at(60))).map((m) =>
      m.outbound.kind === "text" ? m.outbound.text : "",
    );

  it("reclaims a job whose run crashed once its lease has ended, and runs it once", async () => {
    const scheduler = new SqlScheduler(app.store, silentLogger, { leaseMs });
    const ran: number[] = [];
    scheduler.on("ping", async (_tx, job) => void ran.push(job.attempts));
    await app.store.transaction((tx) => scheduler.schedule(tx, { kind: "ping", dueAt: at(0), uniqueKey: "p" }));
    // A process claims the job and dies before running it.
    expect(await scheduler.claim(at(0))).toHaveLength(1);
    expect(await jobRows()).toMatchObject([{ status: "running", claim_at: at(5).toISOString() }]);
    expect(await scheduler.runDue(at(4))).toEqual({ ran: 0, failed: 0 });
    expect(await scheduler.runDue(at(5))).toEqual({ ran: 1, failed: 0 });
    expect(ran).toEqual([2]);
    expect(await jobRows()).toMatchObject([{ status: "done", claim_at: null }]);
  });

  it("never claims a done or failed job again", async () => {
    const scheduler = new SqlScheduler(app.store, silentLogger, { maxAttempts: 1 });
    scheduler.on("ok", async () => undefined);
    scheduler.on("broken", async () => {
      throw new Error("broken for good");
    });
    await app.store.transaction(async (tx) => {
      await scheduler.schedule(tx, { kind: "ok", dueAt: at(0), uniqueKey: "ok" });
      await scheduler.schedule(tx, { kind: "broken", dueAt: at(0), uniqueKey: "broken" });
    });
    expect(await scheduler.runDue(at(0))).toEqual({ ran: 1, failed: 1 });
    expect(await jobRows()).toMatchObject([
      { unique_key: "ok", status: "done", claim_at: null },
      { unique_key: "broken", status: "failed", claim_at: null },
    ]);
    // Long after every lease and back-off would have ended.
    expect(await scheduler.claim(at(60 * 24 * 30))).toEqual([]);
    expect(await scheduler.runDue(at(60 * 24 * 30))).toEqual({ ran: 0, failed: 0 });
  });

  it("a failing job in a batch does not roll back the others", async () => {
    const scheduler = new SqlScheduler(app.store, silentLogger, { jobsPerTransaction: 10, maxAttempts: 2 });
    scheduler.on("say", async (tx, job, now) => {
      const n = Number(job.payload.n);
      await tx.enqueue(`console:p${n}` as Address, [{ kind: "text", text: `hello ${n}` }], now);
      if (n === 3) throw new Error("job 3 is broken");
    });
    await app.store.transaction(async (tx) => {
      for (let n = 1; n <= 5; n += 1) {
        await scheduler.schedule(tx, { kind: "say", dueAt: at(0), uniqueKey: `say${n}`, payload: { n } });
      }
    });
    expect(await scheduler.runDue(at(0))).toEqual({ ran: 4, failed: 1 });
    // Each good job's message once: the batch's rolled-back writes are gone, the rerun's kept.
    for (const n of [1, 2, 4, 5]) expect(await texts(`console:p${n}`)).toEqual([`hello ${n}`]);
    expect(await texts("console:p3")).toEqual([]);
    const rows = await jobRows();
    expect(rows.map((r) => r.status)).toEqual(["done", "done", "pending", "done", "done"]);
    expect(rows[2]).toMatchObject({ claim_at: at(1).toISOString() });
    const broken = await app.store.db
      .selectFrom("jobs")
      .select("last_error")
      .where("unique_key", "=", "say3")
      .execute();
    expect(broken).toEqual([{ last_error: "job 3 is broken" }]);
    // Retried after its back-off, alone, and given up at the last attempt.
    expect(await scheduler.runDue(at(1))).toEqual({ ran: 0, failed: 1 });
    expect((await jobRows())[2]).toMatchObject({ status: "failed", claim_at: null });
    expect(Number((await jobRows())[2]?.attempts)).toBe(2);
  });

  it("runs more jobs than fit in one transaction or one claim, each once", async () => {
    const scheduler = new SqlScheduler(app.store, silentLogger, { batch: 4, jobsPerTransaction: 3 });
    const ran: string[] = [];
    scheduler.on("ping", async (_tx, job) => void ran.push(String(job.payload.n)));
    await app.store.transaction(async (tx) => {
      // Due in reverse order of scheduling: they run in the order they fell due.
      for (let n = 0; n < 10; n += 1) {
        await scheduler.schedule(tx, { kind: "ping", dueAt: at(-n), uniqueKey: `p${n}`, payload: { n } });
      }
    });
    expect(await scheduler.runDue(at(0))).toEqual({ ran: 10, failed: 0 });
    expect(ran).toEqual(["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"]);
    expect(new Set((await jobRows()).map((r) => r.status))).toEqual(new Set(["done"]));
  });

  it("gives jobs stored before migration 010 their claim time", async () => {
    const db = app.store.db as unknown as Kysely<unknown>;
    // Back to the schema before 010, with one job in each state.
    await db.schema.dropIndex("jobs_claim").execute();
    await db.schema.alterTable("jobs").dropColumn("claim_at").execute();
    await db.schema.createIndex("jobs_status_due").on("jobs").columns(["status", "due_at"]).execute();
    const stamp = at(0).toISOString();
    for (const [key, status, dueAt, lease] of [
      ["pending", "pending", at(1), null],
      ["running", "running", at(-10), at(-2)],
      ["done", "done", at(-20), null],
      ["failed", "failed", at(-30), null],
    ] as const) {
      await sql`insert into jobs (kind, address, due_at, payload, unique_key, status, attempts, lease_until, last_error, created_at, updated_at)
        values ('ping', null, ${dueAt.toISOString()}, '{}', ${key}, ${status}, 1, ${lease?.toISOString() ?? null}, null, ${stamp}, ${stamp})`.execute(
        db,
      );
    }
    await addClaimAt(db, backend);
    expect((await jobRows()).map((r) => [r.unique_key, r.claim_at])).toEqual([
      ["pending", at(1).toISOString()],
      ["running", at(-2).toISOString()],
      ["done", null],
      ["failed", null],
    ]);
    // The crashed run is reclaimed through the new column; the pending job when it falls due.
    const scheduler = new SqlScheduler(app.store, silentLogger);
    expect((await scheduler.claim(at(0))).map((j) => j.attempts)).toEqual([2]);
  });
});
