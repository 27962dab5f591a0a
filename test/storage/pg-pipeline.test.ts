/**
 * The pipelined connections of shared transactions (src/storage/pg-pipeline.ts) send the statements
 * that works send at the same time together: one write to the socket, not one per statement.
 */
import { Socket } from "node:net";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { type PipelinedConnections, pipelinedConnections } from "../../src/storage/pg-pipeline.ts";

describe.skipIf(!process.env.DATABASE_URL)("pipelined connections (needs DATABASE_URL)", () => {
  let pipelined: PipelinedConnections | undefined;
  afterEach(async () => {
    await pipelined?.end();
    pipelined = undefined;
  });

  /** How many times sockets wrote while `run` ran (each is one system call). */
  async function socketWrites(run: () => Promise<unknown>): Promise<number> {
    const prototype = Socket.prototype as unknown as Record<"_write" | "_writev", (...args: unknown[]) => unknown>;
    const original = { _write: prototype._write, _writev: prototype._writev };
    let writes = 0;
    for (const name of ["_write", "_writev"] as const) {
      prototype[name] = function (this: unknown, ...args: unknown[]) {
        writes += 1;
        return original[name].apply(this, args);
      };
    }
    try {
      await run();
    } finally {
      Object.assign(prototype, original);
    }
    return writes;
  }

  // Regression (issue 16): pg wrote every statement on its own, and those system calls were 13% of the
  // Postgres quiz bench's main thread.
  it("sends the statements of works running at the same time in one write", async () => {
    pipelined = pipelinedConnections({ url: process.env.DATABASE_URL as string, max: 1, log: () => undefined });
    const lent = await pipelined.lend();
    try {
      await sql`select 1`.execute(lent.db);
      let answers: number[] = [];
      const writes = await socketWrites(async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => sql<{ n: number }>`select ${i}::int as n`.execute(lent.db)),
        );
        answers = results.map((r) => r.rows[0]?.n ?? -1);
      });
      expect(answers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(writes).toBe(1);
      // Statements sent one after the other still each go out at once (nothing waits for a next one).
      expect(await socketWrites(() => sql`select 1`.execute(lent.db))).toBe(1);
    } finally {
      lent.giveBack();
    }
  });
});
