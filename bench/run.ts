/**
 * `npm run bench:engine`: measured figures, never assertions. Runs the message path
 * (dedupe, lock, flow step, snapshot, outbox) for many people on a SQLite file
 * (and on Postgres when DATABASE_URL is set) and prints throughput and latency.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createApp } from "../src/app.ts";
import type { Address } from "../src/domain/address.ts";
import { benchFanOut } from "./fanout.ts";
import { benchScheduler } from "./scheduler.ts";

const people = Number(process.env.BENCH_PEOPLE ?? 500);
const script = ["hi", "English", "Leipzig", "yes", "1", "back", "2", "1"];

async function run(label: string, options: Parameters<typeof createApp>[0]): Promise<void> {
  const app = await createApp(options);
  const latencies: number[] = [];
  const started = performance.now();
  // People write at the same time; each person's messages stay in order.
  await Promise.all(
    Array.from({ length: people }, async (_, p) => {
      const address = `console:bench${p}` as Address;
      for (const [i, text] of script.entries()) {
        const t = performance.now();
        await app.engine.handle({ id: `b${p}-${i}`, address, kind: "text", text, receivedAt: new Date() });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(1);
  console.log(
    `${label}: ${latencies.length} messages from ${people} people in ${seconds.toFixed(2)} s = ${(latencies.length / seconds).toFixed(0)} messages/s; latency p50 ${at(0.5)} ms, p95 ${at(0.95)} ms (includes waiting for other people's transactions)`,
  );
  console.log(`  heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
  await benchScheduler(app, label.replace("engine on ", ""));
  await benchFanOut(app);
  await app.close();
}

const dir = mkdtempSync(join(tmpdir(), "lotse-bench-"));
try {
  await run("engine on SQLite (WAL file)", { sqlitePath: join(dir, "bench.db") });
  if (process.env.DATABASE_URL) {
    const schema = `bench_${Date.now().toString(36)}`;
    await run("engine on Postgres", {
      databaseUrl: process.env.DATABASE_URL,
      sqlitePath: ":memory:",
      pgSchema: schema,
    });
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`drop schema ${schema} cascade`);
    await client.end();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
