/**
 * How a work of a shared transaction is known (src/storage/shared-work.ts): by the database handle it
 * was given, with no AsyncLocalStorage. No database is needed: only the handles' identity matters.
 */
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
import { describe, expect, it } from "vitest";
import type { Database } from "../../src/storage/schema.ts";
import { asSharedWork, SharedBatch, takeTurnsOn } from "../../src/storage/shared-work.ts";

/** A Kysely that never reaches a database. */
function offlineDb(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("taking turns on a row by the work's own handle", () => {
  it("makes the second work of a batch wait on a row until the first has ended", async () => {
    const batch = new SharedBatch();
    const db = offlineDb();
    const order: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstMayEnd = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const first = asSharedWork(batch, db, async (own) => {
      await takeTurnsOn(own, "classes:K7F2Q");
      order.push("first took the row");
      await firstMayEnd;
      order.push("first ended");
    });
    const second = asSharedWork(batch, db, async (own) => {
      await tick();
      await takeTurnsOn(own, "classes:K7F2Q");
      order.push("second took the row");
    });
    await tick();
    await tick();
    expect(order).toEqual(["first took the row"]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["first took the row", "first ended", "second took the row"]);
  });

  it("gives each work a handle of its own, and does nothing for a handle no work was given", async () => {
    const batch = new SharedBatch();
    const db = offlineDb();
    const handles: Kysely<Database>[] = [];
    await Promise.all([0, 1].map(() => asSharedWork(batch, db, async (own) => handles.push(own))));
    expect(handles[0]).not.toBe(handles[1]);
    expect(handles).not.toContain(db);
    // Outside a shared transaction (SQLite, a transaction of its own) the row lock does the job.
    await takeTurnsOn(db, "classes:K7F2Q");
    expect(batch.holders.size).toBe(0);
  });
});
