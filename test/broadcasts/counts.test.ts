/**
 * Live delivery counts per channel, on SQLite and (with DATABASE_URL) Postgres: queued, sending,
 * sent, failed with reasons grouped, and delivered and read for WhatsApp only (Telegram's are null,
 * "not reported", never 0); the same figures after the outbox is pruned, per channel and reason.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createBroadcast, deliveryCounts, everyone } from "../../src/broadcasts/broadcasts.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { addPeople } from "./people.ts";

for (const backend of backends) {
  describe(`delivery counts on ${backend}`, () => {
    let app: TestApp;
    afterEach(() => app.dispose());

    /** A broadcast queued to 6 Telegram and 7 WhatsApp people; returns its id. */
    async function queued(): Promise<number> {
      app = await createTestApp(backend, { staffAddresses: "telegram:100=staff" });
      await addPeople(app, [
        ...Array.from({ length: 6 }, (_, i) => ({ address: `telegram:${10 + i}`, city: "mainz" })),
        ...Array.from({ length: 7 }, (_, i) => ({ address: `whatsapp:${4917000 + i}`, city: "mainz" })),
      ]);
      const now = app.clock.now();
      const id = await app.store.transaction((tx) =>
        createBroadcast(
          tx,
          app.scheduler,
          { text: { en: "Hello" }, audience: everyone, sendAt: now, createdBy: "telegram:100" },
          now,
        ),
      );
      await app.scheduler.runDue(now);
      return id;
    }

    /** Sets outcomes as the sender and the platforms' status callbacks leave them. */
    async function outcome(id: number, addresses: string[], status: string, error: string | null = null) {
      const at = app.clock.now().toISOString();
      await app.store.db
        .updateTable("outbox")
        .set({ status, error, sent_at: at, updated_at: at })
        .where("broadcast_id", "=", id)
        .where("address", "in", addresses)
        .execute();
    }

    async function outcomes(id: number, withSending: boolean) {
      await outcome(id, ["telegram:10", "telegram:11", "telegram:12"], "sent");
      await outcome(id, ["telegram:13"], "failed", "blocked: Forbidden: bot was blocked by the user");
      if (withSending) await outcome(id, ["telegram:14"], "sending");
      else await outcome(id, ["telegram:14"], "sent");
      // telegram:15 stays queued.
      await outcome(id, ["whatsapp:4917000", "whatsapp:4917001"], "sent");
      await outcome(id, ["whatsapp:4917002", "whatsapp:4917003"], "delivered");
      await outcome(id, ["whatsapp:4917004"], "read");
      await outcome(
        id,
        ["whatsapp:4917005"],
        "failed",
        "131047 outside the 24-hour window, and no template is configured",
      );
      await outcome(id, ["whatsapp:4917006"], "failed", "131026 Message undeliverable");
    }

    it("per channel, delivered and read from WhatsApp only, failures by reason", async () => {
      const id = await queued();
      await outcomes(id, true);
      const counts = await deliveryCounts(app.store.reader, id);
      expect(counts?.channels).toEqual([
        { channel: "telegram", queued: 1, sending: 1, sent: 3, delivered: null, read: null, failed: 1 },
        { channel: "whatsapp", queued: 0, sending: 0, sent: 5, delivered: 3, read: 1, failed: 2 },
      ]);
      expect(counts?.total).toMatchObject({ queued: 1, sending: 1, sent: 8, delivered: 3, read: 1, failed: 3 });
      expect(counts?.status).toBe("sending");
      expect(counts?.failures.map((f) => [f.channel, f.reason, f.count])).toEqual(
        expect.arrayContaining([
          ["telegram", "blocked", 1],
          ["whatsapp", "no_template", 1],
          ["whatsapp", "refused", 1],
        ]),
      );
      expect(counts?.failures.find((f) => f.reason === "refused")?.examples).toEqual(["131026 Message undeliverable"]);
    });

    it("are the same after pruning, per channel and reason, and pruning again counts nothing twice", async () => {
      const id = await queued();
      await outcomes(id, false);
      const before = await deliveryCounts(app.store.reader, id);
      const later = new Date(app.clock.now().getTime() + 31 * 86_400_000);
      expect(await app.store.pruneOutbox(later)).toBe(12);
      const left = await app.store.db.selectFrom("outbox").select("address").where("broadcast_id", "=", id).execute();
      expect(left.map((r) => r.address)).toEqual(["telegram:15"]);
      expect(await deliveryCounts(app.store.reader, id)).toEqual(before);
      expect(await app.store.pruneOutbox(later)).toBe(0);
      expect(await deliveryCounts(app.store.reader, id)).toEqual(before);
    });

    it("a row pruned while still sending counts as failed, never confirmed", async () => {
      const id = await queued();
      await outcomes(id, true);
      await app.store.pruneOutbox(new Date(app.clock.now().getTime() + 31 * 86_400_000));
      const counts = await deliveryCounts(app.store.reader, id);
      expect(counts?.channels[0]).toEqual({
        channel: "telegram",
        queued: 1,
        sending: 0,
        sent: 3,
        delivered: null,
        read: null,
        failed: 2,
      });
      expect(counts?.failures.find((f) => f.reason === "unconfirmed")).toMatchObject({ channel: "telegram", count: 1 });
    });
  });
}
