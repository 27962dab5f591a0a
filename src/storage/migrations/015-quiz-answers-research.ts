/**
 * Each quiz and review answer on its own (the quiz result keeps only the score), so authors see which
 * questions are broken (item statistics); and a person's separate, optional consent to research use
 * of their pseudonymised answers (default no), with when they last answered it.
 */
import type { Kysely } from "kysely";
import { addIdColumn, type Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await addIdColumn(db.schema.createTable("quiz_answers"), dialect)
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("lesson_id", "text", (c) => c.notNull())
    .addColumn("question_id", "text", (c) => c.notNull())
    .addColumn("correct", "integer", (c) => c.notNull())
    // quiz (after a lesson) or review (spaced repetition): item statistics use only first quiz answers.
    .addColumn("source", "text", (c) => c.notNull().defaultTo("quiz"))
    .addColumn("answered_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("quiz_answers_address").on("quiz_answers").column("address").execute();
  await db.schema.createIndex("quiz_answers_lesson").on("quiz_answers").columns(["lesson_id", "question_id"]).execute();
  await db.schema
    .alterTable("users")
    .addColumn("research_consent", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("users").addColumn("research_consent_at", "text").execute();
}
