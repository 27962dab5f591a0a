/**
 * A real database that really fails, for outage tests: SQLite in a file of its
 * own whose write lock another connection holds (`BEGIN EXCLUSIVE`) beyond the
 * app's busy timeout, or Postgres with a table locked by another connection
 * (`LOCK TABLE … IN ACCESS EXCLUSIVE MODE`) beyond the app's `lock_timeout`.
 * Nothing of ours is mocked; the timeouts are shortened so a test waits
 * a fraction of a second instead of the production 5 s (SQLite) or forever
 * (Postgres has no lock timeout by default).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { createApp } from "../../src/app.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import type { Logger } from "../../src/log.ts";
import { dropSchema, type TestApp, uniqueSchema } from "./app.ts";

/** A fault that can be switched on and off. */
export interface StorageFault {
  /** From now on every write of the app fails (after the short timeout). */
  hold(): Promise<void>;
  /** Writes work again. */
  release(): Promise<void>;
}

/** How long the app waits for a lock before its write fails. */
const lockWaitMs = 200;

/**
 * A test app whose storage can be made to fail for real.
 *
 * @example
 * const { app, fault } = await createFaultyApp("sqlite");
 * await fault.hold(); // writes fail with SQLITE_BUSY
 */
export async function createFaultyApp(
  backend: "sqlite" | "postgres",
  options: { logger?: Logger } = {},
): Promise<{ app: TestApp; fault: StorageFault }> {
  const clock = new FakeClock(new Date("2026-03-02T09:00:00Z"));
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "lotse-fault-"));
    const file = join(dir, "lotse.db");
    const core = await createApp({ sqlitePath: file, clock, logger: options.logger });
    await sql.raw(`pragma busy_timeout = ${lockWaitMs}`).execute(core.store.db);
    let holder: SQLite.Database | undefined;
    return {
      app: {
        ...core,
        clock,
        async dispose() {
          holder?.close();
          await core.close();
          rmSync(dir, { recursive: true, force: true });
        },
      },
      fault: {
        async hold() {
          holder = new SQLite(file);
          holder.exec("BEGIN EXCLUSIVE");
        },
        async release() {
          holder?.exec("ROLLBACK");
          holder?.close();
          holder = undefined;
        },
      },
    };
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("Postgres outage tests need DATABASE_URL");
  const schema = uniqueSchema();
  // pg reads `options` from the URL over its own, so the search path goes there too.
  const pgOptions = encodeURIComponent(`-c search_path=${schema} -c lock_timeout=${lockWaitMs}`);
  const core = await createApp({
    databaseUrl: `${url}${url.includes("?") ? "&" : "?"}options=${pgOptions}`,
    pgSchema: schema,
    sqlitePath: ":memory:",
    clock,
    logger: options.logger,
  });
  let holder: pg.Client | undefined;
  return {
    app: {
      ...core,
      clock,
      async dispose() {
        await holder?.end();
        await core.close();
        await dropSchema(schema);
      },
    },
    fault: {
      async hold() {
        holder = new pg.Client({ connectionString: url });
        await holder.connect();
        await holder.query("begin");
        await holder.query(`lock table ${schema}.inbound_seen in access exclusive mode`);
      },
      async release() {
        await holder?.query("rollback");
        await holder?.end();
        holder = undefined;
      },
    },
  };
}

/**
 * A logger that keeps each event's name, for tests that wait for one.
 *
 * @example
 * const logger = eventLogger(); await until(() => logger.events.includes("telegram.storage_unavailable"));
 */
export function eventLogger(): Logger & { events: string[] } {
  const events: string[] = [];
  const keep = (event: string) => {
    events.push(event);
  };
  return { events, debug: keep, info: keep, warn: keep, error: keep };
}
