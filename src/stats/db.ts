/**
 * The database handle statistics read from: a plain Kysely or a transaction (the same queries run
 * on SQLite and Postgres).
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../storage/schema.ts";

/** Where statistics are read. */
export type StatsDb = Kysely<Database> | Transaction<Database>;

/**
 * A count as a number: Postgres returns `count(*)` as a string (bigint), SQLite as a number.
 *
 * @example
 * num("12"); // 12
 */
export function num(value: unknown): number {
  return Number(value ?? 0) || 0;
}

const day = 86_400_000;

/**
 * The UTC calendar day `days` days before `now` (YYYY-MM-DD), for comparing with stored days.
 *
 * @example
 * dayBefore(new Date("2026-03-08T10:00:00Z"), 6); // "2026-03-02"
 */
export function dayBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * day).toISOString().slice(0, 10);
}
