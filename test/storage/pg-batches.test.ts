/**
 * Shared transactions on Postgres (src/storage/pg-batches.ts): database-only works that wait at the
 * same time share one transaction; when one of them fails, the batch is rolled back and each work runs
 * again alone, so every caller still sees its own transaction: all of its work or none of it.
 */
import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { LotseError } from "../../src/domain/errors.ts";
import type { StoreTx } from "../../src/storage/store.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

const now = new Date("2026-11-30T10:00:00Z");

describe.skipIf(!process.env.DATABASE_URL)("shared transactions on Postgres (needs DATABASE_URL)", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp("postgres");
  });
  afterEach(async () => {
    await app.dispose();
  });

  /** The ids committed, as another connection sees them. */
  async function committedIds(): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`select id from inbound_seen order by id`.execute(app.store.db);
    return rows.map((r) => r.id);
  }

  /** A work that records an id and tells which transaction it ran in. */
  const record = (id: string) => async (tx: StoreTx) => {
    await tx.recordInbound(id, now);
    const { rows } = await sql<{ xid: string }>`select txid_current()::text as xid`.execute(tx.db);
    return rows[0]?.xid;
  };

  /**
   * Another process holding these people's rows (a long turn there), on its own connection: the
   * function returned commits, letting them go, and closes the connection.
   */
  async function holdRows(
    addresses: readonly Address[],
  ): Promise<{ release: () => Promise<void>; end: () => Promise<void> }> {
    for (const address of addresses) await app.store.transaction((tx) => tx.lockUser(address, "UTC", now));
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(app.store.db)).rows[0];
    await other.query(`set search_path = ${schema?.schema}`);
    await other.query("begin");
    await other.query("select * from users where address = any($1) for update", [addresses]);
    return { release: async () => void (await other.query("commit")), end: () => other.end() };
  }

  /** A message's turn for this person, as the engine runs it: database-only, ordered by their address. */
  const turnOf = (address: string) =>
    app.store.transaction((tx) => tx.lockUser(address as Address, "UTC", now), {
      databaseOnly: true,
      lockKey: address,
    });

  /** "answered" when all settle within 3 seconds, else "still waiting". */
  const within3s = (works: (Promise<unknown> | undefined)[]) =>
    Promise.race([
      Promise.all(works).then(() => "answered"),
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 3000)),
    ]);

  it("runs database-only works that wait at the same time in one transaction, each settled after its COMMIT", async () => {
    const works = ["m1", "m2", "m3", "m4", "m5"].map((id) => app.store.transaction(record(id), { databaseOnly: true }));
    const xids = await Promise.all(works);
    // Two lanes: the first two works start one each, the other three wait and share the next transaction.
    expect(new Set(xids).size).toBeLessThan(xids.length);
    expect(await committedIds()).toEqual(["m1", "m2", "m3", "m4", "m5"]);
  });

  it("keeps the others' work when one work of a batch fails, and rejects that one alone with its own error", async () => {
    const runs = new Map<string, number>();
    const counted =
      (id: string, fail = false) =>
      async (tx: StoreTx) => {
        runs.set(id, (runs.get(id) ?? 0) + 1);
        await tx.recordInbound(id, now);
        if (fail) throw new LotseError("flow.unknown", `work ${id} failed`);
        return id;
      };
    // The first two take the two lanes alone; the other three wait and form one batch, whose second fails.
    const first = app.store.transaction(counted("a"), { databaseOnly: true });
    const batch = [
      app.store.transaction(counted("b"), { databaseOnly: true }),
      app.store.transaction(counted("c"), { databaseOnly: true }),
      app.store.transaction(counted("d", true), { databaseOnly: true }),
      app.store.transaction(counted("e"), { databaseOnly: true }),
    ];
    const settled = await Promise.allSettled([first, ...batch]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const failed = settled[3] as PromiseRejectedResult;
    expect(String(failed.reason)).toContain("work d failed");
    // Nothing of the failed work is kept, everything of the others is, exactly once.
    expect(await committedIds()).toEqual(["a", "b", "c", "e"]);
    // The batch's works all ran twice: together (at the same time), then each alone.
    expect([runs.get("c"), runs.get("d"), runs.get("e")]).toEqual([2, 2, 2]);
  });

  it("runs the works of a shared transaction at the same time, their statements sharing round trips", async () => {
    const steps: string[] = [];
    const work = (id: string) => async (tx: StoreTx) => {
      steps.push(`${id} starts`);
      await tx.recordInbound(id, now);
      steps.push(`${id} ends`);
    };
    // The first two take the two lanes alone; the other two share a transaction.
    await Promise.all(
      ["lane1", "lane2", "b", "c"].map((id) => app.store.transaction(work(id), { databaseOnly: true })),
    );
    // One after the other, b would have ended before c started.
    expect(steps.filter((step) => /^[bc] /.test(step))).toEqual(["b starts", "c starts", "b ends", "c ends"]);
    expect(await committedIds()).toEqual(["b", "c", "lane1", "lane2"]);
  });

  it("runs the works alone again when the database refused one of them (the transaction was aborted)", async () => {
    await app.store.transaction((tx) => tx.recordInbound("taken", now));
    const clash = async (tx: StoreTx) => {
      // A plain insert of an id already stored: Postgres refuses it and aborts the whole transaction.
      await tx.db.insertInto("inbound_seen").values({ id: "taken", seen_at: now.toISOString() }).execute();
    };
    const first = app.store.transaction(record("p"), { databaseOnly: true });
    const batch = [
      app.store.transaction(record("q"), { databaseOnly: true }),
      app.store.transaction(clash, { databaseOnly: true }),
      app.store.transaction(record("r"), { databaseOnly: true }),
    ];
    const settled = await Promise.allSettled([first, ...batch]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(await committedIds()).toEqual(["p", "q", "r", "taken"]);
  });

  it("runs the works of a shared transaction in the order of their lock keys (both processes lock people in one order)", async () => {
    const order: string[] = [];
    const work = (id: string) => async (tx: StoreTx) => {
      order.push(id);
      await tx.recordInbound(id, now);
    };
    const options = (key: string) => ({ databaseOnly: true, lockKey: key });
    // The first two take the two lanes alone; the other three share a transaction, in key order.
    await Promise.all(
      ["lane1", "lane2", "telegram:3", "telegram:1", "telegram:2"].map((key) =>
        app.store.transaction(work(key), options(key)),
      ),
    );
    expect(order.filter((id) => id.startsWith("telegram:"))).toEqual(["telegram:1", "telegram:2", "telegram:3"]);
  });

  it("regression: one person whose row another process held no longer kept everyone in the batch waiting", async () => {
    const stuck = "telegram:stuck" as Address;
    const other = await holdRows([stuck]);
    try {
      const started = ["telegram:a", "telegram:b", stuck, "telegram:c", "telegram:d"].map(turnOf);
      const others = [started[0], started[1], started[3], started[4]];
      // The others are answered while the row is still held (before: all waited until it was released).
      expect(await within3s(others)).toBe("answered");
      // The operator can see it happened: counted (and logged as storage.shared_rollback).
      const rolledBack = await app.metrics.databaseErrors.get();
      expect(rolledBack.values.find((v) => v.labels.kind === "shared_rollback")?.value).toBe(1);
      // ... and not as the database being unavailable: it was a wait that gave up, nothing was refused.
      expect(rolledBack.values.find((v) => v.labels.kind === "unavailable")?.value).toBe(0);
      // The person's own turn, run again alone, waits as long as the row is held (no batch's time limit).
      await new Promise((resolve) => setTimeout(resolve, 600));
      await other.release();
      await expect(started[2]).resolves.toMatchObject({ address: stuck });
    } finally {
      await other.end();
    }
  });

  it("regression: two people whose rows another process held, each writing alone, no longer stopped both lanes", async () => {
    const held = ["telegram:held1", "telegram:held2"] as Address[];
    const other = await holdRows(held);
    try {
      // Each takes a lane alone (before: with no lock timeout, each held its lane until the rows were free).
      const stuck = held.map(turnOf);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const others = ["telegram:e", "telegram:f", "telegram:g"].map(turnOf);
      expect(await within3s(others)).toBe("answered");
      await other.release();
      await expect(Promise.all(stuck)).resolves.toHaveLength(2);
    } finally {
      await other.end();
    }
  });

  it("regression: a batch whose last work swallowed a database error was reported committed though Postgres rolled it back", async () => {
    const swallow = async (tx: StoreTx) => {
      await tx.recordInbound("s", now);
      // A plain insert of an id already stored, its error caught: the transaction is aborted all the same.
      await tx.db
        .insertInto("inbound_seen")
        .values({ id: "s", seen_at: now.toISOString() })
        .execute()
        .catch(() => undefined);
    };
    const started = [
      app.store.transaction(record("lane1"), { databaseOnly: true }),
      app.store.transaction(record("lane2"), { databaseOnly: true }),
      app.store.transaction(record("b1"), { databaseOnly: true }),
      app.store.transaction(record("b2"), { databaseOnly: true }),
      app.store.transaction(swallow, { databaseOnly: true }),
    ];
    await Promise.allSettled(started);
    // The others' works are stored (they ran again alone after the batch was rolled back); the one that
    // swallowed its error lost its own transaction, as it did before transactions were shared.
    expect(await committedIds()).toEqual(["b1", "b2", "lane1", "lane2"]);
  });

  it("regression: Postgres dropping the connection under a running turn ended the process (unhandled error event)", async () => {
    let backend: (pid: number) => void = () => undefined;
    const pid = new Promise<number>((resolve) => {
      backend = resolve;
    });
    const turn = app.store.transaction(
      async (tx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx.db);
        backend(Number(rows[0]?.pid));
        await sql`select pg_sleep(0.5)`.execute(tx.db);
        return "answered";
      },
      { databaseOnly: true },
    );
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query("select pg_terminate_backend($1)", [await pid]);
    } finally {
      await admin.end();
    }
    // The shared transaction failed with its connection; the turn, run again alone, is answered.
    await expect(turn).resolves.toBe("answered");
  });

  it("runs works not marked database-only in transactions of their own, as before", async () => {
    const xids = await Promise.all(["x1", "x2", "x3"].map((id) => app.store.transaction(record(id))));
    expect(new Set(xids).size).toBe(3);
  });
});
