/**
 * The referral inbox and the conversation through Lotse: a referral gets a
 * status (new, contacted, closed), the counsellor it is assigned to, the name
 * the person chose for the counsellor, whether they chose to share their
 * contact, and whether a conversation is open. Counsellors' private notes and
 * the messages of the conversation get tables of their own.
 *
 * Notes and messages carry the person's address (`address`) although the
 * referral names it too: "delete my data" deletes by address
 * (src/storage/personal-data.ts), so nothing the person wrote, and nothing
 * written about them, survives their erasure. `author` is the counsellor's
 * address (cleared when a counsellor deletes their own data).
 */
import type { Kysely } from "kysely";
import { addIdColumn, type Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable("referrals")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("new"))
    .execute();
  await db.schema.alterTable("referrals").addColumn("assigned_to", "text").execute();
  await db.schema.alterTable("referrals").addColumn("display_name", "text").execute();
  await db.schema
    .alterTable("referrals")
    .addColumn("share_contact", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("referrals")
    .addColumn("conversation_open", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("referrals").addColumn("conversation_ended_by", "text").execute();
  await db.schema.createIndex("referrals_status").on("referrals").columns(["status", "created_at"]).execute();

  await addIdColumn(db.schema.createTable("referral_notes"), dialect)
    .addColumn("referral_id", "integer", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("author", "text")
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("referral_notes_referral").on("referral_notes").column("referral_id").execute();
  await db.schema.createIndex("referral_notes_address").on("referral_notes").column("address").execute();

  await addIdColumn(db.schema.createTable("referral_messages"), dialect)
    .addColumn("referral_id", "integer", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    // Who wrote it: `counsellor` or `person` ("from" is a keyword in SQL).
    .addColumn("sender", "text", (c) => c.notNull())
    .addColumn("author", "text")
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    // When a counsellor first saw a person's message in the console (null: unread).
    .addColumn("read_at", "text")
    .execute();
  await db.schema
    .createIndex("referral_messages_referral")
    .on("referral_messages")
    .columns(["referral_id", "created_at"])
    .execute();
  await db.schema.createIndex("referral_messages_address").on("referral_messages").column("address").execute();
}
