/**
 * Meetings and how many said yes, maybe, wait for a place, and came (ticked at the door).
 */
import { num, type StatsDb } from "./db.ts";

/** One meeting's numbers. */
export interface MeetingRow {
  id: number;
  /** Title by language (the console picks its own language). */
  title: Record<string, string>;
  startsAt: string;
  /** The zone the meeting's local time is in. */
  timeZone: string;
  city: string | null;
  status: string;
  capacity: number | null;
  /** Confirmed places (yes, not waiting). */
  yes: number;
  maybe: number;
  /** Said yes while the meeting was full. */
  waiting: number;
  /** Ticked at the door. */
  attended: number;
}

/**
 * Meetings that started in the last `days` days or are still to come, newest first, at most `limit`.
 *
 * @example
 * const rows = await meetingStats(app.store.db, { now: new Date(), days: 180 });
 */
export async function meetingStats(
  db: StatsDb,
  options: { now: Date; days?: number; limit?: number },
): Promise<MeetingRow[]> {
  const since = new Date(options.now.getTime() - (options.days ?? 180) * 86_400_000).toISOString();
  const meetings = await db
    .selectFrom("meetings")
    .select(["id", "title", "starts_at", "time_zone", "city", "status", "capacity"])
    .where("starts_at", ">=", since)
    // Class sessions are the class's: staff statistics show classes only as totals.
    .where("class_id", "is", null)
    .orderBy("starts_at", "desc")
    .limit(options.limit ?? 50)
    .execute();
  if (meetings.length === 0) return [];
  const counts = await db
    .selectFrom("rsvps")
    .select((eb) => ["meeting_id", "answer", "waiting", eb.fn.countAll().as("n"), eb.fn.sum("attended").as("came")])
    .where(
      "meeting_id",
      "in",
      meetings.map((m) => Number(m.id)),
    )
    .groupBy(["meeting_id", "answer", "waiting"])
    .execute();
  return meetings.map((m) => {
    const id = Number(m.id);
    const mine = counts.filter((c) => Number(c.meeting_id) === id);
    const sum = (test: (c: (typeof mine)[number]) => boolean) =>
      mine.filter(test).reduce((total, c) => total + num(c.n), 0);
    return {
      id,
      title: JSON.parse(m.title) as Record<string, string>,
      startsAt: m.starts_at,
      timeZone: m.time_zone,
      city: m.city,
      status: m.status,
      capacity: m.capacity === null ? null : Number(m.capacity),
      yes: sum((c) => c.answer === "yes" && num(c.waiting) === 0),
      maybe: sum((c) => c.answer === "maybe"),
      waiting: sum((c) => c.answer === "yes" && num(c.waiting) === 1),
      attended: mine.reduce((total, c) => total + num(c.came), 0),
    };
  });
}
