/**
 * Telling "the database could not do its job" (locked past the busy timeout,
 * disk full, read-only, Postgres down or failing over) from every other error.
 * The difference decides what a platform is told: a message that was not
 * stored because our storage failed is answered 503 so the platform sends it
 * again, while a flow's own bug is apologised for and acknowledged.
 */
import { isLotseError, LotseError } from "../domain/errors.ts";

/**
 * SQLite result codes (better-sqlite3 puts them on `code`, extended codes such
 * as SQLITE_IOERR_WRITE included) that say the file cannot be written now.
 */
const sqlitePrefixes = [
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_FULL",
  "SQLITE_IOERR",
  "SQLITE_READONLY",
  "SQLITE_CANTOPEN",
  "SQLITE_NOMEM",
  "SQLITE_PROTOCOL",
  "SQLITE_CORRUPT",
  "SQLITE_NOTADB",
  "SQLITE_NOLFS",
];

/**
 * Postgres SQLSTATE classes and codes that say the server cannot serve us now:
 * connection exceptions (08), insufficient resources such as a full disk (53),
 * operator intervention such as a shutdown or a statement cancelled by a
 * timeout (57), system errors (58), a lock not obtained within `lock_timeout`
 * (55P03), a conflict that a retry resolves (40001, 40P01), a read-only
 * standby after a failover (25006), and rights taken away (42501).
 */
const postgresClasses = ["08", "53", "57", "58"];
const postgresCodes = new Set(["55P03", "40001", "40P01", "25006", "42501"]);

/** Socket and file system errors on the way to the database. */
const systemCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOSPC",
  "EROFS",
  "EACCES",
]);

/** Messages of pg, pg-pool, Kysely and better-sqlite3 that carry no code. */
const messagePatterns = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /database connection is not open/i,
  /driver has already been destroyed/i,
];

function isUnavailableCode(code: string): boolean {
  if (sqlitePrefixes.some((prefix) => code.startsWith(prefix))) return true;
  if (/^[0-9A-Z]{5}$/.test(code)) return postgresClasses.includes(code.slice(0, 2)) || postgresCodes.has(code);
  return systemCodes.has(code);
}

/**
 * Whether `error`, or any error in its chain of causes, says the database is
 * unavailable (as opposed to a bug in the code that used it).
 *
 * @example
 * try { await store.transaction(work) } catch (e) { if (isStorageUnavailable(e)) return c.text("retry", 503) }
 */
export function isStorageUnavailable(error: unknown): boolean {
  let current: unknown = error;
  // A bounded walk: causes can form a cycle.
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (isLotseError(current, "storage.unavailable")) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && isUnavailableCode(code)) return true;
    if (messagePatterns.some((pattern) => pattern.test(current instanceof Error ? current.message : ""))) return true;
    if (current instanceof AggregateError && current.errors.some((inner) => isStorageUnavailable(inner))) return true;
    current = current.cause;
  }
  return false;
}

/**
 * The error a caller sees when a message could not be stored: code
 * `storage.unavailable`, with the database's own error as its cause.
 *
 * @example
 * throw storageUnavailable(error, "the message was not stored");
 */
export function storageUnavailable(cause: unknown, message = "the database is unavailable"): LotseError {
  if (isLotseError(cause, "storage.unavailable")) return cause;
  return new LotseError("storage.unavailable", message, { cause });
}

/**
 * The database's own code behind an error (such as `SQLITE_FULL` or `57P01`), for log lines.
 *
 * @example
 * logger.error("engine.storage_unavailable", { error, dbCode: storageCode(error) });
 */
export function storageCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && !isLotseError(current)) return code;
    current = current.cause;
  }
  return undefined;
}
