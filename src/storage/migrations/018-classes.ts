/**
 * Classes: a teacher's group of learners following courses in order, with a join code, and sessions
 * that are meetings only the class sees (`meetings.class_id`).
 *
 * `class_members` rows are keyed by the learner's address, which personal-data.ts lists: leaving the
 * class or "delete my data" removes the row; `classes.teacher` is cleared when the teacher deletes
 * their data (the class stays for the admins). A learner is named to the teacher only by the name
 * they chose for the class and a random reference (`ref`), never by their address.
 */
import type { Kysely } from "kysely";
import { addIdColumn, type Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await addIdColumn(db.schema.createTable("classes"), dialect)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("city", "text")
    // JSON: ["fa", "uk"], the languages the class is taught in.
    .addColumn("languages", "text", (c) => c.notNull())
    // JSON: [{ "course": "phone-basics", "startsOn": "2026-12-01", "endsOn": null }, ...], in order.
    .addColumn("courses", "text", (c) => c.notNull())
    // Upper case, unambiguous letters and digits ("K7F2Q"); unique among all classes, archived ones too.
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("code_expires_at", "text")
    .addColumn("capacity", "integer")
    .addColumn("teacher", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active"))
    .addColumn("archived_at", "text")
    // JSON, written when an archived class's learners are unlinked: its counts, kept for the statistics.
    .addColumn("totals", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("classes_teacher").on("classes").column("teacher").execute();
  await db.schema
    .createTable("class_members")
    .addColumn("class_id", "integer", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    // The name the learner chose for the class (optional), the only name the teacher sees.
    .addColumn("display_name", "text")
    // Random, never derived from the address: how the console, the CSV and the API name a learner.
    .addColumn("ref", "text", (c) => c.notNull())
    .addColumn("joined_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("class_members_pk", ["class_id", "address"])
    .execute();
  await db.schema.createIndex("class_members_address").on("class_members").column("address").execute();
  await db.schema.createIndex("class_members_ref").on("class_members").columns(["class_id", "ref"]).unique().execute();
  await db.schema.alterTable("meetings").addColumn("class_id", "integer").execute();
  await db.schema.createIndex("meetings_class").on("meetings").column("class_id").execute();
}
