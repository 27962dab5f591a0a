/**
 * A revoked staff member's half-finished broadcast is not sent: when a scheduled broadcast falls due,
 * and before every page of its fan-out, its creator must still have the staff role; if not, it is
 * cancelled with the reason recorded, logged, and whatever it had queued is withdrawn. The control
 * case (still staff) shows the same broadcast going out.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  createBroadcast,
  creatorStillStaff,
  deliveryCounts,
  everyone,
  queueBroadcast,
  withdrawBroadcastsOf,
} from "../../src/broadcasts/broadcasts.ts";
import type { Address } from "../../src/domain/address.ts";
import type { Logger } from "../../src/log.ts";
import { removeStaffMember, saveStaffMember } from "../../src/staff/members.ts";
import { StaffRights } from "../../src/staff/rights.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { addPeople } from "./people.ts";

/** A logger that keeps what it was told. */
function recording(): Logger & { lines: { event: string; fields: Record<string, unknown> }[] } {
  const lines: { event: string; fields: Record<string, unknown> }[] = [];
  const keep = (event: string, fields: Record<string, unknown> = {}) => void lines.push({ event, fields });
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

const anna = "telegram:100" as Address;

describe("a revoked staff member's broadcast", () => {
  let app: TestApp;
  let logger: ReturnType<typeof recording>;
  afterEach(() => app.dispose());

  async function setUp(staffAddresses?: string) {
    logger = recording();
    app = await createTestApp(undefined, { logger, ...(staffAddresses ? { staffAddresses } : {}) });
    await addPeople(
      app,
      Array.from({ length: 7 }, (_, i) => ({ address: `telegram:${200 + i}`, language: "en", city: "mainz" })),
    );
    if (!staffAddresses)
      await app.store.transaction((tx) => saveStaffMember(tx, anna, { roles: ["staff"] }, app.clock.now()));
  }

  const schedule = (sendAt: Date) =>
    app.store.transaction((tx) =>
      createBroadcast(
        tx,
        app.scheduler,
        { text: { en: "Free Wi-Fi" }, audience: everyone, sendAt, createdBy: anna },
        app.clock.now(),
      ),
    );
  const rows = async (id: number) =>
    (await app.store.db.selectFrom("outbox").select("id").where("broadcast_id", "=", id).execute()).length;

  it("goes out while its creator is staff (control)", async () => {
    await setUp();
    const id = await schedule(new Date(app.clock.now().getTime() + 3_600_000));
    app.clock.advance(2 * 3_600_000);
    await app.scheduler.runDue(app.clock.now());
    expect(await rows(id)).toBe(7);
    expect(await deliveryCounts(app.store.reader, id)).toMatchObject({ status: "sending", cancelReason: null });
  });

  it("is cancelled the moment an admin removes its creator, and nothing goes when its time comes", async () => {
    await setUp();
    const id = await schedule(new Date(app.clock.now().getTime() + 3_600_000));
    await app.store.transaction((tx) => removeStaffMember(tx, anna, app.clock.now()));
    expect(await deliveryCounts(app.store.reader, id)).toMatchObject({
      status: "cancelled",
      cancelReason: "creator_revoked",
    });
    app.clock.advance(2 * 3_600_000);
    await app.scheduler.runDue(app.clock.now());
    expect(await rows(id)).toBe(0);
    expect(await deliveryCounts(app.store.reader, id)).toMatchObject({
      status: "cancelled",
      cancelReason: "creator_revoked",
      recipients: 0,
    });
  });

  it("is cancelled when its creator is taken out of STAFF_ADDRESSES while it waits", async () => {
    await setUp(`${anna}=staff`);
    const id = await schedule(new Date(app.clock.now().getTime() + 3_600_000));
    app.staff.replace("");
    app.clock.advance(2 * 3_600_000);
    await app.scheduler.runDue(app.clock.now());
    expect(await rows(id)).toBe(0);
    expect(await deliveryCounts(app.store.reader, id)).toMatchObject({
      status: "cancelled",
      cancelReason: "creator_revoked",
    });
  });

  it("stops half way when the role goes between two pages, and withdraws what the first page queued", async () => {
    await setUp();
    const id = await schedule(app.clock.now());
    let pages = 0;
    await queueBroadcast(app.store, id, app.content, app.clock.now(), {
      pageSize: 3,
      creatorCheck: creatorStillStaff(new StaffRights(app.staff, logger), logger),
      onPage: async () => {
        pages += 1;
        if (pages === 1) {
          expect(await rows(id)).toBe(3);
          await app.store.transaction((tx) => removeStaffMember(tx, anna, app.clock.now()));
        }
      },
    });
    expect(pages).toBe(2);
    expect(await rows(id)).toBe(0);
    expect(await deliveryCounts(app.store.reader, id)).toMatchObject({
      status: "cancelled",
      cancelReason: "creator_revoked",
    });
  });

  it("a removal can withdraw the broadcasts already sending too", async () => {
    await setUp();
    const id = await schedule(app.clock.now());
    await app.scheduler.runDue(app.clock.now());
    expect(await rows(id)).toBe(7);
    const cancelled = await app.store.transaction((tx) => withdrawBroadcastsOf(tx, anna, app.clock.now()));
    expect(cancelled).toEqual([id]);
    expect(await rows(id)).toBe(0);
    expect(await deliveryCounts(app.store.reader, id)).toMatchObject({
      status: "cancelled",
      cancelReason: "creator_revoked",
    });
  });
});
