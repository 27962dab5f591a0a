/**
 * The statements every message runs, run straight on better-sqlite3 inside a group-commit transaction.
 *
 * Through Kysely each statement went through its executor, its connection provider (a promise chain
 * guarding the one connection) and its driver: a few microseconds of JavaScript and several promise
 * hops around a statement SQLite runs in 3 to 20 microseconds. Inside a group-commit batch the
 * connection is already held for the whole batch and better-sqlite3 runs synchronously, so there is
 * nothing to guard: the statement (prepared once, shared with Kysely's statement cache) runs at once.
 *
 * Only a transaction the group commit runs is bound to a runner ({@link bindDirect}); everything else
 * (reads outside a transaction, Postgres) goes through Kysely as before.
 */
import type SQLite from "better-sqlite3";
import type { QueryResult } from "kysely";
import type { StatementCache } from "./statement-cache.ts";

/** Runs one SQL text with its parameters, synchronously, as Kysely's SQLite driver would. */
export type DirectRun = <Row>(sql: string, parameters: readonly unknown[]) => QueryResult<Row>;

/** The runner of each bound transaction (the Kysely instance a group-commit batch hands its works). */
const runners = new WeakMap<object, DirectRun>();

/**
 * A runner over the cached statements; a failing statement is told to `onError` (the database errors
 * metric, as Kysely's log tells it) and thrown.
 *
 * @example
 * const run = directRunner(withStatementCache(sqlite));
 * run("insert into inbound_seen (id, seen_at) values (?, ?)", ["m1", at]).numAffectedRows; // 1n
 */
export function directRunner(statements: StatementCache, onError?: (error: unknown) => void): DirectRun {
  return <Row>(sql: string, parameters: readonly unknown[]): QueryResult<Row> => {
    try {
      return runStatement<Row>(statements.statement(sql), parameters);
    } catch (error) {
      onError?.(error);
      throw error;
    }
  };
}

/** The result in Kysely's shape: rows for a statement that returns rows, counts for the others. */
function runStatement<Row>(statement: SQLite.Statement, parameters: readonly unknown[]): QueryResult<Row> {
  if (statement.reader) return { rows: statement.all(parameters) as Row[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}

/**
 * Lets the queries of `db` (a group-commit batch's transaction) run straight on the database.
 *
 * @example
 * bindDirect(trx, run); // then directFor(trx) === run
 */
export function bindDirect(db: object, run: DirectRun): void {
  runners.set(db, run);
}

/** The runner bound to `db`, if it is a group-commit transaction. */
export function directFor(db: object): DirectRun | undefined {
  return runners.get(db);
}
