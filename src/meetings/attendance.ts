/**
 * Check-in at the door: staff tick who came. Guests are named by their reference (see guests.ts),
 * never by address; only the guests a form or request names change, so a guest who answered while
 * the list was open is not unticked by accident.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../storage/schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** One guest's check-in. */
export interface AttendanceMark {
  ref: string;
  attended: boolean;
}

/** What a check-in did. */
export interface AttendanceResult {
  /** Guests whose mark changed. */
  changed: number;
  /** References that are no guest of this meeting (left out). */
  unknown: string[];
}

/**
 * Sets who came; returns how many marks changed and which references are unknown.
 *
 * @example
 * await setAttendance(tx.db, meeting.id, [{ ref: "3fa1c09b2e44", attended: true }]);
 */
export async function setAttendance(
  db: Db,
  meetingId: number,
  marks: readonly AttendanceMark[],
): Promise<AttendanceResult> {
  const refs = [...new Set(marks.map((m) => m.ref))];
  if (refs.length === 0) return { changed: 0, unknown: [] };
  const rows = await db
    .selectFrom("rsvps")
    .select(["ref", "attended"])
    .where("meeting_id", "=", meetingId)
    .where("ref", "in", refs)
    .execute();
  const now = new Map(rows.map((r) => [r.ref ?? "", Number(r.attended) === 1]));
  let changed = 0;
  for (const mark of marks) {
    const current = now.get(mark.ref);
    if (current === undefined || current === mark.attended) continue;
    await db
      .updateTable("rsvps")
      .set({ attended: mark.attended ? 1 : 0 })
      .where("meeting_id", "=", meetingId)
      .where("ref", "=", mark.ref)
      .execute();
    now.set(mark.ref, mark.attended);
    changed += 1;
  }
  return { changed, unknown: refs.filter((ref) => !now.has(ref)) };
}
