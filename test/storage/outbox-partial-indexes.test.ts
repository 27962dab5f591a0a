/**
 * Migration 019: the outbox's indexes on mostly empty columns hold only rows with a value. SQLite runs
 * migrations outside a transaction, so the migration must survive being run again after a crash
 * part-way through.
 */
import type SQLite from "better-sqlite3";
import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.ts";
import { up } from "../../src/storage/migrations/019-outbox-partial-indexes.ts";

describe("migration 019 (partial outbox indexes)", () => {
  it("leaves the three indexes partial, and can run again after stopping half-way", async () => {
    const open = await openDatabase({ sqlitePath: ":memory:" });
    const sqlite = open.sqlite as SQLite.Database;
    const indexes = () =>
      Object.fromEntries(
        (
          sqlite
            .prepare("select name, sql from sqlite_master where type = 'index' and name in (?, ?, ?)")
            .all("outbox_platform_id", "outbox_subject", "outbox_broadcast") as { name: string; sql: string }[]
        ).map((r) => [r.name, r.sql]),
      );
    for (const sql of Object.values(indexes())) expect(sql).toMatch(/where .* is not null/i);
    expect(Object.keys(indexes()).sort()).toEqual(["outbox_broadcast", "outbox_platform_id", "outbox_subject"]);
    // A crash between a drop and its create: one index is missing.
    sqlite.exec("drop index outbox_broadcast");
    await up(open.db as unknown as Kysely<unknown>);
    await up(open.db as unknown as Kysely<unknown>);
    expect(Object.keys(indexes()).sort()).toEqual(["outbox_broadcast", "outbox_platform_id", "outbox_subject"]);
    await open.close();
  });
});
