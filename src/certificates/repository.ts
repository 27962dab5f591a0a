/**
 * Stored certificates: issue, look up, revoke, and what happens to them when their holder deletes
 * their data. The signed credential is stored exactly as issued; the page and PDF are made from it.
 */
import { randomBytes } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
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
  /** After a withdrawal: whether the person may ask for a new one (a wrong name) or not (issued by mistake). */
  newAllowed: boolean;
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
    newAllowed: Number(row.new_allowed ?? 1) === 1,
  };
}

/** Stores a newly issued certificate. */
export async function insertCertificate(
  db: Db,
  c: Omit<StoredCertificate, "revokedAt" | "revokedBy" | "revokeReason" | "newAllowed">,
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
      new_allowed: 1,
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

/**
 * Certificates for the staff list: newest first, optionally those matching `search` in the chosen
 * name, a course (`courses`: the ids whose title matched, found by the caller in every language), or
 * the certificate number (whole, in part, or inside a pasted check link).
 */
export async function listCertificates(
  db: Db,
  options: { search?: string; courses?: readonly string[]; limit?: number } = {},
): Promise<StoredCertificate[]> {
  let query = db
    .selectFrom("certificates")
    .selectAll()
    .orderBy("issued_at", "desc")
    .limit(options.limit ?? 100);
  const search = options.search?.trim();
  if (search) {
    // LIKE with an escape character both SQLite and Postgres know: ids hold "_" and "-", names may hold "%".
    const contains = (column: "name" | "id" | "course_id", text: string, lower = false) => {
      const pattern = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      return lower
        ? sql<boolean>`lower(${sql.ref(column)}) like ${pattern.toLowerCase()} escape '\\'`
        : sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
    };
    // A pasted check link (…/verify/<id>/certificate.pdf) searches for its id.
    const id = /\/verify\/([A-Za-z0-9_-]+)/.exec(search)?.[1];
    const courses = [...(options.courses ?? [])];
    query = query.where((eb) =>
      eb.or([
        // Lower case on both sides: Postgres's LIKE minds case. SQLite's lower() knows only ASCII, so a
        // Cyrillic or Greek name is also tried as typed and with capitals ("олена" finds "Олена").
        contains("name", search, true),
        ...nameVariants(search).map((variant) => contains("name", variant)),
        contains("id", id ?? search),
        contains("course_id", search),
        ...(courses.length > 0 ? [eb("course_id", "in", courses)] : []),
      ]),
    );
  }
  return (await query.execute()).map(fromRow);
}

/** A typed name as typed, in lower case and with each word capitalised. */
function nameVariants(typed: string): string[] {
  const lower = typed.toLocaleLowerCase();
  const capitalised = lower.replace(
    /(^|\s)(\p{L})/gu,
    (_, space: string, letter: string) => space + letter.toLocaleUpperCase(),
  );
  return [...new Set([typed, lower, capitalised])];
}

/**
 * Revokes a certificate; a second revocation keeps the first's date and reason. Returns the stored
 * certificate after the change, or undefined when there is none with that id.
 */
export async function revokeCertificate(
  db: Db,
  id: string,
  by: { actor: string; reason: string; now: Date; newAllowed: boolean },
): Promise<StoredCertificate | undefined> {
  await db
    .updateTable("certificates")
    .set({
      revoked_at: by.now.toISOString(),
      revoked_by: by.actor,
      revoke_reason: by.reason,
      new_allowed: by.newAllowed ? 1 : 0,
    })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .execute();
  return certificateById(db, id);
}

/**
 * Keeps a person's valid certificates after they delete their data: the rows stay with the chosen
 * name and lose the address, so "delete my data" then finds none of them to delete (withdrawn ones go).
 */
export async function detachCertificates(db: Db, address: string): Promise<number> {
  // Only valid ones: a withdrawn certificate, kept without an address, could never be deleted after.
  const result = await db
    .updateTable("certificates")
    .set({ address: null })
    .where("address", "=", address)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
