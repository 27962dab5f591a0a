/**
 * Vitest global setup for Postgres: the prefix of the databases this run creates on `DATABASE_URL`'s
 * server (one per test file, see `postgres-file.ts`), the migrated schema test apps start from
 * (`postgres-template.ts`) and, at the end, dropping the run's databases. Without `DATABASE_URL` it
 * does nothing.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratedSchemaSql } from "./postgres-template.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /**
     * The `DATABASE_URL` the run started with, the prefix of its databases and the SQL of a migrated
     * schema (null without pg_dump); null without `DATABASE_URL`.
     */
    postgresRun: { url: string; prefix: string; schemaSql: string | null } | null;
  }
}

/** A run's databases: `lotse_t_<start time, base 36>_<random>_<file or "template">`. */
const pattern = /^lotse_t_([0-9a-z]+)_[0-9a-f]+_[0-9a-z]+$/;
/** A run's databases still there a day after it started were left by a run that was killed. */
const leftOverAfterMs = 24 * 3_600_000;

/**
 * Provides `postgresRun` to the test files and returns the teardown.
 *
 * @example
 * // vitest.config.ts
 * test: { globalSetup: ["test/support/postgres-run.ts"], setupFiles: ["test/support/postgres-file.ts"] }
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide("postgresRun", null);
    return undefined;
  }
  // Unique per run: another run on the same server (a second checkout, CI) never touches these.
  const prefix = `lotse_t_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await dropDatabases(url, (name) => {
    const started = pattern.exec(name)?.[1];
    return started !== undefined && Date.now() - Number.parseInt(started, 36) > leftOverAfterMs;
  });
  const teardown = () => dropDatabases(url, (name) => name.startsWith(`${prefix}_`));
  try {
    const template = `${prefix}_template`;
    await query(url, `create database ${template} template template0`);
    project.provide("postgresRun", { url, prefix, schemaSql: await migratedSchemaSql(withDatabase(url, template)) });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

/**
 * The URL with another database name, keeping user, host, port and parameters.
 *
 * @example
 * withDatabase("postgres://u@h:5432/test?sslmode=require", "other"); // "postgres://u@h:5432/other?sslmode=require"
 */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs one statement on a short-lived connection. */
async function query(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Drops the test databases that `which` picks, a few at a time (each forces a checkpoint). */
async function dropDatabases(url: string, which: (name: string) => boolean): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  let names: string[];
  try {
    const { rows } = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'lotse\\_t\\_%'",
    );
    names = rows.map((r) => r.datname).filter(which);
  } finally {
    await admin.end();
  }
  const lanes = Array.from({ length: 4 }, async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (let name = names.pop(); name !== undefined; name = names.pop()) {
        await client.query(`drop database if exists ${name} with (force)`);
      }
    } finally {
      await client.end();
    }
  });
  await Promise.all(lanes);
}
