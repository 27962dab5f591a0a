/**
 * Referrals in storage: one open request per person, deleted when withdrawn.
 */
import type { Kysely, Transaction } from "kysely";
import type { Address } from "../domain/address.ts";
import type { Database } from "../storage/schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** A stored referral. */
export interface Referral {
  id: number;
  address: Address;
  language: string;
  city: string | null;
  message: string | null;
  createdAt: string;
}

function toReferral(row: Database["referrals"] & { id: number }): Referral {
  return {
    id: Number(row.id),
    address: row.address as Address,
    language: row.language,
    city: row.city,
    message: row.message,
    createdAt: row.created_at,
  };
}

/** Creates the person's referral (replacing an earlier one) and returns it. */
export async function createReferral(
  db: Db,
  values: { address: Address; language: string; city: string | null; message: string | null },
  now: Date,
): Promise<Referral> {
  await db.deleteFrom("referrals").where("address", "=", values.address).execute();
  await db
    .insertInto("referrals")
    .values({ ...values, created_at: now.toISOString() })
    .execute();
  const row = await db
    .selectFrom("referrals")
    .selectAll()
    .where("address", "=", values.address)
    .executeTakeFirstOrThrow();
  return toReferral(row as Database["referrals"] & { id: number });
}

/** The person's open referral, if any. */
export async function referralOf(db: Db, address: Address): Promise<Referral | undefined> {
  const row = await db.selectFrom("referrals").selectAll().where("address", "=", address).executeTakeFirst();
  return row ? toReferral(row as Database["referrals"] & { id: number }) : undefined;
}

/** Deletes the person's referral; returns what was deleted. */
export async function withdrawReferral(db: Db, address: Address): Promise<Referral | undefined> {
  const existing = await referralOf(db, address);
  if (existing) await db.deleteFrom("referrals").where("address", "=", address).execute();
  return existing;
}

/** Every open referral, newest first (for counsellors and the admin API). */
export async function listReferrals(db: Db): Promise<Referral[]> {
  const rows = await db.selectFrom("referrals").selectAll().orderBy("created_at", "desc").execute();
  return rows.map((r) => toReferral(r as Database["referrals"] & { id: number }));
}
