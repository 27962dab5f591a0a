import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Postgres tests each use their own schema, so files can run in parallel.
    pool: "forks",
  },
});
