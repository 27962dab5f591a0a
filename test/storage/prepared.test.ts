/**
 * Queries compiled once and run with new values (src/storage/prepared.ts), on every database the
 * suite runs on: each run takes its own values, a constant the query holds stays, and a value the
 * builder would silently drop is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isLotseError } from "../../src/domain/errors.ts";
import { prepared } from "../../src/storage/prepared.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";

const activeDay = prepared((db, p: { address: string; day: string }) =>
  db
    .insertInto("learning_days")
    .values({ address: p.address, day: p.day })
    .onConflict((oc) => oc.columns(["address", "day"]).doNothing()),
);

const daysOf = prepared((db, p: { address: string; after: string }) =>
  db
    .selectFrom("learning_days")
    .select("day")
    .where("address", "=", p.address)
    .where("day", ">", p.after)
    .where("day", "<", "2030-01-01")
    .orderBy("day"),
);

describe.each(backends)("prepared queries on %s", (backend) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(backend);
  });
  afterEach(() => app.dispose());

  it("runs with each call's values, in and outside a transaction, keeping the query's own constants", async () => {
    await app.store.transaction(async (tx) => {
      await activeDay(tx.db, { address: "telegram:1", day: "2026-11-28" });
      await activeDay(tx.db, { address: "telegram:1", day: "2026-11-30" });
      await activeDay(tx.db, { address: "telegram:2", day: "2026-11-29" });
      // The same day again: the conflict clause compiled once still applies.
      await activeDay(tx.db, { address: "telegram:1", day: "2026-11-30" });
    });
    await activeDay(app.store.db, { address: "telegram:1", day: "2031-01-01" });
    const days = async (address: string, after: string) =>
      (await daysOf(app.store.db, { address, after })).rows.map((r) => r.day);
    expect(await days("telegram:1", "2026-01-01")).toEqual(["2026-11-28", "2026-11-30"]);
    expect(await days("telegram:1", "2026-11-29")).toEqual(["2026-11-30"]);
    expect(await days("telegram:2", "2026-01-01")).toEqual(["2026-11-29"]);
  });

  it("refuses a value the builder turns into something else, instead of running without it", async () => {
    // `in` takes a list: the marker string is taken apart, so the query would not take `day` as given.
    const careless = prepared((db, p: { address: string; day: string }) =>
      db
        .selectFrom("learning_days")
        .select("day")
        .where("address", "=", p.address)
        .where("day", "in", [...p.day]),
    );
    const error = await careless(app.store.db, { address: "telegram:1", day: "2026-11-30" }).catch((e: unknown) => e);
    expect(isLotseError(error, "storage.failed")).toBe(true);
    expect(String((error as Error).message)).toMatch(/does not take day/);
  });

  it("says which value is missing, and takes it from a later call that gives it", async () => {
    // Compiled from a first call without `day`, a later call's day must not be dropped (a review found
    // the insert then failed on NOT NULL without saying why).
    const insert = prepared((db, p: { address: string; day?: string }) =>
      db
        .insertInto("learning_days")
        .values({ address: p.address, day: p.day as string })
        .onConflict((oc) => oc.columns(["address", "day"]).doNothing()),
    );
    const error = await insert(app.store.db, { address: "telegram:3" }).catch((e: unknown) => e);
    expect(isLotseError(error, "storage.failed")).toBe(true);
    expect(String((error as Error).message)).toMatch(/no value for day/);
    await insert(app.store.db, { address: "telegram:3", day: "2026-11-30" });
    const days = (await daysOf(app.store.db, { address: "telegram:3", after: "2000-01-01" })).rows.map((r) => r.day);
    expect(days).toEqual(["2026-11-30"]);
  });
});
