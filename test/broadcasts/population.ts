/**
 * A generated population for broadcast tests and the fan-out benchmark,
 * inserted by the database itself (one `INSERT ... SELECT` over a counter),
 * so 40,000 or 1,000,000 people take seconds, not minutes.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../../src/storage/migrations/helpers.ts";
import type { Database } from "../../src/storage/schema.ts";

/** The languages people get, in turn: German, Arabic, none set, Persian, English. */
export const populationLanguages = ["de", "ar", null, "fa", "en"] as const;

/**
 * Inserts `count` people who agreed to storage, are active and want news:
 * even numbers on Telegram (`telegram:<n>`), odd ones on WhatsApp
 * (`whatsapp:<n>`), languages in turn from {@link populationLanguages}.
 * Numbers start at `from` (default 1), so several calls can add more.
 *
 * @example
 * await seedPopulation(app.store.db, app.store.dialect, 40_000, app.clock.now());
 */
export async function seedPopulation(
  db: Kysely<Database>,
  dialect: Dialect,
  count: number,
  now: Date,
  from = 1,
): Promise<void> {
  const at = now.toISOString();
  const last = from + count - 1;
  // SQLite has no generate_series built in: a recursive counter does the same.
  const numbers =
    dialect === "postgres"
      ? sql`with n(i) as (select generate_series(${sql.lit(from)}, ${sql.lit(last)}))`
      : sql`with recursive n(i) as (select ${sql.lit(from)} union all select i + 1 from n where i < ${sql.lit(last)})`;
  const address = sql`(case when i % 2 = 0 then 'telegram:' else 'whatsapp:' end) || cast(i as text)`;
  const language = sql`case i % 5 when 0 then 'de' when 1 then 'ar' when 2 then null when 3 then 'fa' else 'en' end`;
  await sql`${numbers}
    insert into users (address, language, city, time_zone, consent, status, created_at, updated_at, last_inbound_at)
    select ${address}, ${language}, 'leipzig', 'Europe/Berlin', 'given', 'active', ${sql.lit(at)}, ${sql.lit(at)}, ${sql.lit(at)}
    from n`.execute(db);
  await sql`${numbers}
    insert into news_subscriptions (address, created_at) select ${address}, ${sql.lit(at)} from n`.execute(db);
}

/** The language {@link seedPopulation} gives person number `i`. */
export function languageOf(i: number): string | null {
  return populationLanguages[i % 5] ?? null;
}
