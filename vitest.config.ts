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
  // Postgres tests each use their own schema, so files can run in parallel.
  pool: "forks" as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: { ...shared, name: "main", include: ["test/**/*.test.ts"], exclude: heavy, sequence: { groupOrder: 0 } },
      },
      { test: { ...shared, name: "heavy", include: heavy, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
