/**
 * The few places where SQLite and Postgres need different DDL.
 */
import type { CreateTableBuilder } from "kysely";

/** The two databases Lotse runs on. */
export type Dialect = "sqlite" | "postgres";

/**
 * Adds an auto-incrementing integer primary key `id`.
 *
 * @example
 * await addIdColumn(db.schema.createTable("outbox"), "sqlite").addColumn(...).execute();
 */
export function addIdColumn<T extends string>(table: CreateTableBuilder<T, never>, dialect: Dialect) {
  return dialect === "postgres"
    ? table.addColumn("id", "serial", (c) => c.primaryKey())
    : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}
