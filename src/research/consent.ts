/**
 * A person's separate, optional consent to research use of their pseudonymised answers (issue 13,
 * "Research export"). It is not part of the consent to storage: saying no changes nothing for the
 * person, the default is no, and it can be changed in the settings at any time. It lives on the
 * users row, so "delete my data" removes it with the person.
 */
import type { Kysely, Transaction } from "kysely";
import type { Address } from "../domain/address.ts";
import { prepared } from "../storage/prepared.ts";
import type { Database } from "../storage/schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** What is stored: yes or no, and when the person last answered (null: never asked). */
export interface ResearchConsent {
  consent: boolean;
  answeredAt: string | null;
}

/**
 * The person's research consent; no for someone unknown.
 *
 * @example
 * const { consent } = await researchConsent(tx.db, user.address);
 */
export async function researchConsent(db: Db, address: Address): Promise<ResearchConsent> {
  const row = (await consentRow(db, { address })).rows[0];
  return { consent: Number(row?.research_consent ?? 0) === 1, answeredAt: row?.research_consent_at ?? null };
}

const consentRow = prepared((db, p: { address: string }) =>
  db.selectFrom("users").select(["research_consent", "research_consent_at"]).where("address", "=", p.address),
);

/**
 * Stores the person's answer (yes or no) and when.
 *
 * @example
 * await setResearchConsent(tx.db, user.address, true, now);
 */
export async function setResearchConsent(db: Db, address: Address, consent: boolean, now: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ research_consent: consent ? 1 : 0, research_consent_at: now.toISOString() })
    .where("address", "=", address)
    .execute();
}

/**
 * Notes that the person was asked once (their answer stays no until they say yes), so the question
 * after the first finished quiz is never asked again; an earlier answer is kept as it is.
 *
 * @example
 * await markResearchAsked(tx.db, user.address, now);
 */
export async function markResearchAsked(db: Db, address: Address, now: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ research_consent_at: now.toISOString() })
    .where("address", "=", address)
    .where("research_consent_at", "is", null)
    .execute();
}
