/**
 * Building a real app for tests: SQLite in memory, or Postgres in a schema of
 * its own when `DATABASE_URL` is set (CI sets it), so runs never collide.
 * Nothing of our own is mocked.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { type Clock, FakeClock } from "../../src/domain/clock.ts";
import type { Logger } from "../../src/log.ts";
import { createSchemaFrom } from "./postgres-template.ts";

/** The storage backends to run contract tests against. */
export const backends: Array<"sqlite" | "postgres"> = process.env.DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];

/** A test app and how to dispose of it. */
export interface TestApp extends App {
  clock: FakeClock;
  dispose(): Promise<void>;
}

/**
 * A fresh app on the given backend with a fake clock.
 *
 * @example
 * const app = await createTestApp("sqlite");
 * afterEach(() => app.dispose());
 */
export async function createTestApp(
  backend: "sqlite" | "postgres" = process.env.DATABASE_URL ? "postgres" : "sqlite",
  options: { clock?: Clock; schema?: string; staffAddresses?: string; logger?: Logger } = {},
): Promise<TestApp> {
  const clock = (options.clock as FakeClock | undefined) ?? new FakeClock(new Date("2026-03-02T09:00:00Z"));
  const schema = backend === "postgres" ? (options.schema ?? uniqueSchema()) : undefined;
  const template = schema && !options.schema ? runSchemaSql() : null;
  // The run's migrated schema under this app's name (see postgres-template.ts); createApp then finds
  // every migration applied. A schema the caller names (shared by several apps) migrates as before.
  if (schema && template) await createSchemaFrom(template, process.env.DATABASE_URL ?? "", schema);
  const app = await createApp({
    databaseUrl: backend === "postgres" ? process.env.DATABASE_URL : undefined,
    sqlitePath: ":memory:",
    pgSchema: schema,
    clock,
    staffAddresses: options.staffAddresses,
    logger: options.logger,
  });
  return {
    ...app,
    clock,
    async dispose() {
      await app.close();
      if (schema && !options.schema) await dropSchema(schema);
    },
  };
}

/** The run's migrated-schema SQL, or null (no pg_dump, or outside a Vitest run: the benchmarks). */
function runSchemaSql(): string | null {
  try {
    return inject("postgresRun")?.schemaSql ?? null;
  } catch {
    return null;
  }
}

/** A schema name no other run uses. */
export function uniqueSchema(): string {
  return `t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
