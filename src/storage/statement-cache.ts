/**
 * Prepared statements kept for reuse. Kysely's SQLite driver prepares every query it runs; preparing
 * (parsing and planning the SQL) was a fifth of the CPU of a message, for the same few dozen SQL texts
 * each time. The driver is given this wrapper instead of the database: it hands back the statement
 * prepared for the same text before. The statements run directly inside a group commit
 * (`direct-sqlite.ts`) come from the same cache.
 */
import type SQLite from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/** Enough for every query Lotse builds (a few hundred texts); beyond it the oldest is dropped. */
const defaultLimit = 1_000;

/** The database as Kysely's SQLite dialect sees it, plus the cached statement itself. */
export interface StatementCache extends SqliteDatabase {
  /** The statement for `sql`, prepared once (a fresh one while the cached one is still iterating). */
  statement(sql: string): SQLite.Statement;
}

/**
 * The database as Kysely's SQLite dialect sees it, with statements prepared once per SQL text.
 *
 * @example
 * new SqliteDialect({ database: withStatementCache(new SQLite(path)) });
 */
export function withStatementCache(sqlite: SQLite.Database, limit = defaultLimit): StatementCache {
  const statements = new Map<string, SQLite.Statement>();
  const statement = (sql: string): SQLite.Statement => {
    const cached = statements.get(sql);
    // A statement still iterating (a streamed query) cannot run again until it is done: a fresh one then.
    if (cached !== undefined && !cached.busy) return cached;
    const fresh = sqlite.prepare(sql);
    if (cached === undefined) {
      if (statements.size >= limit) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
      statements.set(sql, fresh);
    }
    return fresh;
  };
  return {
    statement,
    prepare: (sql: string): SqliteStatement => statement(sql) as unknown as SqliteStatement,
    close(): void {
      statements.clear();
      sqlite.close();
    },
  };
}
