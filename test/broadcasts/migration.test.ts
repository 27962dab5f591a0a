/**
 * Migration 014 on a database that already pruned some broadcast rows: the totals kept by migration
 * 009 are carried into the per-channel counts (with no channel), so old broadcasts keep their figures.
 */
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { deliveryCounts } from "../../src/broadcasts/counts.ts";
import * as m001 from "../../src/storage/migrations/001-foundation.ts";
import * as m002 from "../../src/storage/migrations/002-learning.ts";
import * as m003 from "../../src/storage/migrations/003-scheduler.ts";
import * as m004 from "../../src/storage/migrations/004-outbox-delivery.ts";
import * as m005 from "../../src/storage/migrations/005-referrals.ts";
import * as m006 from "../../src/storage/migrations/006-meetings.ts";
import * as m007 from "../../src/storage/migrations/007-second-language.ts";
import * as m008 from "../../src/storage/migrations/008-outbox-lanes.ts";
import * as m009 from "../../src/storage/migrations/009-broadcast-counts.ts";
import * as m014 from "../../src/storage/migrations/014-broadcast-console.ts";
import type { Database } from "../../src/storage/schema.ts";
import type { StoreTx } from "../../src/storage/store.ts";

describe("migration 014", () => {
  it("carries the pruned totals of earlier broadcasts into the counts", async () => {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(":memory:") }) });
    try {
      for (const m of [m001, m002, m003, m004, m005, m006, m007, m008, m009])
        await m.up(db as unknown as Kysely<unknown>, "sqlite");
      const at = "2026-01-01T00:00:00.000Z";
      await db
        .insertInto("broadcasts")
        .values({
          text: '{"en":"Hi"}',
          audience: '{"kind":"news"}',
          status: "sending",
          send_at: at,
          recipients: 12,
          created_by: null,
          created_at: at,
          updated_at: at,
          pruned_sent: 5,
          pruned_delivered: 3,
          pruned_read: 2,
          pruned_failed: 1,
        } as never)
        .execute();
      await m014.up(db as unknown as Kysely<unknown>, "sqlite");
      const counts = await deliveryCounts({ db, dialect: "sqlite" } as unknown as StoreTx, 1);
      expect(counts?.tally).toEqual({ queued: 0, sending: 0, sent: 5, delivered: 3, read: 2, failed: 1 });
      expect(counts?.channels).toEqual([
        { channel: "", queued: 0, sending: 0, sent: 10, delivered: 5, read: 2, failed: 1 },
      ]);
      expect(counts?.status).toBe("sent");
    } finally {
      await db.destroy();
    }
  });
});
