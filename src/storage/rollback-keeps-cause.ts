/**
 * Kysely's dialects with a rollback that never replaces the error behind it.
 *
 * When a transaction fails, Kysely rolls back and rethrows; but if the
 * ROLLBACK itself throws, that error is thrown instead and the real one is
 * lost. SQLite rolls a transaction back on its own after SQLITE_FULL,
 * SQLITE_IOERR and some SQLITE_BUSY cases, so a full disk surfaced as
 * "cannot rollback - no transaction is active". On Postgres a ROLLBACK on a
 * connection that just died fails the same way.
 */
import type SQLite from "better-sqlite3";
import {
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Driver,
  type Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from "kysely";
import { SearchPathIntrospector } from "./postgres-introspector.ts";
import type { StatementCache } from "./statement-cache.ts";

/**
 * The SQLite dialect whose rollback is skipped when SQLite already rolled
 * back, and whose own failure is never thrown over the original error; its
 * statements are prepared once per SQL text (`withStatementCache`).
 *
 * @example
 * new Kysely<Database>({ dialect: new SqliteDialectKeepingCause(sqlite, withStatementCache(sqlite)) });
 */
export class SqliteDialectKeepingCause extends SqliteDialect {
  private readonly database: SqliteDatabase;

  constructor(
    private readonly sqlite: SQLite.Database,
    statements: StatementCache,
  ) {
    super({ database: statements });
    this.database = statements;
  }

  override createDriver(): Driver {
    const sqlite = this.sqlite;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (!sqlite.inTransaction) return;
        await super.rollbackTransaction(connection).catch(() => undefined);
      }
    })({ database: this.database });
  }
}

/**
 * The Postgres dialect whose failed rollback is never thrown over the
 * original error. The connection is then broken; pg's pool drops a client
 * that is no longer queryable when it is released.
 *
 * @example
 * new Kysely<Database>({ dialect: new PostgresDialectKeepingCause({ pool }) });
 */
export class PostgresDialectKeepingCause extends PostgresDialect {
  constructor(private readonly config: PostgresDialectConfig) {
    super(config);
  }

  /** The migrator's questions over our own schemas only (see {@link SearchPathIntrospector}). */
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SearchPathIntrospector(db);
  }

  override createDriver(): Driver {
    return new (class extends PostgresDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        await super.rollbackTransaction(connection).catch(() => undefined);
      }
    })(this.config);
  }
}
