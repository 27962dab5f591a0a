/**
 * The database scheduler on SQLite and Postgres: unique keys, cancelling by
 * prefix, a failing job rolled back and retried with back-off, and giving up.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { silentLogger } from "../../src/log.ts";
import { SqlScheduler } from "../../src/scheduler/scheduler.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";

describe.each(backends)("scheduler on %s", (backend) => {
  let app: TestApp;
  let scheduler: SqlScheduler;
  const ran: string[] = [];
  beforeEach(async () => {
    app = await createTestApp(backend);
    scheduler = new SqlScheduler(app.store, silentLogger, { maxAttempts: 3 });
    ran.length = 0;
  });
  afterEach(() => app.dispose());

  const at = (minutes: number) => new Date(app.clock.now().getTime() + minutes * 60_000);

  it("never schedules the same unique key twice, and runs a job once", async () => {
    scheduler.on("ping", async (_tx, job) => void ran.push(String(job.payload.n)));
    const first = await app.store.transaction((tx) =>
      scheduler.schedule(tx, { kind: "ping", dueAt: at(0), uniqueKey: "k1", payload: { n: 1 } }),
    );
    const again = await app.store.transaction((tx) =>
      scheduler.schedule(tx, { kind: "ping", dueAt: at(5), uniqueKey: "k1", payload: { n: 2 } }),
    );
    expect([first, again]).toEqual([true, false]);
    await scheduler.runDue(at(1));
    await scheduler.runDue(at(10));
    expect(ran).toEqual(["1"]);
  });

  it("does not run a job before it is due", async () => {
    scheduler.on("ping", async () => void ran.push("x"));
    await app.store.transaction((tx) => scheduler.schedule(tx, { kind: "ping", dueAt: at(30), uniqueKey: "later" }));
    await scheduler.runDue(at(29));
    expect(ran).toEqual([]);
    await scheduler.runDue(at(30));
    expect(ran).toEqual(["x"]);
  });

  it("cancels by exact prefix, even when addresses contain _ or %", async () => {
    await app.store.transaction(async (tx) => {
      await scheduler.schedule(tx, { kind: "ping", dueAt: at(1), uniqueKey: "nudge:console:a_b:1" });
      await scheduler.schedule(tx, { kind: "ping", dueAt: at(1), uniqueKey: "nudge:console:aXb:1" });
    });
    expect(await app.store.transaction((tx) => scheduler.cancel(tx, "nudge:console:a_b:"))).toBe(1);
    const left = await app.store.db.selectFrom("jobs").select("unique_key").execute();
    expect(left.map((r) => r.unique_key)).toEqual(["nudge:console:aXb:1"]);
  });

  it("rolls back a failing job's writes and retries it with back-off until it works", async () => {
    let attempts = 0;
    scheduler.on("flaky", async (tx, job, now) => {
      attempts += 1;
      await tx.enqueue("console:x" as Address, [{ kind: "text", text: `attempt ${attempts}` }], now);
      if (attempts < 3) throw new Error(`fail ${attempts}`);
      void job;
    });
    await app.store.transaction((tx) => scheduler.schedule(tx, { kind: "flaky", dueAt: at(0), uniqueKey: "f" }));
    expect(await scheduler.runDue(at(0))).toEqual({ ran: 0, failed: 1 });
    expect(await scheduler.runDue(at(0.5))).toEqual({ ran: 0, failed: 0 }); // backing off one minute
    await scheduler.runDue(at(1));
    await scheduler.runDue(at(4));
    const messages = await app.store.takeOutboxFor("console:x" as Address, at(5));
    expect(messages.map((m) => (m.outbound.kind === "text" ? m.outbound.text : ""))).toEqual(["attempt 3"]);
  });

  it("gives up after the last attempt and keeps the error", async () => {
    scheduler.on("broken", async () => {
      throw new Error("content missing");
    });
    await app.store.transaction((tx) => scheduler.schedule(tx, { kind: "broken", dueAt: at(0), uniqueKey: "b" }));
    for (const minute of [0, 1, 3, 10]) await scheduler.runDue(at(minute));
    const job = await app.store.db.selectFrom("jobs").select(["status", "last_error", "attempts"]).executeTakeFirst();
    expect(job).toMatchObject({ status: "failed", last_error: "content missing" });
    expect(Number(job?.attempts)).toBe(3);
  });
});
