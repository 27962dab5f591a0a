/**
 * How the SQLite file is opened (src/storage/database.ts): a new file in WAL mode with 8 KiB pages
 * (half the WAL frames of SQLite's 4 KiB default for a group commit's scattered pages), and a file
 * written before that, with 4 KiB pages, opened as it is with everything it holds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toAddress } from "../../src/domain/address.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { Store } from "../../src/storage/store.ts";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lotse-sqlite-file-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const now = new Date("2026-11-30T10:00:00Z");
const address = toAddress("telegram", "42");

function pragmasOf(path: string): { pageSize: unknown; journal: unknown } {
  const file = new SQLite(path, { readonly: true });
  try {
    return {
      pageSize: file.pragma("page_size", { simple: true }),
      journal: file.pragma("journal_mode", { simple: true }),
    };
  } finally {
    file.close();
  }
}

describe("the SQLite file", () => {
  it("is created in WAL mode with 8 KiB pages", async () => {
    const path = join(dir, "new.db");
    const store = new Store(await openDatabase({ sqlitePath: path }));
    await store.transaction((tx) => tx.recordMessage("m1", address, "Europe/Berlin", now));
    await store.close();
    expect(pragmasOf(path)).toEqual({ pageSize: 8192, journal: "wal" });
  });

  it("written before with 4 KiB pages keeps them and everything it holds", async () => {
    const path = join(dir, "old.db");
    const old = new SQLite(path);
    old.pragma("page_size = 4096");
    old.pragma("journal_mode = WAL");
    old.close();
    const first = new Store(await openDatabase({ sqlitePath: path }));
    await first.transaction((tx) => tx.recordMessage("m1", address, "Europe/Berlin", now));
    await first.close();

    const again = new Store(await openDatabase({ sqlitePath: path }));
    const user = await again.transaction((tx) => tx.getUser(address));
    await again.close();
    expect(user).toMatchObject({ address, timeZone: "Europe/Berlin" });
    expect(pragmasOf(path)).toEqual({ pageSize: 4096, journal: "wal" });
  });
});
