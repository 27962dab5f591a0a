/**
 * Who uses Lotse, in totals: people who agreed to storage, by city, by language and by channel, and
 * how many were active lately. No address leaves these queries, only counts.
 */
import { channels } from "../domain/address.ts";
import { dayBefore, num, type StatsDb } from "./db.ts";

/** One group and how many people are in it; `key` null means "not chosen". */
export interface CountRow {
  key: string | null;
  count: number;
}

/** People who agreed to storage, in total and by one dimension at a time. */
export interface PeopleStats {
  total: number;
  byCity: CountRow[];
  byLanguage: CountRow[];
  byChannel: CountRow[];
}

/** People active in the last 7 and 30 days. */
export interface ActivityStats {
  /** People with a learning day (a lesson step or a quiz answer) within the last 7 / 30 days. */
  learners7: number;
  learners30: number;
  /** People who wrote to Lotse within the last 7 / 30 days. */
  active7: number;
  active30: number;
}

/**
 * People who agreed to storage, by city, language and channel (largest group first).
 *
 * @example
 * const { total, byCity } = await peopleStats(app.store.db);
 */
export async function peopleStats(db: StatsDb): Promise<PeopleStats> {
  const given = db.selectFrom("users").where("consent", "=", "given");
  const total = num((await given.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst())?.n);
  const grouped = async (column: "city" | "language"): Promise<CountRow[]> => {
    const rows = await given
      .select([column, (eb) => eb.fn.countAll().as("n")])
      .groupBy(column)
      .execute();
    return sortRows(rows.map((r) => ({ key: r[column] ?? null, count: num(r.n) })));
  };
  const byChannel: CountRow[] = [];
  // The channel is the address's prefix: one count per known channel keeps the query the same on both databases.
  for (const channel of channels) {
    const row = await given
      .select((eb) => eb.fn.countAll().as("n"))
      .where("address", "like", `${channel}:%`)
      .executeTakeFirst();
    const count = num(row?.n);
    if (count > 0) byChannel.push({ key: channel, count });
  }
  return {
    total,
    byCity: await grouped("city"),
    byLanguage: await grouped("language"),
    byChannel: sortRows(byChannel),
  };
}

/**
 * Active learners and active people in the last 7 and 30 days (today included).
 *
 * @example
 * const { learners7 } = await activityStats(app.store.db, new Date());
 */
export async function activityStats(db: StatsDb, now: Date): Promise<ActivityStats> {
  // Learning days are the person's local days; counting from the UTC day is at most a few hours off.
  const learners = async (days: number) => {
    const row = await db
      .selectFrom("learning_days")
      .select((eb) => eb.fn.count("address").distinct().as("n"))
      .where("day", ">=", dayBefore(now, days - 1))
      .executeTakeFirst();
    return num(row?.n);
  };
  const active = async (days: number) => {
    const row = await db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("last_inbound_at", ">=", new Date(now.getTime() - days * 86_400_000).toISOString())
      .executeTakeFirst();
    return num(row?.n);
  };
  return {
    learners7: await learners(7),
    learners30: await learners(30),
    active7: await active(7),
    active30: await active(30),
  };
}

function sortRows(rows: CountRow[]): CountRow[] {
  return rows.sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
}
