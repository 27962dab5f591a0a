/**
 * Queries built with Kysely's query builder once, then run with new values: building the operation
 * tree, freezing it and compiling it to SQL cost more CPU than SQLite running the statement, for the
 * few queries a feature runs on every message (a learner's active day, a quiz answer, the nudge
 * settings). The SQL is compiled once per dialect with a marker in place of each value; each run
 * puts the values where the markers were.
 *
 * Only for queries whose SQL does not depend on the values: no lists (`in`), no optional columns
 * (Kysely leaves out a column whose value is `undefined`; here a missing value is refused), no `null`
 * compared with `is`, no defaults in the builder (it sees markers, never the values).
 */
import { type Compilable, CompiledQuery, type Kysely, type QueryResult, type Transaction } from "kysely";
import { LotseError } from "../domain/errors.ts";
import { directFor } from "./direct-sqlite.ts";
import type { Database } from "./schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** Where each parameter of the compiled SQL comes from: a value's name, or a constant the query holds. */
type Slot = { name: string } | { constant: unknown };

interface Compiled {
  sql: string;
  slots: Slot[];
}

/** A marker no real value equals: a string, so no query builder treats it as an expression. */
const markerPrefix = "\u0000lotse-prepared:";

/**
 * A query compiled once per dialect and run with the values given each time.
 *
 * @example
 * const activeDay = prepared((db, p: { address: string; day: string }) =>
 *   db.insertInto("learning_days").values({ address: p.address, day: p.day }).onConflict((oc) => oc.doNothing()),
 * );
 * await activeDay(tx.db, { address, day: "2026-11-30" });
 */
export function prepared<P extends Record<string, unknown>, O>(
  build: (db: Db, values: P) => Compilable<O>,
): (db: Db, values: P) => Promise<QueryResult<O>> {
  const byAdapter = new Map<unknown, Compiled>();
  return (db, values) => {
    // The adapter's class tells the dialect (SQLite numbers no placeholders, Postgres does).
    const adapter = db.getExecutor().adapter.constructor;
    let compiled = byAdapter.get(adapter);
    if (compiled === undefined) {
      try {
        compiled = compile(db, build);
      } catch (error) {
        // As a failed query: a rejected promise, never a throw the caller's `await` would not see coming.
        return Promise.reject(error);
      }
      byAdapter.set(adapter, compiled);
    }
    const parameters = compiled.slots.map((slot) => ("name" in slot ? values[slot.name] : slot.constant));
    const missing = compiled.slots.find((slot, i) => "name" in slot && parameters[i] === undefined);
    // Kysely would have left the column out or failed; here the SQL is fixed, so say which value is missing.
    if (missing && "name" in missing) {
      return Promise.reject(new LotseError("storage.failed", `prepared query got no value for ${missing.name}`));
    }
    const direct = directFor(db);
    if (direct === undefined) return db.executeQuery<O>(CompiledQuery.raw(compiled.sql, parameters));
    // Inside a group-commit batch on SQLite: straight on the database, a failure as a rejected promise.
    try {
      return Promise.resolve(direct<O>(compiled.sql, parameters));
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

function compile<P extends Record<string, unknown>, O>(db: Db, build: (db: Db, values: P) => Compilable<O>): Compiled {
  // Every value the builder reads is a marker, whether or not the first call happened to carry it.
  const read = new Set<string>();
  const markers = new Proxy({} as P, {
    get(_target, name) {
      if (typeof name !== "string") return undefined;
      read.add(name);
      return `${markerPrefix}${name}`;
    },
  });
  const { sql, parameters } = build(db, markers).compile();
  const slots = parameters.map((parameter): Slot => {
    if (typeof parameter === "string" && parameter.startsWith(markerPrefix)) {
      return { name: parameter.slice(markerPrefix.length) };
    }
    return { constant: parameter };
  });
  const used = new Set(slots.flatMap((slot) => ("name" in slot ? [slot.name] : [])));
  const unused = [...read].filter((name) => !used.has(name));
  // A value the SQL never takes was turned into something else by the builder: the query would run
  // without it, silently. So would a constant left undefined. Refuse both.
  if (unused.length > 0 || slots.some((slot) => "constant" in slot && slot.constant === undefined)) {
    const what = unused.length > 0 ? `does not take ${unused.join(", ")}` : "holds an undefined value";
    throw new LotseError("storage.failed", `prepared query ${what}: ${sql}`);
  }
  return { sql, slots };
}
