/**
 * Learning progress: lesson positions, quiz results, review boxes and active days.
 */
import type { Kysely } from "kysely";
import { addIdColumn, type Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("lesson_progress")
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("lesson_id", "text", (c) => c.notNull())
    .addColumn("step", "integer", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("lesson_progress_pk", ["address", "lesson_id"])
    .execute();

  await addIdColumn(db.schema.createTable("quiz_results"), dialect)
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("lesson_id", "text", (c) => c.notNull())
    .addColumn("score", "integer", (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("taken_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("quiz_results_address").on("quiz_results").column("address").execute();

  await db.schema
    .createTable("review_items")
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("lesson_id", "text", (c) => c.notNull())
    .addColumn("question_id", "text", (c) => c.notNull())
    .addColumn("box", "integer", (c) => c.notNull())
    .addColumn("due_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("review_items_pk", ["address", "lesson_id", "question_id"])
    .execute();
  await db.schema.createIndex("review_items_due").on("review_items").columns(["address", "due_at"]).execute();

  await db.schema
    .createTable("learning_days")
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("learning_days_pk", ["address", "day"])
    .execute();
}
