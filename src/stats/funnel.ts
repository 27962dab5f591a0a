/**
 * The way from the first message to the first finished lesson, in the order onboarding asks:
 * language, city, then the agreement to storage; then the first lesson started and finished.
 * Each stage counts the people who reached it *and every stage before*, so the numbers never grow
 * along the way. People who deleted their data are gone from every stage.
 */
import type { ExpressionBuilder } from "kysely";
import type { Database } from "../storage/schema.ts";
import { num, type StatsDb } from "./db.ts";

/** The stages, in order. */
export const funnelStages = ["created", "language", "city", "consent", "lessonStarted", "lessonFinished"] as const;
export type FunnelStage = (typeof funnelStages)[number];

/** One stage and the people who reached it. */
export interface FunnelRow {
  stage: FunnelStage;
  count: number;
}

type Where = (eb: ExpressionBuilder<Database, "users">) => ReturnType<ExpressionBuilder<Database, "users">["and"]>;

const conditions: Record<FunnelStage, Where> = {
  created: (eb) => eb.and([]),
  language: (eb) => eb.and([eb("users.language", "is not", null)]),
  city: (eb) => eb.and([eb("users.city", "is not", null)]),
  consent: (eb) => eb.and([eb("users.consent", "=", "given")]),
  lessonStarted: (eb) =>
    eb.and([
      eb.exists(
        eb.selectFrom("lesson_progress").select("lesson_id").whereRef("lesson_progress.address", "=", "users.address"),
      ),
    ]),
  lessonFinished: (eb) =>
    eb.and([
      eb.exists(
        eb
          .selectFrom("lesson_progress")
          .select("lesson_id")
          .whereRef("lesson_progress.address", "=", "users.address")
          .where("lesson_progress.completed_at", "is not", null),
      ),
    ]),
};

/**
 * People at each stage of the way to the first finished lesson.
 *
 * @example
 * const stages = await funnelStats(app.store.db); // [{ stage: "created", count: 120 }, ...]
 */
export async function funnelStats(db: StatsDb): Promise<FunnelRow[]> {
  const rows: FunnelRow[] = [];
  for (const [i, stage] of funnelStages.entries()) {
    const upTo = funnelStages.slice(0, i + 1);
    const row = await db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll().as("n"))
      .where((eb) => eb.and(upTo.map((s) => conditions[s](eb))))
      .executeTakeFirst();
    rows.push({ stage, count: num(row?.n) });
  }
  return rows;
}
