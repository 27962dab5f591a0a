import { defineConfig } from "vitest/config";

/**
 * Tests that measure timing under load (three processes sending a 20,000 broadcast while 300 people
 * chat) or drive a real browser: they run after the rest, one file at a time, so the other tests (and
 * chromium) do not take the CPU the timing assertions measure on a two-core machine.
 */
const heavy = ["test/cluster/three-processes.test.ts", "test/browser/**/*.test.ts"];

const shared = {
  testTimeout: 60_000,
  hookTimeout: 30_000,
  pool: "forks" as const,
  // Each test file gets a Postgres database of its own (test/support/postgres-file.ts), so files share
  // nothing in Postgres and can run in parallel; test apps start from a schema migrated once per run.
  globalSetup: ["test/support/postgres-run.ts"],
  setupFiles: ["test/support/postgres-file.ts"],
};

export default defineConfig({
  test: {
    // Vitest's default is one worker less than the cores: one on the two-core CI machine, which ran
    // the suite file after file (CI took 24 minutes). The "heavy" project still runs one file at a time.
    maxWorkers: 2,
    projects: [
      {
        test: { ...shared, name: "main", include: ["test/**/*.test.ts"], exclude: heavy, sequence: { groupOrder: 0 } },
      },
      { test: { ...shared, name: "heavy", include: heavy, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
