/**
 * Claiming outbox rows for one channel and lane: the head of each chat's
 * queue in that lane (the oldest row not yet sent, if no row of that chat and
 * lane is being sent), oldest first, marked `sending` with a lease. Rows whose
 * send crashed come back when their lease runs out. One index
 * (channel, lane, status, id) serves the scan in id order, so a million
 * queued broadcast rows cost no sort.
 */
import { sql } from "kysely";
import type { Address } from "../domain/address.ts";
import type { Outbound } from "../domain/outbound.ts";
import type { Store, StoreTx } from "../storage/store.ts";
import type { Lane } from "./lanes.ts";

/** A claimed row, ready to send. */
export interface Claimed {
  id: number;
  address: Address;
  channel: string;
  lane: Lane;
  outbound: Outbound;
  attempts: number;
  createdAt: Date;
  purge: boolean;
  /** Parts a previous attempt already got accepted. */
  partsSent: number;
}

/**
 * Claims up to `limit` heads of `lane` on `channel`, leasing them until `now + leaseMs`.
 *
 * @example
 * const rows = await claimHeads(store, { channel: "telegram", lane: 0, limit: 30, now, leaseMs: 60_000 });
 */
export async function claimHeads(
  store: Store,
  options: { channel: string; lane: Lane; limit: number; now: Date; leaseMs: number },
): Promise<Claimed[]> {
  return claimLanes(store, { ...options, lanes: [{ lane: options.lane, limit: options.limit }] });
}

/**
 * Claims the heads of several lanes in one transaction, in the order given, each up to its limit
 * (a function of what the lanes before it got, so conversation lanes can share one budget).
 *
 * @example
 * const rows = await claimLanes(store, { channel: "telegram", lanes: [{ lane: 0, limit: 30 }], now, leaseMs });
 */
export async function claimLanes(
  store: Store,
  options: {
    channel: string;
    lanes: ReadonlyArray<{ lane: Lane; limit: number | ((claimedSoFar: number) => number) }>;
    now: Date;
    leaseMs: number;
  },
): Promise<Claimed[]> {
  const claimed: Claimed[] = [];
  const wanted = options.lanes.filter((l) => typeof l.limit === "function" || l.limit > 0);
  if (wanted.length === 0) return claimed;
  await store.transaction(async (tx) => {
    for (const { lane, limit } of wanted) {
      const room = typeof limit === "function" ? limit(claimed.length) : limit;
      if (room > 0) claimed.push(...(await claimLane(tx, { ...options, lane, limit: room })));
    }
  });
  return claimed;
}

async function claimLane(
  tx: StoreTx,
  options: { channel: string; lane: Lane; limit: number; now: Date; leaseMs: number },
): Promise<Claimed[]> {
  const { channel, lane, now } = options;
  const at = now.toISOString();
  {
    const heads = (status: "queued" | "sending", limit: number) => {
      let query = tx.db
        .selectFrom("outbox as o")
        .selectAll("o")
        .where("o.channel", "=", channel)
        .where("o.lane", "=", lane)
        .where("o.status", "=", status)
        .where(status === "queued" ? "o.not_before" : "o.lease_until", status === "queued" ? "<=" : "<", at)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("outbox as earlier")
                .select("earlier.id")
                .whereRef("earlier.address", "=", "o.address")
                .where("earlier.lane", "=", lane)
                .whereRef("earlier.id", "<", "o.id")
                .where("earlier.status", "in", ["queued", "sending"]),
            ),
          ),
        )
        .orderBy("o.id")
        .limit(limit);
      if (tx.dialect === "postgres") query = query.forUpdate("o").skipLocked();
      return query.execute();
    };
    // Crashed sends first (they are older), then the queue.
    const expired = await heads("sending", options.limit);
    const queued = await heads("queued", options.limit - expired.length);
    const rows = [...expired, ...queued];
    if (rows.length === 0) return [];
    await tx.db
      .updateTable("outbox")
      .set({
        status: "sending",
        lease_until: new Date(now.getTime() + options.leaseMs).toISOString(),
        attempts: sql`attempts + 1`,
        updated_at: at,
      })
      .where(
        "id",
        "in",
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map(
      (r): Claimed => ({
        id: Number(r.id),
        address: r.address as Address,
        channel: r.channel ?? channel,
        lane: Number(r.lane) as Lane,
        outbound: JSON.parse(r.payload) as Outbound,
        attempts: Number(r.attempts) + 1,
        createdAt: new Date(r.created_at),
        purge: Number(r.purge) === 1,
        partsSent: Number(r.parts_sent ?? 0),
      }),
    );
  }
}
