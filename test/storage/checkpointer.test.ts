/**
 * SQLite's checkpoints run in a worker thread (src/storage/checkpointer.ts): the connection that commits
 * no longer copies the log into the database file inside its COMMIT, and the log still gets copied.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Checkpointer, fallbackCheckpointPages, startCheckpointer } from "../../src/storage/checkpointer.ts";
import { openDatabase } from "../../src/storage/database.ts";

/** Waits until `check` is true, at most `ms`; returns whether it became true. */
async function eventually(check: () => boolean, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe("background checkpoints", () => {
  let dir: string;
  let sqlite: SQLite.Database | undefined;
  let checkpointer: Checkpointer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lotse-checkpoint-"));
  });
  afterEach(async () => {
    await checkpointer?.stop();
    checkpointer = undefined;
    sqlite?.close();
    sqlite = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function openWal(path: string): SQLite.Database {
    const db = new SQLite(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec("create table pages (id integer primary key, body blob not null)");
    return db;
  }

  /** About 3,000 pages of 4 KiB in one transaction: past SQLite's own checkpoint mark of 1,000. */
  function writeManyPages(db: SQLite.Database): void {
    const insert = db.prepare("insert into pages (body) values (?)");
    db.transaction(() => {
      for (let i = 0; i < 3_000; i++) insert.run(Buffer.alloc(3_000, i % 251));
    })();
  }

  // Regression (issue 16): the COMMIT that took the log past 1,000 pages copied it into the database file
  // on the main thread (16 to 29 ms on the quiz workload, stalls of up to 44 ms under the webhook load).
  it("leaves the copy to the worker: the COMMIT returns with the file unchanged, and the worker copies it", async () => {
    const path = join(dir, "a.db");
    sqlite = openWal(path);
    // A long interval: the worker must not run between the COMMIT and the first look at the file.
    checkpointer = startCheckpointer(sqlite, path, {}, 1_500);
    expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(fallbackCheckpointPages);
    const before = statSync(path).size;
    writeManyPages(sqlite);
    expect(statSync(path).size).toBe(before);
    expect(await eventually(() => statSync(path).size > 10_000_000)).toBe(true);
    expect(sqlite.prepare("select count(*) as n from pages").get()).toEqual({ n: 3_000 });
  });

  it("gives the checkpoint back to the main connection when the worker cannot run, and says why", async () => {
    const path = join(dir, "b.db");
    sqlite = openWal(path);
    const errors: Error[] = [];
    // The worker opens only an existing file: this one is not there.
    checkpointer = startCheckpointer(sqlite, join(dir, "missing.db"), { onError: (error) => errors.push(error) });
    expect(await eventually(() => errors.length > 0)).toBe(true);
    // Its error and its exit are one failure: one log line, one count.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(errors).toHaveLength(1);
    expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(1_000);
    const before = statSync(path).size;
    writeManyPages(sqlite);
    // SQLite's own checkpoint ran inside the COMMIT.
    expect(statSync(path).size).toBeGreaterThan(before + 10_000_000);
  });

  it("stops the worker on close, and the database opens again with everything in it", async () => {
    const path = join(dir, "c.db");
    const open = await openDatabase({ sqlitePath: path });
    await open.db
      .insertInto("inbound_seen")
      .values({ id: "m1", seen_at: new Date(0).toISOString() })
      .execute();
    await open.close();
    const again = await openDatabase({ sqlitePath: path });
    const rows = await again.db.selectFrom("inbound_seen").select("id").execute();
    await again.close();
    expect(rows).toEqual([{ id: "m1" }]);
  });

  // Regression: the worker does not hold the process open, so a script whose last step awaited the close
  // ended with that await unsettled (exit code 13, seen in `npm run bench`).
  it("lets a script that awaits the close at its top level end normally", () => {
    const script = join(dir, "close.mts");
    const database = fileURLToPath(new URL("../../src/storage/database.ts", import.meta.url));
    writeFileSync(
      script,
      `import { openDatabase } from ${JSON.stringify(database)};
const open = await openDatabase({ sqlitePath: ${JSON.stringify(join(dir, "d.db"))} });
await open.close();
console.log("closed");
`,
    );
    const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 60_000 });
    expect({ status: run.status, out: run.stdout.trim() }).toEqual({ status: 0, out: "closed" });
  });
});
