/**
 * Referrals in storage: one request per person, with its status, the
 * counsellor it is assigned to, and the rows that belong to it (notes and
 * conversation messages). Closed requests stay until the person withdraws
 * them or deletes their data; either deletes the request with its notes and
 * messages.
 */
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Address } from "../domain/address.ts";
import { prepared } from "../storage/prepared.ts";
import type { Database } from "../storage/schema.ts";

/** A Kysely handle or a transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Where a request stands, as counsellors set it. */
export const referralStatuses = ["new", "contacted", "closed"] as const;
export type ReferralStatus = (typeof referralStatuses)[number];

/** Who ended a conversation. */
export type ConversationSide = "counsellor" | "person";

/** A stored referral. */
export interface Referral {
  id: number;
  address: Address;
  language: string;
  city: string | null;
  message: string | null;
  createdAt: string;
  status: ReferralStatus;
  /** The counsellor it is assigned to, or null. */
  assignedTo: Address | null;
  /** The name the person chose for the counsellor to use, or null (then "Person <id>" is shown). */
  displayName: string | null;
  /** Whether the person chose to show counsellors their chat address. */
  shareContact: boolean;
  /** Whether a conversation through Lotse is open. */
  conversationOpen: boolean;
  /** Who ended the last conversation, if one ended. */
  conversationEndedBy: ConversationSide | null;
}

/** What a person gives when they ask to be contacted. */
export interface NewReferral {
  address: Address;
  language: string;
  city: string | null;
  message: string | null;
  displayName?: string | null;
  shareContact?: boolean;
}

type Row = Selectable<Database["referrals"]>;

function isStatus(value: unknown): value is ReferralStatus {
  return (referralStatuses as readonly unknown[]).includes(value);
}

function toReferral(row: Row): Referral {
  const endedBy = row.conversation_ended_by;
  return {
    id: Number(row.id),
    address: row.address as Address,
    language: row.language,
    city: row.city,
    message: row.message,
    createdAt: row.created_at,
    status: isStatus(row.status) ? row.status : "new",
    assignedTo: row.assigned_to as Address | null,
    displayName: row.display_name,
    shareContact: Number(row.share_contact) === 1,
    conversationOpen: Number(row.conversation_open) === 1,
    conversationEndedBy: endedBy === "counsellor" || endedBy === "person" ? endedBy : null,
  };
}

/**
 * Creates the person's referral (replacing an earlier one, with its notes and messages) and returns it.
 *
 * @example
 * const referral = await createReferral(tx.db, { address, language: "ar", city: "mainz", message: null }, now);
 */
export async function createReferral(db: Db, values: NewReferral, now: Date): Promise<Referral> {
  await deleteReferralOf(db, values.address);
  await db
    .insertInto("referrals")
    .values({
      address: values.address,
      language: values.language,
      city: values.city,
      message: values.message,
      display_name: values.displayName ?? null,
      share_contact: values.shareContact ? 1 : 0,
      created_at: now.toISOString(),
    })
    .execute();
  const row = await db
    .selectFrom("referrals")
    .selectAll()
    .where("address", "=", values.address)
    .executeTakeFirstOrThrow();
  return toReferral(row);
}

/**
 * The person's referral, if any (open or closed).
 *
 * @example
 * const mine = await referralOf(tx.db, user.address);
 */
export async function referralOf(db: Db, address: Address): Promise<Referral | undefined> {
  const row = (await referralRowOf(db, { address })).rows[0];
  return row ? toReferral(row) : undefined;
}

/** Asked when the menu opens (its facts): compiled once, not built with the query builder each time. */
const referralRowOf = prepared((db, p: { address: string }) =>
  db.selectFrom("referrals").selectAll().where("address", "=", p.address),
);

/**
 * The referral with this number, if any.
 *
 * @example
 * const referral = await referralById(db, 12);
 */
export async function referralById(db: Db, id: number): Promise<Referral | undefined> {
  const row = await db.selectFrom("referrals").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toReferral(row) : undefined;
}

/**
 * Deletes the person's referral with its notes and messages; returns what was deleted.
 *
 * @example
 * const withdrawn = await withdrawReferral(tx.db, user.address);
 */
export async function withdrawReferral(db: Db, address: Address): Promise<Referral | undefined> {
  const existing = await referralOf(db, address);
  if (existing) await deleteReferralOf(db, address);
  return existing;
}

async function deleteReferralOf(db: Db, address: Address): Promise<void> {
  await db.deleteFrom("referral_messages").where("address", "=", address).execute();
  await db.deleteFrom("referral_notes").where("address", "=", address).execute();
  await db.deleteFrom("referrals").where("address", "=", address).execute();
}

/**
 * Changes stored fields of a referral; returns it as it is now, or undefined when there is none.
 *
 * @example
 * await updateReferral(tx.db, 12, { status: "contacted" });
 */
export async function updateReferral(
  db: Db,
  id: number,
  patch: {
    status?: ReferralStatus;
    assignedTo?: Address | null;
    conversationOpen?: boolean;
    conversationEndedBy?: ConversationSide | null;
  },
): Promise<Referral | undefined> {
  const values: Record<string, unknown> = {};
  if (patch.status !== undefined) values.status = patch.status;
  if (patch.assignedTo !== undefined) values.assigned_to = patch.assignedTo;
  if (patch.conversationOpen !== undefined) values.conversation_open = patch.conversationOpen ? 1 : 0;
  if (patch.conversationEndedBy !== undefined) values.conversation_ended_by = patch.conversationEndedBy;
  if (Object.keys(values).length > 0) await db.updateTable("referrals").set(values).where("id", "=", id).execute();
  return referralById(db, id);
}

/**
 * The name counsellors see for the person: the one they chose, else "Person <id>".
 *
 * @example
 * displayNameOf({ id: 12, displayName: null }); // "Person 12"
 */
export function displayNameOf(referral: Pick<Referral, "id" | "displayName">, personWord = "Person"): string {
  return referral.displayName ?? `${personWord} ${referral.id}`;
}
