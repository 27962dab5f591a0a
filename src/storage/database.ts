/**
 * Opening the database: SQLite in one file (WAL) by default, Postgres when a
 * URL is given. Both get the same schema through the same migrations, and the
 * rest of Lotse does not know which one it talks to.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type Logger } from "kysely";
import pg from "pg";
import { LotseError } from "../domain/errors.ts";
import { type Checkpointer, startCheckpointer } from "./checkpointer.ts";
import { type DirectRun, directRunner } from "./direct-sqlite.ts";
import type { Dialect } from "./migrations/helpers.ts";
import { migrateToLatest } from "./migrations/index.ts";
import { keepAliveOnError, type PipelinedConnections, pipelinedConnections } from "./pg-pipeline.ts";
import { PostgresDialectKeepingCause, SqliteDialectKeepingCause } from "./rollback-keeps-cause.ts";
import type { Database } from "./schema.ts";
import { withStatementCache } from "./statement-cache.ts";

/** Where to store data. */
export interface DatabaseOptions {
  /** `postgres://...`; when absent, SQLite at `sqlitePath`. */
  databaseUrl?: string | undefined;
  /** A file path or `:memory:`. */
  sqlitePath: string;
  /** A Postgres schema to use (created if missing); tests give each run its own. */
  schema?: string | undefined;
  /**
   * Told when an idle Postgres connection drops (a restart, failover, proxy timeout). The pool
   * replaces it on the next query; without a listener, pg's error event would end the process.
   */
  onConnectionLost?: (error: Error) => void;
  /** Told of every query that fails (the database errors metric). */
  onQueryError?: (error: unknown) => void;
  /**
   * SQLite file: told when its background checkpoint fails or its thread stops (the main connection then
   * checkpoints as SQLite does by default; see `checkpointer.ts`).
   */
  onCheckpointError?: (error: Error) => void;
}

/** An open database with its dialect. */
export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The SQLite database under `db`, for group commit (`GroupCommit`); absent on Postgres. */
  sqlite?: SQLite.Database;
  /** SQLite: runs a statement straight on `sqlite` (inside a group-commit batch, `direct-sqlite.ts`). */
  direct?: DirectRun;
  /** Postgres: the pipelined connections shared transactions run on (`PgBatches`); absent on SQLite. */
  pipelined?: PipelinedConnections;
  close(): Promise<void>;
}

/** Shared transactions running at once on Postgres, each on a pipelined connection of its own. */
export const sharedTransactionLanes = 2;

/**
 * Opens the database and applies pending migrations.
 *
 * @example
 * const { db, close } = await openDatabase({ sqlitePath: "./data/lotse.db" });
 */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  const { db, dialect, sqlite, direct, pipelined } = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.schema, options.onConnectionLost, queryLog(options))
    : openSqlite(options.sqlitePath, queryLog(options), options.onQueryError);
  try {
    await migrateToLatest(db as Kysely<unknown>, dialect, options.schema);
  } catch (error) {
    await db.destroy();
    await pipelined?.end();
    throw error;
  }
  // After the migrations: the worker opens the file as it stands, in WAL mode.
  const checkpointer: Checkpointer | undefined =
    sqlite && options.sqlitePath !== ":memory:" && options.sqlitePath !== ""
      ? startCheckpointer(sqlite, options.sqlitePath, { onError: options.onCheckpointError })
      : undefined;
  const close = async () => {
    // The worker's connection first: the last connection to close is the one that checkpoints the rest.
    await checkpointer?.stop();
    await db.destroy();
    await pipelined?.end();
  };
  return {
    db,
    dialect,
    ...(sqlite ? { sqlite } : {}),
    ...(direct ? { direct } : {}),
    ...(pipelined ? { pipelined } : {}),
    close,
  };
}

/** Kysely's log hook, passing on failed queries only. */
function queryLog(options: DatabaseOptions): Logger {
  return (event) => {
    if (event.level === "error") options.onQueryError?.(event.error);
  };
}

function openSqlite(
  path: string,
  log: Logger,
  onQueryError: ((error: unknown) => void) | undefined,
): { db: Kysely<Database>; dialect: Dialect; sqlite: SQLite.Database; direct: DirectRun; pipelined?: undefined } {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(path);
  } catch (error) {
    throw new LotseError("storage.failed", `cannot open the SQLite file ${path}`, { cause: error });
  }
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  // Several processes (two terminal chats) may share one file: wait for the lock instead of failing.
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // Each message's work runs in a savepoint of a shared transaction (group commit); the pages a
  // savepoint changes are copied to a sub-journal, which spilled to a temporary file past 64 KiB: 42
  // write system calls a message in the quiz workload, 9 with it in memory (strace, 300 people). It
  // holds only pages of the transaction still open. Temporary sorts live in memory too: Lotse's largest
  // is a broadcast's recipients, a few MB at 40,000.
  sqlite.pragma("temp_store = MEMORY");
  // "Delete my data" must not leave the person's words in the file's free pages, where a copy or a
  // backup of the file would still hold them: deleted content is overwritten with zeros.
  sqlite.pragma("secure_delete = ON");
  const statements = withStatementCache(sqlite);
  // A failed rollback must not hide why the transaction failed (SQLITE_FULL behind "cannot rollback").
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialectKeepingCause(sqlite, statements), log }),
    dialect: "sqlite",
    sqlite,
    direct: directRunner(statements, onQueryError),
  };
}

async function openPostgres(
  url: string,
  schema: string | undefined,
  onConnectionLost: ((error: Error) => void) | undefined,
  log: Logger,
): Promise<{
  db: Kysely<Database>;
  dialect: Dialect;
  sqlite?: undefined;
  direct?: undefined;
  pipelined: PipelinedConnections;
}> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new LotseError("storage.failed", `not a safe schema name: ${schema}`);
  }
  if (schema) await createSchema(url, schema);
  const searchPath = schema ? `-c search_path=${schema}` : undefined;
  const pool = new pg.Pool({ connectionString: url, max: 10, ...(searchPath ? { options: searchPath } : {}) });
  pool.on("error", (error) => onConnectionLost?.(error));
  pool.on("connect", keepAliveOnError);
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialectKeepingCause({ pool }), log }),
    dialect: "postgres",
    pipelined: pipelinedConnections({ url, options: searchPath, max: sharedTransactionLanes, log, onConnectionLost }),
  };
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(`create schema if not exists ${schema}`);
  } catch (error) {
    throw new LotseError("storage.failed", "cannot reach the Postgres database in DATABASE_URL", { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}
