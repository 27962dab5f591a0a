/**
 * Regression: Kysely's introspector listed the tables of every schema in the database and looked each
 * schema up by name; a schema dropped meanwhile by another process (parallel test files, each in a
 * schema of its own) failed the migration with "schema ... does not exist" (3F000). The migrator now
 * reads the schemas of the search path only.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.ts";
import { dropSchema, uniqueSchema } from "../support/app.ts";

const url = process.env.DATABASE_URL;

describe.skipIf(!url)("migrating while other schemas come and go (Postgres)", () => {
  it("regression: a schema dropped by another process during the migration failed it with 3F000", async () => {
    const churn = new pg.Client({ connectionString: url });
    await churn.connect();
    let running = true;
    // Another process's test schemas: created with tables, dropped at once, over and over.
    const churning = (async () => {
      while (running) {
        const other = uniqueSchema();
        await churn.query(`create schema ${other}; create table ${other}.t (id serial primary key, a text, b text)`);
        await churn.query(`drop schema ${other} cascade`);
      }
    })();
    const failures: string[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const schema = uniqueSchema();
        try {
          const open = await openDatabase({ databaseUrl: url, sqlitePath: ":memory:", schema });
          await open.close();
        } catch (error) {
          failures.push(String(error));
        } finally {
          await dropSchema(schema);
        }
      }
    } finally {
      running = false;
      await churning;
      await churn.end();
    }
    expect(failures).toEqual([]);
  });
});
