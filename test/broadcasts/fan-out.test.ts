/**
 * Fan-out as set operations, on SQLite and (with DATABASE_URL) Postgres: an
 * audience larger than a statement's parameter limit is queued completely,
 * each person in their language, in the bulk lane; a second or interrupted
 * run adds nobody twice; progress shows while it runs; cancelling stops it;
 * and a broadcast's counts are the same after its rows are pruned.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import {
  audienceAddresses,
  audienceReach,
  broadcastCounts,
  cancelBroadcast,
  createBroadcast,
  fanOut,
  queueBroadcast,
} from "../../src/broadcasts/broadcasts.ts";
import type { Address } from "../../src/domain/address.ts";
import { bulkLane } from "../../src/outbox/lanes.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { seedPopulation } from "./population.ts";

const text = {
  en: "The library has free Wi-Fi now.",
  de: "Die Bibliothek hat jetzt freies WLAN.",
  ar: "في المكتبة واي فاي مجاني الآن.",
};

/** The broadcasts' creator is staff: a fan-out checks it before every page. */
const staffAddresses = "console:anna=staff";

for (const backend of backends) {
  describe(`fan-out on ${backend}`, () => {
    let app: TestApp;
    afterEach(async () => {
      await app.dispose();
    });

    const newBroadcast = (sendAt = app.clock.now()) =>
      app.store.transaction((tx) =>
        createBroadcast(
          tx,
          app.scheduler,
          { text, audience: { kind: "news" }, sendAt, createdBy: "console:anna" },
          app.clock.now(),
        ),
      );
    const outboxRows = async (id: number) =>
      Number(
        (
          await app.store.db
            .selectFrom("outbox")
            .select(sql<number>`count(*)`.as("n"))
            .where("broadcast_id", "=", id)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("a broadcast to more than 32,766 people is queued completely, each person in their language or with a note naming the one shown", async () => {
      app = await createTestApp(backend, { staffAddresses });
      await seedPopulation(app.store.db, app.store.dialect, 40_000, app.clock.now());
      const id = await newBroadcast();
      await app.scheduler.runDue(app.clock.now());
      expect(await broadcastCounts(app.store.reader, id)).toMatchObject({
        status: "sending",
        recipients: 40_000,
        queued: 40_000,
      });
      // Every row: the person's language's text (English for none), right to left where theirs is, and where
      // theirs has no text, the default (English) with a note in their language naming it; bulk lane, its channel.
      const rows = await sql<{ language: string | null; payload: string; channel: string; lane: number; n: number }>`
        select users.language, outbox.payload, outbox.channel, outbox.lane, count(*) as n
        from outbox join users on users.address = outbox.address
        where outbox.broadcast_id = ${id}
        group by users.language, outbox.payload, outbox.channel, outbox.lane
        order by users.language, outbox.channel`.execute(app.store.db);
      const expected = (language: string | null): string => {
        if (language === "ar") return `\u200F${text.ar}`;
        if (language === "fa")
          return `${text.en}\n\n\u200F(این بخش هنوز به زبان شما نیست، برای همین به زبان انگلیسی است.)`;
        return text[(language ?? "en") as "en" | "de"];
      };
      expect(rows.rows).toHaveLength(10);
      for (const row of rows.rows) {
        expect(JSON.parse(row.payload)).toEqual({ kind: "text", text: expected(row.language), purpose: "broadcast" });
        expect(Number(row.lane)).toBe(bulkLane);
        expect(Number(row.n)).toBe(4_000);
      }
      expect(new Set(rows.rows.map((r) => r.channel))).toEqual(new Set(["telegram", "whatsapp"]));
      const mismatched = await sql<{ n: number }>`
        select count(*) as n from outbox
        where broadcast_id = ${id} and status = 'queued' and address <> channel || ':' || substr(address, length(channel) + 2)`.execute(
        app.store.db,
      );
      expect(Number(mismatched.rows[0]?.n)).toBe(0);
    }, 60_000);

    it("a second run adds nobody twice, also from the start after the record of progress is lost", async () => {
      app = await createTestApp(backend, { staffAddresses });
      await seedPopulation(app.store.db, app.store.dialect, 3_000, app.clock.now());
      const id = await newBroadcast();
      expect(await app.store.transaction((tx) => fanOut(tx, id, app.content, app.clock.now(), { pageSize: 700 }))).toBe(
        3_000,
      );
      // A repeated job finds it sending and leaves it; a run from the very start adds nobody.
      expect(await app.store.transaction((tx) => fanOut(tx, id, app.content, app.clock.now()))).toBe(0);
      await app.store.db
        .updateTable("broadcasts")
        .set({ status: "queuing", queued_through: null })
        .where("id", "=", id)
        .execute();
      expect(await app.store.transaction((tx) => fanOut(tx, id, app.content, app.clock.now(), { pageSize: 700 }))).toBe(
        0,
      );
      expect(await outboxRows(id)).toBe(3_000);
      expect(await broadcastCounts(app.store.reader, id)).toMatchObject({ recipients: 3_000, queued: 3_000 });
    });

    it("page by page, progress shows while it runs and a run that stopped half way continues where it was", async () => {
      app = await createTestApp(backend, { staffAddresses });
      await seedPopulation(app.store.db, app.store.dialect, 5_000, app.clock.now());
      const id = await newBroadcast();
      const seen: { status: string; recipients: number }[] = [];
      const crash = new Error("the process stopped");
      await expect(
        queueBroadcast(app.store, id, app.content, app.clock.now(), {
          pageSize: 1_000,
          onPage: async () => {
            const counts = await broadcastCounts(app.store.reader, id);
            seen.push({ status: counts?.status ?? "", recipients: counts?.recipients ?? -1 });
            if (seen.length === 2) throw crash;
          },
        }),
      ).rejects.toBe(crash);
      expect(seen).toEqual([
        { status: "queuing", recipients: 1_000 },
        { status: "queuing", recipients: 2_000 },
      ]);
      expect(await queueBroadcast(app.store, id, app.content, app.clock.now(), { pageSize: 1_000 })).toBe(3_000);
      expect(await outboxRows(id)).toBe(5_000);
      expect(await broadcastCounts(app.store.reader, id)).toMatchObject({
        status: "sending",
        recipients: 5_000,
        queued: 5_000,
      });
      const people = await audienceAddresses(app.store.reader, { kind: "news" }, app.content);
      const queuedTo = await app.store.db
        .selectFrom("outbox")
        .select("address")
        .where("broadcast_id", "=", id)
        .orderBy("address")
        .execute();
      expect(queuedTo.map((r) => r.address)).toEqual(people);
    });

    it("cancelled while queuing: the next page stops, and nothing of it stays queued", async () => {
      app = await createTestApp(backend, { staffAddresses });
      await seedPopulation(app.store.db, app.store.dialect, 3_000, app.clock.now());
      const id = await newBroadcast();
      let pages = 0;
      await queueBroadcast(app.store, id, app.content, app.clock.now(), {
        pageSize: 1_000,
        onPage: async () => {
          pages += 1;
          if (pages === 1) {
            expect(await app.store.transaction((tx) => cancelBroadcast(tx, app.scheduler, id, app.clock.now()))).toBe(
              true,
            );
          }
        },
      });
      expect(pages).toBe(2);
      expect(await outboxRows(id)).toBe(0);
      expect(await broadcastCounts(app.store.reader, id)).toMatchObject({ status: "cancelled", queued: 0 });
    });

    it("cancelling broadcast 1 leaves broadcast 12 planned", async () => {
      app = await createTestApp(backend, { staffAddresses });
      await seedPopulation(app.store.db, app.store.dialect, 10, app.clock.now());
      const later = new Date(app.clock.now().getTime() + 3_600_000);
      const ids: number[] = [];
      for (let i = 0; i < 12; i++) ids.push(await newBroadcast(later));
      expect(ids[11]).toBe((ids[0] as number) + 11);
      await app.store.transaction((tx) => cancelBroadcast(tx, app.scheduler, ids[0] as number, app.clock.now()));
      app.clock.advance(2 * 3_600_000);
      await app.scheduler.runDue(app.clock.now());
      expect(await broadcastCounts(app.store.reader, ids[11] as number)).toMatchObject({ recipients: 10 });
      expect(await broadcastCounts(app.store.reader, ids[0] as number)).toMatchObject({
        status: "cancelled",
        recipients: 0,
      });
    });

    it("counts after pruning equal counts before pruning", async () => {
      app = await createTestApp(backend, { staffAddresses });
      await seedPopulation(app.store.db, app.store.dialect, 40, app.clock.now());
      const id = await newBroadcast();
      await app.scheduler.runDue(app.clock.now());
      // Delivery outcomes as the sender and the platforms' status callbacks leave them.
      const sent = app.clock.now().toISOString();
      const setStatus = (status: string, addresses: string[]) =>
        app.store.db
          .updateTable("outbox")
          .set({ status, sent_at: sent, updated_at: sent })
          .where("broadcast_id", "=", id)
          .where("address", "in", addresses)
          .execute();
      const people = await audienceAddresses(app.store.reader, { kind: "news" }, app.content);
      await setStatus("sent", people.slice(0, 10));
      await setStatus("delivered", people.slice(10, 20));
      await setStatus("read", people.slice(20, 27));
      await setStatus("failed", people.slice(27, 30));
      // A reply pruned at the same time, and 10 of the broadcast still queued (never pruned).
      await app.store.transaction((tx) =>
        tx.enqueue("telegram:2" as Address, [{ kind: "text", text: "hi" }], app.clock.now()),
      );
      await app.store.db.updateTable("outbox").set({ status: "sent" }).where("broadcast_id", "is", null).execute();
      const before = await broadcastCounts(app.store.reader, id);
      expect(before).toMatchObject({ recipients: 40, queued: 10, sent: 10, delivered: 10, read: 7, failed: 3 });
      expect(await app.store.pruneOutbox(new Date(app.clock.now().getTime() + 30 * 86_400_000))).toBe(31);
      expect(await outboxRows(id)).toBe(10);
      expect(await broadcastCounts(app.store.reader, id)).toEqual(before);
      // Pruning again deletes nothing more and counts nothing twice.
      expect(await app.store.pruneOutbox(new Date(app.clock.now().getTime() + 30 * 86_400_000))).toBe(0);
      expect(await broadcastCounts(app.store.reader, id)).toEqual(before);
    });

    it("the reach preview counts the same people the fan-out queues, by channel", async () => {
      app = await createTestApp(backend, { staffAddresses });
      await seedPopulation(app.store.db, app.store.dialect, 101, app.clock.now());
      await app.store.db.updateTable("users").set({ status: "stopped" }).where("address", "=", "telegram:2").execute();
      await app.store.db
        .updateTable("users")
        .set({ last_inbound_at: "2026-02-01T00:00:00.000Z" })
        .where("address", "in", ["whatsapp:1", "whatsapp:3"])
        .execute();
      const reach = await app.store.transaction((tx) =>
        audienceReach(tx, { kind: "news" }, app.content, app.clock.now()),
      );
      expect(reach).toEqual({ total: 100, telegram: 49, whatsapp: 51, other: 0, whatsappOutsideWindow: 2 });
      const id = await newBroadcast();
      await app.scheduler.runDue(app.clock.now());
      expect(await outboxRows(id)).toBe(reach.total);
    });
  });
}
