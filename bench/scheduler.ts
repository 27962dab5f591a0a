/**
 * The scheduler at a million learners: every learner is a real user (consent
 * given, a language, a time zone) with a nudge hour and one pending nudge job;
 * one in 24 is due at the benchmark's minute. Times one tick that claims the
 * due jobs and runs the real nudge handler (which queues the nudges in the
 * outbox), then a tick with nothing due. Prints one JSON line per figure.
 */
import { type Kysely, sql } from "kysely";
import type { App } from "../src/app.ts";
import { silentLogger } from "../src/log.ts";
import { SqlScheduler } from "../src/scheduler/scheduler.ts";
import type { Database } from "../src/storage/schema.ts";

const learners = Number(process.env.BENCH_LEARNERS ?? 1_000_000);
/** The benchmark's minute: 08:00 in Berlin, outside the default quiet hours (21 to 8). */
const start = new Date("2026-03-02T07:00:00Z");
const berlinOffsetHours = 1;

/** One JSON line per figure, so runs can be compared by a script. */
function figure(name: string, db: string, value: number, extra: Record<string, number> = {}): void {
  console.log(JSON.stringify({ figure: name, db, ...extra, learners, value: Number(value.toFixed(3)) }));
}

/**
 * Seeds users, their nudge settings and one pending nudge job each, with
 * `insert ... select` over a number series (generate_series on Postgres, a
 * recursive CTE on SQLite): a million rows in seconds, not a million statements.
 */
async function seed(db: Kysely<Database>, dialect: "sqlite" | "postgres"): Promise<number> {
  const at = start.toISOString();
  // Learner i's nudge is due i % 24 hours after the benchmark's minute, at their chosen local hour.
  const hours = Array.from({ length: 24 }, (_, h) => {
    const dueAt = new Date(start.getTime() + h * 3_600_000).toISOString();
    const localHour = (start.getUTCHours() + berlinOffsetHours + h) % 24;
    return sql`(${sql.lit(h)}, ${sql.lit(dueAt)}, ${sql.lit(localHour)})`;
  });
  const series =
    dialect === "postgres"
      ? { with: sql``, from: sql`generate_series(0, ${sql.lit(learners - 1)}) as n(i)` }
      : {
          with: sql`n(i) as (select 0 union all select i + 1 from n where i < ${sql.lit(learners - 1)}),`,
          from: sql`n`,
        };
  const withClause = sql`with recursive ${series.with} hours(h, due_at, hour) as (values ${sql.join(hours)})`;
  const address = sql`${sql.lit("console:learner")} || i`;
  await db.transaction().execute(async (trx) => {
    const exec = (statement: ReturnType<typeof sql>) => statement.execute(trx);
    await exec(sql`${withClause}
      insert into users (address, language, city, time_zone, consent, status, created_at, updated_at, last_inbound_at)
      select ${address}, 'en', null, 'Europe/Berlin', 'given', 'active', ${sql.lit(at)}, ${sql.lit(at)}, null
      from ${series.from}`);
    await exec(sql`${withClause}
      insert into nudge_settings (address, hour, unanswered, paused, last_sent_day, updated_at)
      select ${address}, hours.hour, 0, 0, null, ${sql.lit(at)}
      from ${series.from} join hours on hours.h = i % 24`);
    await exec(sql`${withClause}
      insert into jobs (kind, address, due_at, payload, unique_key, status, attempts, lease_until, last_error, created_at, updated_at, claim_at)
      select 'nudge', ${address}, hours.due_at, '{}', 'nudge:' || ${address} || ':' || hours.due_at, 'pending', 0, null, null,
        ${sql.lit(at)}, ${sql.lit(at)}, hours.due_at
      from ${series.from} join hours on hours.h = i % 24`);
  });
  await sql`analyze`.execute(db);
  return Math.ceil(learners / 24);
}

async function countNudgesQueued(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("address", "like", "console:learner%")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Seeds a million learners, then times claiming and queueing the due nudges, and an idle tick. */
export async function benchScheduler(app: App, _label: string): Promise<void> {
  const dialect = app.store.dialect;
  let t = performance.now();
  const due = await seed(app.store.db, dialect);
  figure("scheduler_seed_seconds", dialect, (performance.now() - t) / 1000);

  // The claim alone (the figure the issue measured at 11.2 s on Postgres): lease every due job, then
  // put them back as they were.
  const claimer = new SqlScheduler(app.store, silentLogger, { batch: 500 });
  t = performance.now();
  let claimed = 0;
  for (let batch = await claimer.claim(start); batch.length > 0; batch = await claimer.claim(start)) {
    claimed += batch.length;
  }
  figure("scheduler_claim_seconds", dialect, (performance.now() - t) / 1000, { due, claimed });
  await sql`update jobs set status = 'pending', attempts = 0, lease_until = null, claim_at = due_at
    where status = 'running'`.execute(app.store.db);

  t = performance.now();
  const report = await app.scheduler.runDue(start);
  const seconds = (performance.now() - t) / 1000;
  const queued = await countNudgesQueued(app.store.db);
  figure("scheduler_claim_and_queue_seconds", dialect, seconds, {
    due,
    ran: report.ran,
    failed: report.failed,
    queued,
  });

  // Nothing is due a minute later (the next nudges are tomorrow's and the other hours').
  const idle: number[] = [];
  const next = new Date(start.getTime() + 60_000);
  for (let i = 0; i < 20; i += 1) {
    t = performance.now();
    await app.scheduler.runDue(next);
    idle.push(performance.now() - t);
  }
  idle.sort((a, b) => a - b);
  figure("scheduler_idle_tick_ms", dialect, idle[Math.floor(idle.length / 2)] ?? 0, { p95: idle[18] ?? 0 });
}
