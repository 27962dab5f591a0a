/**
 * How long queuing a broadcast takes: 200,000 people on SQLite, 1,000,000 on
 * Postgres (all agreed, active, want news; languages and channels mixed).
 * Times both drivers: the scheduler job's (every page in the job's one
 * transaction) and page by page (one transaction per page). Prints one JSON
 * line per figure, such as
 * {"figure":"fanout_seconds","db":"sqlite","recipients":200000,"value":3.2}.
 */
import { sql } from "kysely";
import type { App } from "../src/app.ts";
import {
  audienceReach,
  broadcastCounts,
  createBroadcast,
  fanOut,
  queueBroadcast,
} from "../src/broadcasts/broadcasts.ts";
import { defaultPageSize } from "../src/broadcasts/fan-out.ts";
import { seedPopulation } from "../test/broadcasts/population.ts";

const sizes = {
  sqlite: Number(process.env.BENCH_FANOUT_SQLITE ?? 200_000),
  postgres: Number(process.env.BENCH_FANOUT_POSTGRES ?? 1_000_000),
};
const pageSize = Number(process.env.BENCH_FANOUT_PAGE ?? defaultPageSize);

function figure(name: string, db: string, recipients: number, value: number): void {
  console.log(JSON.stringify({ figure: name, db, recipients, value: Math.round(value * 100) / 100 }));
}

/** Seeds the population, then queues one broadcast per driver and prints the figures. */
export async function benchFanOut(app: App): Promise<void> {
  const db = app.store.dialect;
  const people = sizes[db];
  const now = app.clock.now();
  let t = performance.now();
  await seedPopulation(app.store.db, db, people, now);
  figure("fanout_seed_seconds", db, people, (performance.now() - t) / 1000);
  // A live Postgres has statistics (autovacuum analyzes after big changes); a table filled a
  // moment ago has none, and its planner would guess a handful of rows and scan instead of paging.
  if (db === "postgres") await sql`analyze`.execute(app.store.db);

  const create = () =>
    app.store.transaction((tx) =>
      createBroadcast(
        tx,
        app.scheduler,
        {
          text: { en: "The library has free Wi-Fi now.", de: "Die Bibliothek hat jetzt freies WLAN." },
          audience: { kind: "news" },
          // Far ahead, so the minute tick never runs it: the benchmark does.
          sendAt: new Date(now.getTime() + 365 * 86_400_000),
          createdBy: "bench",
        },
        now,
      ),
    );

  const job = await create();
  t = performance.now();
  await app.store.transaction((tx) => fanOut(tx, job, app.content, now, { pageSize }));
  const jobSeconds = (performance.now() - t) / 1000;
  const jobCounts = await broadcastCounts(app.store.reader, job);
  figure("fanout_seconds", db, jobCounts?.queued ?? 0, jobSeconds);

  const paged = await create();
  let pages = 0;
  t = performance.now();
  await queueBroadcast(app.store, paged, app.content, now, {
    pageSize,
    onPage: () => {
      pages += 1;
    },
  });
  const pagedSeconds = (performance.now() - t) / 1000;
  const pagedCounts = await broadcastCounts(app.store.reader, paged);
  figure("fanout_paged_seconds", db, pagedCounts?.queued ?? 0, pagedSeconds);
  figure("fanout_page_ms", db, pagedCounts?.queued ?? 0, (pagedSeconds * 1000) / Math.max(1, pages));
  // The whole audience (the engine benchmark's people may have said yes to news too).
  const expected = (await audienceReach(app.store.reader, { kind: "news" }, app.content, now)).total;
  if (jobCounts?.queued !== expected || pagedCounts?.queued !== expected) {
    console.log(JSON.stringify({ figure: "fanout_incomplete", db, expected, job: jobCounts, paged: pagedCounts }));
  }
}
