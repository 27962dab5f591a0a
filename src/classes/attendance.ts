/**
 * Who came to a class's session, by the learners' class references (never their addresses). A
 * session is a meeting, so a mark is the RSVP's `attended`: a learner who came without answering
 * gets an RSVP ("yes", attended) so the session's guest list, exports and statistics count them too.
 * Only the learners a call names change, so a teacher's list never unticks someone by accident.
 */
import { randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { getMeeting } from "../meetings/repository.ts";
import type { Database } from "../storage/schema.ts";
import { type ClassRecord, membersOf } from "./repository.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** One learner's mark: their class reference, and whether they came. */
export interface ClassAttendanceMark {
  ref: string;
  attended: boolean;
}

/** Whether the meeting is one of this class's sessions. */
async function isSessionOf(db: Db, cls: ClassRecord, meetingId: number): Promise<boolean> {
  if (!Number.isSafeInteger(meetingId)) return false;
  return (await getMeeting(db, meetingId))?.classId === cls.id;
}

/**
 * Sets who came to a session of the class; returns how many marks changed and the references that
 * name no learner of the class. A meeting that is not this class's session changes nothing (every
 * reference is then unknown).
 *
 * @example
 * await setClassAttendance(tx.db, cls, meeting.id, [{ ref: "a1b2c3d4", attended: true }], now);
 * // { changed: 1, unknown: [] }
 */
export async function setClassAttendance(
  db: Db,
  cls: ClassRecord,
  meetingId: number,
  marks: readonly ClassAttendanceMark[],
  now: Date,
): Promise<{ changed: number; unknown: string[] }> {
  const refs = [...new Set(marks.map((m) => m.ref))];
  if (!(await isSessionOf(db, cls, meetingId))) return { changed: 0, unknown: refs };
  const members = new Map((await membersOf(db, cls.id)).map((m) => [m.ref, m.address]));
  const unknown = refs.filter((ref) => !members.has(ref));
  let changed = 0;
  // The last mark of a reference counts, as a form's last checkbox would.
  const wanted = new Map(marks.map((m) => [m.ref, m.attended]));
  for (const [ref, attended] of wanted) {
    const address = members.get(ref);
    if (!address) continue;
    const rsvp = await db
      .selectFrom("rsvps")
      .select("attended")
      .where("meeting_id", "=", meetingId)
      .where("address", "=", address)
      .executeTakeFirst();
    if (rsvp) {
      if ((Number(rsvp.attended) === 1) === attended) continue;
      await db
        .updateTable("rsvps")
        .set({ attended: attended ? 1 : 0 })
        .where("meeting_id", "=", meetingId)
        .where("address", "=", address)
        .execute();
      changed += 1;
      continue;
    }
    if (!attended) continue;
    await db
      .insertInto("rsvps")
      .values({
        meeting_id: meetingId,
        address,
        answer: "yes",
        waiting: 0,
        attended: 1,
        // As every guest's: made once, never derived from the address.
        ref: randomBytes(6).toString("hex"),
        updated_at: now.toISOString(),
      })
      .execute();
    changed += 1;
  }
  return { changed, unknown };
}

/**
 * Every learner of the class by reference, and whether they came to the session (false when not
 * marked, or when the meeting is not this class's session).
 *
 * @example
 * await classAttendance(tx.db, cls, meeting.id); // { a1b2c3d4: true, e5f6a7b8: false }
 */
export async function classAttendance(db: Db, cls: ClassRecord, meetingId: number): Promise<Record<string, boolean>> {
  const members = await membersOf(db, cls.id);
  const marks: Record<string, boolean> = Object.fromEntries(members.map((m) => [m.ref, false]));
  if (members.length === 0 || !(await isSessionOf(db, cls, meetingId))) return marks;
  const came = await db
    .selectFrom("rsvps")
    .select("address")
    .where("meeting_id", "=", meetingId)
    .where("attended", "=", 1)
    .execute();
  const addresses = new Set(came.map((r) => r.address));
  for (const m of members) marks[m.ref] = addresses.has(m.address);
  return marks;
}
