/**
 * Statements run straight on better-sqlite3 inside a group-commit batch (src/storage/direct-sqlite.ts):
 * the same results as through Kysely, a failure reported and confined to its own transaction, and
 * nothing outside a batch runs that way.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toAddress } from "../../src/domain/address.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { directFor } from "../../src/storage/direct-sqlite.ts";
import { prepared } from "../../src/storage/prepared.ts";
import { Store } from "../../src/storage/store.ts";

let dir: string;
let store: Store;
let queryErrors: unknown[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "lotse-direct-"));
  queryErrors = [];
  store = new Store(
    await openDatabase({ sqlitePath: join(dir, "lotse.db"), onQueryError: (error) => queryErrors.push(error) }),
  );
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = new Date("2026-11-30T10:00:00Z");
const seen = prepared((db, p: { id: string; at: string }) =>
  db.insertInto("inbound_seen").values({ id: p.id, seen_at: p.at }),
);

describe("direct statements in a group commit", () => {
  it("run only inside a group-commit transaction, never on the database outside one", async () => {
    const inside = await store.transaction(async (tx) => directFor(tx.db) !== undefined);
    expect(inside).toBe(true);
    expect(directFor(store.db)).toBeUndefined();
    expect(directFor(store.reader.db)).toBeUndefined();
  });

  it("give the results Kysely gave: the person's row, a conversation, counts of changed rows", async () => {
    const address = toAddress("telegram", "42");
    const first = await store.transaction(async (tx) => {
      const recorded = await tx.recordMessage("m1", address, "Europe/Berlin", now);
      await tx.saveConversation(
        { address, flowId: "menu", flowVersion: 1, snapshot: "{}", prompt: null, misses: 0 },
        now,
      );
      return {
        user: recorded?.user,
        conversation: await tx.getConversation(address),
        again: await tx.recordInbound("m1", now),
      };
    });
    expect(first.user).toMatchObject({ address, timeZone: "Europe/Berlin", consent: "pending" });
    expect(first.conversation).toMatchObject({ flowId: "menu", flowVersion: 1, misses: 0 });
    expect(first.again).toBe(false);
    // The same reads through Kysely, outside a batch, see what the direct statements wrote.
    expect(await store.reader.getConversation(address)).toEqual(first.conversation);
    expect((await store.reader.getUser(address))?.lastInboundAt).toEqual(now);
  });

  it("report a failing statement as a failed query and roll back only its own transaction", async () => {
    const results = await Promise.allSettled([
      store.transaction((tx) => seen(tx.db, { id: "a", at: now.toISOString() })),
      store.transaction(async (tx) => {
        await seen(tx.db, { id: "b", at: now.toISOString() });
        await seen(tx.db, { id: "b", at: now.toISOString() }); // the primary key refuses it
      }),
      store.transaction((tx) => seen(tx.db, { id: "c", at: now.toISOString() })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(queryErrors).toHaveLength(1);
    const ids = await store.db.selectFrom("inbound_seen").select("id").orderBy("id").execute();
    expect(ids.map((r) => r.id)).toEqual(["a", "c"]);
  });
});
