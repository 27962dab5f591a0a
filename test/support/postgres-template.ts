/**
 * The Postgres schema every test app starts from, made once per run: the real migrations run once
 * into a database of the run's own, and pg_dump writes the result as SQL (tables, sequences,
 * defaults, constraints, indexes and the migrator's own rows). A test app's schema is that SQL under
 * the app's schema name: one batch of final-state DDL instead of nineteen migrations' statements
 * one by one, about three times faster (Postgres test apps were half of the suite's time).
 *
 * Without pg_dump (or one that cannot dump this server) each app runs the migrations as before.
 * The migrations themselves stay tested: here once per run, and in the tests that open databases
 * directly (the storage contract suite, the migration tests).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { openDatabase } from "../../src/storage/database.ts";

/** The schema name in the dump, replaced by each app's own. */
const templateSchema = "lotse_test_template";

/**
 * Migrates `templateSchema` in the (new, empty) database at `url` and returns it as SQL, or null
 * (with the reason on stderr) when pg_dump is missing or fails.
 *
 * @example
 * const sql = await migratedSchemaSql("postgres://postgres@127.0.0.1/lotse_t_x_template");
 */
export async function migratedSchemaSql(url: string): Promise<string | null> {
  const opened = await openDatabase({ databaseUrl: url, schema: templateSchema, sqlitePath: ":memory:" });
  await opened.close();
  let dump: string;
  try {
    const args = ["--schema", templateSchema, "--no-owner", "--no-privileges", "--inserts", "--dbname", url];
    dump = (await promisify(execFile)("pg_dump", args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    console.warn(`test apps migrate their Postgres schema one by one (pg_dump failed: ${String(error)})`);
    return null;
  }
  // Statements only: no comments, psql meta-commands (\restrict) or session settings (the dump
  // empties search_path; every name in it is schema-qualified).
  return dump
    .split("\n")
    .filter((line) => !/^(--|\\|SET |SELECT pg_catalog\.set_config\()/.test(line))
    .join("\n");
}

/**
 * Creates `schema` from the run's migrated-schema SQL on a short-lived connection.
 *
 * @example
 * await createSchemaFrom(sql, process.env.DATABASE_URL, "t_abc");
 */
export async function createSchemaFrom(sql: string, url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One simple-protocol query: its statements run as one transaction.
    await client.query(sql.replace(new RegExp(`\\b${templateSchema}\\b`, "g"), schema));
  } finally {
    await client.end();
  }
}
