/**
 * Vitest setup file: each test file gets a Postgres database of its own, created empty here;
 * `DATABASE_URL` points there while the file runs, so its test apps, schemas and child processes
 * all live in it. The run's global setup (`postgres-run.ts`) drops these databases at the end.
 *
 * Why: with two files at once in one shared database, one file's `drop schema` raced the other's
 * migrations (Kysely's migrator reads every schema's tables: "schema ... does not exist", where:
 * parallel worker). And that database's catalog grew with every schema ever made there (the server
 * runs without autovacuum: 160 MB of pg_attribute), so each test app's migrations got slower run
 * after run. In a database of its own a file shares nothing and its catalog holds its own schemas.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { withDatabase } from "./postgres-run.ts";

const run = inject("postgresRun");
if (run) {
  const name = `${run.prefix}_${randomBytes(4).toString("hex")}`;
  // template0: a pristine copy no session can be connected to (template1 refuses while anyone is).
  // Made while the test file is imported (no test file touches Postgres at import), ready before its hooks.
  const created = createDatabase(run.url, name);
  created.catch(() => undefined); // awaited, and so reported, in beforeAll
  process.env.DATABASE_URL = withDatabase(run.url, name);
  beforeAll(() => created);
  // Not dropped here: DROP DATABASE forces a checkpoint, which with the other file running flushes
  // its writes too; the global teardown drops the run's databases once, at the end.
  afterAll(() => {
    process.env.DATABASE_URL = run.url;
  });
}

async function createDatabase(url: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template template0`);
  } finally {
    await admin.end();
  }
}
