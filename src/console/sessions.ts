/**
 * Console sessions: a random cookie value whose hash is stored with the person's address, a CSRF
 * token for every form and the console language. Sessions last 12 hours; signing out deletes one.
 * Roles are not stored here: they are read afresh on every request.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Address } from "../domain/address.ts";
import type { Database } from "../storage/schema.ts";
import type { ConsoleLanguage } from "./context.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** How long a session lasts. */
export const sessionMs = 12 * 60 * 60_000;

/** A stored session as the middleware reads it. */
export interface StoredSession {
  idHash: string;
  address: Address;
  csrf: string;
  language: ConsoleLanguage;
}

/** The stored form of a cookie value. */
export function sessionHash(cookie: string): string {
  return createHash("sha256").update(cookie).digest("base64url");
}

/**
 * Creates a session; returns the cookie value (shown to the browser once, never stored).
 *
 * @example
 * const cookie = await createSession(app.store.db, "telegram:42", "de", now);
 */
export async function createSession(db: Db, address: Address, language: ConsoleLanguage, now: Date): Promise<string> {
  const cookie = randomBytes(32).toString("base64url");
  await db
    .insertInto("staff_sessions")
    .values({
      id_hash: sessionHash(cookie),
      address,
      csrf: randomBytes(24).toString("base64url"),
      language,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + sessionMs).toISOString(),
    })
    .execute();
  // Expired sessions go when someone signs in: no timer needed for a table this small.
  await db.deleteFrom("staff_sessions").where("expires_at", "<=", now.toISOString()).execute();
  return cookie;
}

/**
 * The session a cookie names, if it exists and has not expired.
 *
 * @example
 * const session = await loadSession(app.store.db, getCookie(c, "lotse_staff"), now);
 */
export async function loadSession(db: Db, cookie: string | undefined, now: Date): Promise<StoredSession | undefined> {
  if (!cookie || cookie.length > 100) return undefined;
  const row = await db
    .selectFrom("staff_sessions")
    .selectAll()
    .where("id_hash", "=", sessionHash(cookie))
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    idHash: row.id_hash,
    address: row.address as Address,
    csrf: row.csrf,
    language: row.language === "de" ? "de" : "en",
  };
}

/** Ends one session. */
export async function endSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom("staff_sessions").where("id_hash", "=", idHash).execute();
}

/** Changes a session's console language. */
export async function setSessionLanguage(db: Db, idHash: string, language: ConsoleLanguage): Promise<void> {
  await db.updateTable("staff_sessions").set({ language }).where("id_hash", "=", idHash).execute();
}
