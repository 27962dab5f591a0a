/**
 * Stored certificates: issue, look up, revoke, and what happens to them when their holder deletes
 * their data. The signed credential is stored exactly as issued; the page and PDF are made from it.
 */
import { randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../storage/schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** A certificate as the rest of the code sees it. */
export interface StoredCertificate {
  id: string;
  /** Null once the holder deleted their data and kept the certificate valid. */
  address: string | null;
  courseId: string;
  courseVersion: number;
  /** The name the person chose for it. */
  name: string;
  language: string;
  /** ISO timestamp. */
  issuedAt: string;
  /** The signed credential's JSON, as issued. */
  credential: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

/** Limits of what people and staff type, in characters. */
export const certificateLimits = { name: 80, revokeReason: 200 } as const;

/**
 * A new certificate id: 128 random bits, URL-safe. It is the address of the public page, so it must
 * not be guessable (the page shows the holder's name).
 *
 * @example
 * newCertificateId(); // "q3J0c1...": 22 characters
 */
export function newCertificateId(): string {
  return randomBytes(16).toString("base64url");
}

function fromRow(row: Database["certificates"]): StoredCertificate {
  return {
    id: row.id,
    address: row.address,
    courseId: row.course_id,
    courseVersion: Number(row.course_version),
    name: row.name,
    language: row.language,
    issuedAt: row.issued_at,
    credential: row.credential,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
  };
}

/** Stores a newly issued certificate. */
export async function insertCertificate(
  db: Db,
  c: Omit<StoredCertificate, "revokedAt" | "revokedBy" | "revokeReason">,
): Promise<void> {
  await db
    .insertInto("certificates")
    .values({
      id: c.id,
      address: c.address,
      course_id: c.courseId,
      course_version: c.courseVersion,
      name: c.name,
      language: c.language,
      issued_at: c.issuedAt,
      credential: c.credential,
    })
    .execute();
}

/** One certificate by its id, or undefined. */
export async function certificateById(db: Db, id: string): Promise<StoredCertificate | undefined> {
  const row = await db.selectFrom("certificates").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** A person's certificates, newest first. */
export async function certificatesOf(db: Db, address: string): Promise<StoredCertificate[]> {
  const rows = await db
    .selectFrom("certificates")
    .selectAll()
    .where("address", "=", address)
    .orderBy("issued_at", "desc")
    .execute();
  return rows.map(fromRow);
}

/** Certificates for the staff list: newest first, optionally only those whose name or id contains `search`. */
export async function listCertificates(
  db: Db,
  options: { search?: string; limit?: number } = {},
): Promise<StoredCertificate[]> {
  let query = db
    .selectFrom("certificates")
    .selectAll()
    .orderBy("issued_at", "desc")
    .limit(options.limit ?? 100);
  const search = options.search?.trim();
  if (search) {
    const like = `%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) =>
      eb.or([eb("name", "like", like), eb("id", "=", search), eb("course_id", "like", like)]),
    );
  }
  return (await query.execute()).map(fromRow);
}

/**
 * Revokes a certificate; a second revocation keeps the first's date and reason. Returns the stored
 * certificate after the change, or undefined when there is none with that id.
 */
export async function revokeCertificate(
  db: Db,
  id: string,
  by: { actor: string; reason: string; now: Date },
): Promise<StoredCertificate | undefined> {
  await db
    .updateTable("certificates")
    .set({ revoked_at: by.now.toISOString(), revoked_by: by.actor, revoke_reason: by.reason })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .execute();
  return certificateById(db, id);
}

/**
 * Keeps a person's certificates valid after they delete their data: the rows stay with the chosen
 * name and lose the address, so "delete my data" then finds none of them to delete.
 */
export async function detachCertificates(db: Db, address: string): Promise<number> {
  const result = await db
    .updateTable("certificates")
    .set({ address: null })
    .where("address", "=", address)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
