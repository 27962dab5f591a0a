/**
 * Outbox rows about someone else: `subject` holds the address of the person
 * a row is about when it goes to another person (a referral's notice to a
 * counsellor carries the person's address and note). "Delete my data" deletes
 * `where subject = address` too, so nothing of the person stays in anyone's
 * outbox.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable("outbox").addColumn("subject", "text").execute();
  await db.schema.createIndex("outbox_subject").on("outbox").column("subject").execute();
  // Rows queued before this migration: a notice to someone else that names an open referral's address
  // is about that person. (An address that is the start of a longer one may over-match: that errs
  // towards deleting a notice, never towards keeping one.)
  if (dialect === "postgres") {
    await sql`update outbox o set subject = r.address from referrals r
      where o.subject is null and o.broadcast_id is null and o.address <> r.address
        and strpos(o.payload, r.address) > 0`.execute(db);
  } else {
    await sql`update outbox set subject = (
        select r.address from referrals r
        where r.address <> outbox.address and instr(outbox.payload, r.address) > 0 limit 1)
      where subject is null and broadcast_id is null`.execute(db);
  }
}
