/**
 * How long the scheduler takes to find and claim the nudges due at one minute
 * among 100,000 learners (one pending nudge job each, spread over the day).
 */
import type { Kysely } from "kysely";
import type { App } from "../src/app.ts";
import { silentLogger } from "../src/log.ts";
import { SqlScheduler } from "../src/scheduler/scheduler.ts";
import type { Database } from "../src/storage/schema.ts";

const learners = Number(process.env.BENCH_LEARNERS ?? 100_000);

async function seed(db: Kysely<Database>, start: Date): Promise<number> {
  const at = start.toISOString();
  let due = 0;
  for (let offset = 0; offset < learners; offset += 1_000) {
    const rows = Array.from({ length: Math.min(1_000, learners - offset) }, (_, i) => {
      const n = offset + i;
      // Learners' hours spread over the day; one in 24 is due at the benchmark's minute.
      const dueAt = new Date(start.getTime() + (n % 24) * 3_600_000);
      if (n % 24 === 0) due += 1;
      return {
        kind: "nudge",
        address: `console:bench${n}`,
        due_at: dueAt.toISOString(),
        payload: "{}",
        unique_key: `nudge:console:bench${n}:${dueAt.toISOString()}`,
        status: "pending",
        attempts: 0,
        lease_until: null,
        last_error: null,
        created_at: at,
        updated_at: at,
      };
    });
    await db.insertInto("jobs").values(rows).execute();
  }
  return due;
}

/** Seeds the jobs and times claiming the due ones. */
export async function benchScheduler(app: App, label: string): Promise<void> {
  const start = new Date("2026-03-02T07:00:00Z");
  const due = await seed(app.store.db, start);
  const scheduler = new SqlScheduler(app.store, silentLogger, { batch: 500 });
  const t = performance.now();
  let claimed = 0;
  for (;;) {
    const batch = await scheduler.claim(start);
    claimed += batch.length;
    if (batch.length < 500) break;
  }
  const ms = performance.now() - t;
  console.log(
    `scheduler on ${label}: found and claimed ${claimed} due nudges (of ${due} due) among ${learners} learners' jobs in ${ms.toFixed(0)} ms`,
  );
}
