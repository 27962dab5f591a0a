/**
 * Regression: a dropped Postgres connection killed the process. pg's pool
 * emits `error` when an idle connection is terminated (a restart, failover or
 * proxy idle timeout); without a listener that ends every Lotse process.
 */
import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { createLogger } from "../../src/log.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

describe.skipIf(!process.env.DATABASE_URL)("a dropped Postgres connection (needs DATABASE_URL)", () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.dispose();
  });

  it("regression: a terminated idle connection no longer kills the process; the next query works", async () => {
    const lines: string[] = [];
    app = await createTestApp("postgres", { logger: createLogger("warn", (line) => lines.push(line)) });
    // The pid of a pooled connection, idle in the pool once the query is done.
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(app.store.db);
    const pid = rows[0]?.pid;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query("select pg_terminate_backend($1)", [pid]);
    } finally {
      await admin.end();
    }
    // The pool notices the dropped connection and tells the logger instead of throwing.
    while (!lines.some((l) => l.includes("storage.connection_lost"))) await new Promise((r) => setTimeout(r, 20));
    await app.store.transaction((tx) => tx.lockUser("telegram:1" as Address, "UTC", new Date()));
    expect(await app.store.reader.getUser("telegram:1" as Address)).toMatchObject({ address: "telegram:1" });
  });
});
