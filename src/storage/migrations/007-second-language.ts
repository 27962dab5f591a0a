/**
 * A second language per person: lessons and service information come in it
 * when their own language has no content yet (Tigrinya, Somali ...).
 */
import type { Kysely } from "kysely";
import type { Dialect } from "./helpers.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable("users").addColumn("second_language", "text").execute();
}
