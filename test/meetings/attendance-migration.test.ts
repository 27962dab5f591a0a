/**
 * Migration 013 on a database that already has answers: every earlier guest gets a reference of
 * its own (random, not the address), nobody is marked as having come, and meetings have no
 * announcement yet.
 */
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import * as foundation from "../../src/storage/migrations/001-foundation.ts";
import * as learning from "../../src/storage/migrations/002-learning.ts";
import * as scheduler from "../../src/storage/migrations/003-scheduler.ts";
import * as outboxDelivery from "../../src/storage/migrations/004-outbox-delivery.ts";
import * as referrals from "../../src/storage/migrations/005-referrals.ts";
import * as meetings from "../../src/storage/migrations/006-meetings.ts";
import * as attendance from "../../src/storage/migrations/013-meeting-attendance.ts";
import { backends, dropSchema, uniqueSchema } from "../support/app.ts";

type Db = Kysely<Record<string, Record<string, unknown>>>;

/** A database of the backend before any migration, and how to drop it. */
async function emptyDatabase(backend: "sqlite" | "postgres"): Promise<{ db: Db; done: () => Promise<void> }> {
  if (backend === "sqlite") {
    const db: Db = new Kysely({ dialect: new SqliteDialect({ database: new Database(":memory:") }) });
    return { db, done: () => db.destroy() };
  }
  const schema = uniqueSchema();
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${schema}` });
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    done: async () => {
      await db.destroy();
      await dropSchema(schema);
    },
  };
}

describe.each(backends)("migration 013-meeting-attendance on %s", (backend) => {
  it("gives answers stored before it a reference each, not attended", async () => {
    const { db, done } = await emptyDatabase(backend);
    for (const m of [foundation, learning, scheduler, outboxDelivery, referrals, meetings])
      await m.up(db as never, backend);
    const at = "2026-03-02T09:00:00.000Z";
    await db
      .insertInto("meetings")
      .values({
        title: "{}",
        description: "{}",
        starts_at: at,
        ends_at: at,
        time_zone: "Europe/Berlin",
        languages: "[]",
        status: "planned",
        created_at: at,
        updated_at: at,
      })
      .execute();
    for (const address of ["telegram:1", "telegram:2", "whatsapp:4915112345678"])
      await db
        .insertInto("rsvps")
        .values({ meeting_id: 1, address, answer: "yes", waiting: 0, updated_at: at })
        .execute();

    await attendance.up(db as never, backend);

    const rows = await db.selectFrom("rsvps").select(["address", "ref", "attended"]).orderBy("address").execute();
    const refs = rows.map((r) => String(r.ref));
    expect(new Set(refs).size).toBe(3);
    for (const [i, ref] of refs.entries()) {
      expect(ref).toMatch(/^[0-9a-f]{12}$/);
      expect(String(rows[i]?.address)).not.toContain(ref);
    }
    expect(rows.map((r) => Number(r.attended))).toEqual([0, 0, 0]);
    const meeting = await db.selectFrom("meetings").select("announcement_id").executeTakeFirstOrThrow();
    expect(meeting.announcement_id).toBeNull();
    await done();
  });
});
