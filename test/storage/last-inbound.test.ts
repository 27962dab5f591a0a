/**
 * A person's row is not rewritten on every message on SQLite (src/storage/store-tx.ts,
 * `readPersonSqlite`): `last_inbound_at` is written when the stored one is a minute or more away, and
 * the person and their conversation come from one read.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toAddress } from "../../src/domain/address.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { Store } from "../../src/storage/store.ts";
import { lastInboundResolutionMs } from "../../src/storage/store-tx.ts";

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "lotse-last-inbound-"));
  store = new Store(await openDatabase({ sqlitePath: join(dir, "lotse.db") }));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const address = toAddress("whatsapp", "4915112345678");
const t0 = new Date("2026-12-01T10:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);

async function message(id: string, at: Date) {
  return store.transaction((tx) => tx.recordMessage(id, address, "Europe/Berlin", at));
}

async function stored(): Promise<Date | null | undefined> {
  return (await store.reader.getUser(address))?.lastInboundAt;
}

describe("the last message's time on SQLite", () => {
  it("is written for a new person, then again only once a minute has passed", async () => {
    await message("m1", t0);
    expect(await stored()).toEqual(t0);

    const second = await message("m2", later(30_000));
    expect(second?.user.lastInboundAt).toEqual(later(30_000));
    expect(await stored()).toEqual(t0);

    await message("m3", later(lastInboundResolutionMs - 1));
    expect(await stored()).toEqual(t0);

    await message("m4", later(lastInboundResolutionMs));
    expect(await stored()).toEqual(later(lastInboundResolutionMs));
  });

  it("is written when the stored one is later than the message (a clock set back)", async () => {
    await message("m1", t0);
    await message("m2", later(-lastInboundResolutionMs));
    expect(await stored()).toEqual(later(-lastInboundResolutionMs));
  });

  it("comes with the person's conversation from one read, and nothing for a retried message", async () => {
    await store.transaction(async (tx) => {
      await tx.recordMessage("m1", address, "Europe/Berlin", t0);
      await tx.saveConversation(
        { address, flowId: "lessons", flowVersion: 3, snapshot: '{"page":2}', prompt: null, misses: 1 },
        t0,
      );
    });
    const recorded = await message("m2", later(5_000));
    expect(recorded?.conversation).toEqual({
      address,
      flowId: "lessons",
      flowVersion: 3,
      snapshot: '{"page":2}',
      prompt: null,
      misses: 1,
      updatedAt: t0,
    });
    expect(recorded?.user).toMatchObject({ address, consent: "pending", timeZone: "Europe/Berlin" });
    expect(await message("m2", later(6_000))).toBeUndefined();
  });
});
