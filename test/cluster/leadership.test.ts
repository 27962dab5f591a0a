/**
 * "One process at a time": on SQLite the only process leads; on Postgres two
 * holders of one name never lead together, and the follower takes over when
 * the leader stops or its connection dies (the lock goes with the session).
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { holdLeadership, type Leadership, lockKeyFor } from "../../src/cluster/leadership.ts";
import { silentLogger } from "../../src/log.ts";
import { uniqueSchema } from "../support/app.ts";

/** Polls a condition, a bounded number of times (no timing is asserted, only the end state). */
async function eventually(condition: () => boolean, tries = 200, stepMs = 25): Promise<void> {
  for (let i = 0; i < tries && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, stepMs));
  expect(condition()).toBe(true);
}

describe("leadership without Postgres (SQLite: one process)", () => {
  it("leads at once and gives up on stop", async () => {
    const events: string[] = [];
    const held = holdLeadership({
      databaseUrl: undefined,
      name: "telegram:1",
      logger: silentLogger,
      onGain: () => void events.push("gain"),
      onLose: () => void events.push("lose"),
    });
    expect(held.isLeader()).toBe(true);
    await held.ready;
    await held.stop();
    await held.stop();
    expect(held.isLeader()).toBe(false);
    expect(events).toEqual(["gain", "lose"]);
  });
});

describe("lock keys", () => {
  it("differ by name and by schema, and are stable", () => {
    expect(lockKeyFor("telegram:123456")).toBe("-4236476366434910715");
    expect(lockKeyFor("telegram:123456", "t_a")).not.toBe(lockKeyFor("telegram:123456", "t_b"));
    expect(lockKeyFor("outbox")).not.toBe(lockKeyFor("telegram:123456"));
  });
});

describe.runIf(process.env.DATABASE_URL)("leadership on Postgres (two processes)", () => {
  const databaseUrl = process.env.DATABASE_URL;
  const held: Leadership[] = [];
  afterEach(async () => {
    for (const h of held.splice(0)) await h.stop();
  });

  /** A holder recording its gains and losses into a shared log, tagged with `who`. */
  function holder(who: string, name: string, pgSchema: string, log: string[]): Leadership {
    const h = holdLeadership({
      databaseUrl,
      pgSchema,
      name,
      logger: silentLogger,
      retryMs: 20,
      onGain: () => void log.push(`${who} gains`),
      onLose: () => void log.push(`${who} loses`),
    });
    held.push(h);
    return h;
  }

  it("lets only one of two lead, and the other take over when the leader stops", async () => {
    const schema = uniqueSchema();
    const log: string[] = [];
    const a = holder("a", "telegram:1", schema, log);
    await a.ready;
    const b = holder("b", "telegram:1", schema, log);
    await b.ready;
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    // b keeps trying and keeps failing while a holds the lock.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    await a.stop();
    await eventually(() => b.isLeader());
    // a's work ended before b's began.
    expect(log).toEqual(["a gains", "a loses", "b gains"]);
  });

  it("does not let holders of different names or schemas block each other", async () => {
    const log: string[] = [];
    const schema = uniqueSchema();
    const leaders = [
      holder("a", "telegram:1", schema, log),
      holder("b", "telegram:2", schema, log),
      holder("c", "telegram:1", uniqueSchema(), log),
    ];
    for (const h of leaders) await h.ready;
    expect(leaders.map((h) => h.isLeader())).toEqual([true, true, true]);
  });

  it("survives its connection being terminated: the leader steps down, then one leads again", async () => {
    const schema = uniqueSchema();
    const log: string[] = [];
    const a = holder("a", "telegram:1", schema, log);
    await a.ready;
    const b = holder("b", "telegram:1", schema, log);
    await b.ready;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      // The session holding this lock: what a database restart, failover or proxy timeout would end.
      const key = BigInt(lockKeyFor("telegram:1", schema));
      const unsigned = BigInt.asUintN(64, key);
      const { rows } = await admin.query<{ pid: number }>(
        `select pid from pg_locks where locktype = 'advisory' and granted
           and classid = $1::bigint::oid and objid = $2::bigint::oid and objsubid = 1`,
        [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()],
      );
      expect(rows).toHaveLength(1);
      await admin.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
    } finally {
      await admin.end();
    }
    // a notices and steps down; then whichever tries first leads again, and only one.
    await eventually(() => log.length >= 3);
    expect(log.slice(0, 2)).toEqual(["a gains", "a loses"]);
    expect(["a gains", "b gains"]).toContain(log[2]);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
  });
});
