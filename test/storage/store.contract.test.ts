/**
 * The storage port's contract, run against SQLite always and against Postgres
 * whenever DATABASE_URL is set (CI sets it).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { Store } from "../../src/storage/store.ts";
import { backends, dropSchema, uniqueSchema } from "../support/app.ts";

const alice = "console:alice" as Address;
const bob = "console:bob" as Address;
const t0 = new Date("2026-03-02T09:00:00.000Z");

describe.each(backends)("storage contract on %s", (backend) => {
  let store: Store;
  let schema: string | undefined;

  beforeEach(async () => {
    schema = backend === "postgres" ? uniqueSchema() : undefined;
    store = new Store(
      await openDatabase({
        databaseUrl: backend === "postgres" ? process.env.DATABASE_URL : undefined,
        sqlitePath: ":memory:",
        schema,
      }),
    );
  });
  afterEach(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
  });

  it("records an inbound id once and reports the duplicate", async () => {
    expect(await store.transaction((tx) => tx.recordInbound("wamid.1", t0))).toBe(true);
    expect(await store.transaction((tx) => tx.recordInbound("wamid.1", t0))).toBe(false);
    expect(await store.transaction((tx) => tx.recordInbound("wamid.2", t0))).toBe(true);
  });

  it("creates a user on first lock with defaults, and keeps changes", async () => {
    const created = await store.transaction((tx) => tx.lockUser(alice, "Europe/Rome", t0));
    expect(created).toMatchObject({
      address: alice,
      language: null,
      city: null,
      timeZone: "Europe/Rome",
      consent: "pending",
      status: "active",
    });
    await store.transaction((tx) =>
      tx.updateUser(alice, { language: "ar", city: "palermo", consent: "given", lastInboundAt: t0 }, t0),
    );
    const again = await store.transaction((tx) => tx.lockUser(alice, "UTC", t0));
    expect(again).toMatchObject({ language: "ar", city: "palermo", timeZone: "Europe/Rome", consent: "given" });
    expect(again.lastInboundAt?.toISOString()).toBe(t0.toISOString());
  });

  it("saves, replaces and deletes a conversation", async () => {
    await store.transaction((tx) => tx.lockUser(alice, "UTC", t0));
    const record = { address: alice, flowId: "menu", flowVersion: 1, snapshot: "{}", prompt: null, misses: 0 };
    await store.transaction((tx) => tx.saveConversation(record, t0));
    await store.transaction((tx) => tx.saveConversation({ ...record, flowId: "settings", misses: 2 }, t0));
    expect(await store.reader.getConversation(alice)).toMatchObject({ flowId: "settings", misses: 2 });
    await store.transaction((tx) => tx.deleteConversation(alice));
    expect(await store.reader.getConversation(alice)).toBeUndefined();
  });

  it("hands queued messages to a pull channel once, in order, per address", async () => {
    await store.transaction(async (tx) => {
      await tx.enqueue(
        alice,
        [
          { kind: "text", text: "one" },
          { kind: "text", text: "two" },
        ],
        t0,
      );
      await tx.enqueue(bob, [{ kind: "text", text: "for bob" }], t0);
      await tx.enqueue(alice, [{ kind: "text", text: "three" }], t0);
    });
    const first = await store.takeOutboxFor(alice, t0);
    expect(first.map((m) => (m.outbound.kind === "text" ? m.outbound.text : ""))).toEqual(["one", "two", "three"]);
    expect(await store.takeOutboxFor(alice, t0)).toEqual([]);
    expect((await store.takeOutboxFor(bob, t0)).length).toBe(1);
  });

  it("ends a turn: saves the conversation and queues its replies together, or either alone", async () => {
    await store.transaction((tx) => tx.lockUser(alice, "UTC", t0));
    const record = { address: alice, flowId: "lessons", flowVersion: 2, snapshot: '{"s":1}', prompt: "{}", misses: 1 };
    const replies = (...texts: string[]) =>
      texts.map((text) => ({ message: { kind: "text", text } as const, purge: text === "goodbye" }));
    let queued = 0;
    const unsubscribe = store.onEnqueued(() => {
      queued += 1;
    });
    await store.transaction((tx) => tx.saveTurn(record, alice, replies("page 1", "goodbye"), t0));
    expect(await store.reader.getConversation(alice)).toMatchObject({ flowId: "lessons", misses: 1, prompt: "{}" });
    await store.transaction((tx) => tx.saveTurn({ ...record, misses: 0 }, alice, [], t0));
    await store.transaction((tx) => tx.saveTurn(undefined, alice, replies("page 2"), t0));
    unsubscribe();
    expect(await store.reader.getConversation(alice)).toMatchObject({ misses: 0 });
    const sent = await store.takeOutboxFor(alice, t0);
    expect(sent.map((m) => (m.outbound.kind === "text" ? m.outbound.text : ""))).toEqual([
      "page 1",
      "goodbye",
      "page 2",
    ]);
    // The sender is told of every transaction that queued something.
    expect(queued).toBe(2);
  });

  it("a rolled-back transaction stores nothing", async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.recordInbound("m-rollback", t0);
        await tx.lockUser(alice, "UTC", t0);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await store.reader.getUser(alice)).toBeUndefined();
    expect(await store.transaction((tx) => tx.recordInbound("m-rollback", t0))).toBe(true);
  });

  it("erases every row of one address and nothing of another", async () => {
    for (const who of [alice, bob]) {
      await store.transaction(async (tx) => {
        await tx.lockUser(who, "UTC", t0);
        await tx.saveConversation(
          { address: who, flowId: "menu", flowVersion: 1, snapshot: "{}", prompt: null, misses: 0 },
          t0,
        );
        await tx.enqueue(who, [{ kind: "text", text: "hello" }], t0);
      });
    }
    expect((await store.reader.exportData(alice)).counts).toMatchObject({ conversations: 1, outbox: 1, users: 1 });
    await store.transaction((tx) => tx.eraseAddress(alice));
    const erased = (await store.reader.exportData(alice)).counts;
    expect(Object.values(erased).every((n) => n === 0)).toBe(true);
    expect((await store.reader.exportData(bob)).counts).toMatchObject({ conversations: 1, outbox: 1, users: 1 });
  });

  it("prunes old inbound ids and old delivered messages, never queued ones", async () => {
    const old = new Date("2026-01-01T00:00:00Z");
    await store.transaction(async (tx) => {
      await tx.recordInbound("old", old);
      await tx.recordInbound("new", t0);
      await tx.enqueue(alice, [{ kind: "text", text: "delivered long ago" }], old);
      await tx.enqueue(bob, [{ kind: "text", text: "still queued" }], old);
    });
    await store.takeOutboxFor(alice, old);
    expect(await store.pruneInbound(new Date("2026-02-01T00:00:00Z"))).toBe(1);
    expect(await store.pruneOutbox(new Date("2026-02-01T00:00:00Z"))).toBe(1);
    expect((await store.takeOutboxFor(bob, t0)).length).toBe(1);
  });

  it("migrating an up-to-date database again changes nothing", async () => {
    const { migrateToLatest } = await import("../../src/storage/migrations/index.ts");
    expect(await migrateToLatest(store.db as never, store.dialect, schema)).toEqual([]);
  });
});
