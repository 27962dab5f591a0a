/**
 * Figures the class pages and the API read about a class's sessions: per session how many said they
 * come and how many came, per learner how many sessions they attended and what they answered.
 */
import type { Kysely, Transaction } from "kysely";
import { classAttendance } from "../classes/attendance.ts";
import { type ClassRecord, membersOf } from "../classes/repository.ts";
import { classSessions } from "../classes/sessions.ts";
import { guestCounts, guestsOf } from "../meetings/guests.ts";
import { type Answer, rsvpsOf } from "../meetings/repository.ts";
import type { Database } from "../storage/schema.ts";
import type { SessionRow } from "./classes-view.tsx";

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The class's sessions, past ones too, with who said they come and who came.
 *
 * @example
 * const rows = await sessionRows(app.store.db, cls, now);
 */
export async function sessionRows(db: Db, cls: ClassRecord, now: Date): Promise<SessionRow[]> {
  const sessions = await classSessions(db, cls.id, { now, includePast: true });
  return Promise.all(
    sessions.map(async (meeting) => {
      const counts = guestCounts(await guestsOf(db, meeting.id));
      const marks = await classAttendance(db, cls, meeting.id);
      return { meeting, coming: counts.yes, came: Object.values(marks).filter(Boolean).length };
    }),
  );
}

/**
 * How many sessions of the class each learner came to, by ref.
 *
 * @example
 * (await attendedCounts(app.store.db, cls, now))["a1b2c3d4"]; // 2
 */
export async function attendedCounts(db: Db, cls: ClassRecord, now: Date): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const meeting of await classSessions(db, cls.id, { now, includePast: true })) {
    for (const [ref, came] of Object.entries(await classAttendance(db, cls, meeting.id)))
      if (came) counts[ref] = (counts[ref] ?? 0) + 1;
  }
  return counts;
}

/**
 * What each learner of the class answered to a session (yes, maybe, no), by ref; a learner who did
 * not answer is left out. Read by address inside the server, handed out only by ref.
 *
 * @example
 * (await sessionAnswers(app.store.db, cls, meetingId))["a1b2c3d4"]; // "yes"
 */
export async function sessionAnswers(db: Db, cls: ClassRecord, meetingId: number): Promise<Record<string, Answer>> {
  const byAddress = new Map((await rsvpsOf(db, meetingId)).map((r) => [r.address as string, r.answer]));
  const answers: Record<string, Answer> = {};
  for (const member of await membersOf(db, cls.id)) {
    const answer = byAddress.get(member.address);
    if (answer) answers[member.ref] = answer;
  }
  return answers;
}
