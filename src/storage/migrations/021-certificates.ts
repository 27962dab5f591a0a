/**
 * Course certificates and the key that signs them. A certificate keeps the name the person chose for
 * it (asked when they earn it, stored nowhere else). When they delete their data they choose whether
 * issued certificates stay valid: if so the row stays without the address, so whoever holds the PDF
 * or credential can still verify it; if not the row goes.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("certificates")
    // Random and unguessable: it is the address of the public verification page.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("address", "text")
    .addColumn("course_id", "text", (c) => c.notNull())
    .addColumn("course_version", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // The language the person read the course in: the PDF and page show its title in it.
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    // The signed Open Badges 3.0 credential, exactly as issued (re-signing would change it).
    .addColumn("credential", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("revoked_by", "text")
    .addColumn("revoke_reason", "text")
    // A withdrawal for a wrong name lets the person ask for a new one; one for cause (issued by mistake) not.
    .addColumn("new_allowed", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("certificates_address").on("certificates").column("address").execute();
  await db.schema
    .createTable("issuer_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    // The exported key pair (src/certificates/issuer-key.ts); whoever holds a backup can sign.
    .addColumn("key_pair", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}
