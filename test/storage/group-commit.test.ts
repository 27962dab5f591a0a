/**
 * Group commit on SQLite (src/storage/group-commit.ts): transactions that wait at the same time share
 * one COMMIT, and each caller still sees its own transaction: all of its work or none of it, and a
 * promise that settles only once the work is durable.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.ts";
import { Store } from "../../src/storage/store.ts";

let dir: string;
let path: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "lotse-group-commit-"));
  path = join(dir, "lotse.db");
  store = new Store(await openDatabase({ sqlitePath: path }));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The inbound ids another connection to the file sees: what was committed. */
function committedIds(): string[] {
  const other = new SQLite(path, { readonly: true });
  try {
    return (other.prepare("select id from inbound_seen order by id").all() as { id: string }[]).map((r) => r.id);
  } finally {
    other.close();
  }
}

const now = new Date("2026-11-30T10:00:00Z");

describe("group commit", () => {
  it("keeps every transaction of a crowd, and each one's result goes to its own caller", async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `m${String(i).padStart(3, "0")}`);
    const results = await Promise.all(
      ids.map((id) => store.transaction(async (tx) => [id, await tx.recordInbound(id, now)])),
    );
    expect(results).toEqual(ids.map((id) => [id, true]));
    expect(committedIds()).toEqual(ids);
  });

  it("rolls back a failing transaction alone: the others in its batch are kept", async () => {
    const results = await Promise.allSettled([
      store.transaction((tx) => tx.recordInbound("a", now)),
      store.transaction(async (tx) => {
        await tx.recordInbound("b", now);
        throw new Error("a flow's bug");
      }),
      store.transaction((tx) => tx.recordInbound("c", now)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error("a flow's bug"));
    expect(committedIds()).toEqual(["a", "c"]);
  });

  it("runs database-only works without savepoints; when one fails, the batch runs again, each in its savepoint", async () => {
    const runs = new Map<string, number>();
    const work =
      (id: string, fail = false) =>
      async (tx: Parameters<Parameters<Store["transaction"]>[0]>[0]) => {
        runs.set(id, (runs.get(id) ?? 0) + 1);
        await tx.recordInbound(id, now);
        if (fail) throw new Error(`turn ${id} failed`);
        return id;
      };
    const results = await Promise.allSettled([
      store.transaction(work("a"), { databaseOnly: true }),
      store.transaction(work("b", true), { databaseOnly: true }),
      store.transaction(work("c"), { databaseOnly: true }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain("turn b failed");
    expect(committedIds()).toEqual(["a", "c"]);
    // "a" ran with "b" (rolled back) and again; "b" failed twice; "c" ran once, after.
    expect([runs.get("a"), runs.get("b"), runs.get("c")]).toEqual([2, 2, 1]);
    // And without a failure, a crowd of them is kept whole.
    const ids = Array.from({ length: 150 }, (_, i) => `d${String(i).padStart(3, "0")}`);
    await Promise.all(ids.map((id) => store.transaction(work(id), { databaseOnly: true })));
    expect(committedIds()).toEqual(["a", "c", ...ids]);
  });

  it("settles a transaction only after its COMMIT: when the COMMIT fails, every transaction of the batch fails and nothing is kept", async () => {
    // A deferred foreign key is checked at COMMIT: the only way to make SQLite refuse a COMMIT here.
    await sql`create table parent (id integer primary key)`.execute(store.db);
    await sql`create table child (parent_id integer references parent (id) deferrable initially deferred)`.execute(
      store.db,
    );
    const results = await Promise.allSettled([
      store.transaction((tx) => tx.recordInbound("a", now)),
      store.transaction(async (tx) => {
        await sql`insert into child (parent_id) values (42)`.execute(tx.db);
        return "saved";
      }),
      store.transaction((tx) => tx.recordInbound("c", now)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(committedIds()).toEqual([]);
    // The store goes on afterwards.
    await store.transaction((tx) => tx.recordInbound("d", now));
    expect(committedIds()).toEqual(["d"]);
  });

  it("regression: a transaction after the database was closed hung for ever (and its error went unhandled); now it fails", async () => {
    await store.close();
    await expect(store.transaction((tx) => tx.recordInbound("late", now))).rejects.toThrow(/destroyed/);
    await expect(store.transaction((tx) => tx.recordInbound("later", now))).rejects.toThrow(/destroyed/);
    store = new Store(await openDatabase({ sqlitePath: path }));
  });

  it("tells the enqueue listeners only after the COMMIT", async () => {
    const seen: string[][] = [];
    store.onEnqueued(() => seen.push(committedOutbox()));
    await Promise.all(
      ["telegram:1", "telegram:2"].map((address) =>
        store.transaction((tx) => tx.enqueue(address as `telegram:${string}`, [{ kind: "text", text: "hi" }], now)),
      ),
    );
    expect(seen.length).toBe(2);
    for (const rows of seen) expect(rows).toEqual(["telegram:1", "telegram:2"]);
  });
});

function committedOutbox(): string[] {
  const other = new SQLite(path, { readonly: true });
  try {
    return (other.prepare("select address from outbox order by id").all() as { address: string }[]).map(
      (r) => r.address,
    );
  } finally {
    other.close();
  }
}
