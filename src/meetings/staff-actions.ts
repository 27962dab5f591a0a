/**
 * What a signed-in staff member does to meetings from the console or the API, each in one
 * transaction with its audit entry: create (and announce), edit or move, cancel, check in. Both
 * front ends call these, so a page and an API route can never do different things. The role was
 * checked for this very request (src/console/guard.ts), so it holds at the moment of the action.
 */
import type { App } from "../app.ts";
import { audit } from "../console/audit.ts";
import { actor, type StaffSession } from "../console/context.ts";
import { announceMeeting, announcementReach, reachOf, withdrawAnnouncement } from "./announce.ts";
import { type AttendanceMark, type AttendanceResult, setAttendance } from "./attendance.ts";
import { type ChangeResult, cancelMeeting, changeableMeeting, changeMeeting } from "./changes.ts";
import type { FieldError, ParsedMeeting } from "./console-input.ts";
import { createMeeting, getMeeting, type Meeting, type NewMeeting } from "./repository.ts";

/** What creating did. */
export interface Created {
  meeting: Meeting;
  /** The broadcast announcing it, or null when staff chose not to announce. */
  announcementId: number | null;
  /** People the announcement is queued for (news subscribers of the city, or all for online). */
  reach: number;
}

/**
 * Creates a meeting and, when asked, announces it to the people who asked for news.
 *
 * @example
 * const { meeting, reach } = await createAsStaff(app, staff, parsed.meeting, true);
 */
export async function createAsStaff(
  app: App,
  staff: StaffSession,
  input: NewMeeting,
  announce: boolean,
): Promise<Created> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const meeting = await createMeeting(tx.db, input, actor(staff), now);
    let announcementId: number | null = null;
    let reach = 0;
    if (announce) {
      reach = reachOf(await announcementReach(tx, app.content), meeting);
      announcementId = await announceMeeting(
        {
          scheduler: app.scheduler,
          renderer: app.engine.renderer,
          languages: app.translator.languages,
          pack: app.content,
        },
        tx,
        meeting,
        actor(staff),
        now,
      );
    }
    await audit(tx.db, staff, "meeting.create", { meetingId: meeting.id, announced: announce, reach }, now);
    return { meeting, announcementId, reach };
  });
}

/** The outcome of an edit: done, refused fields, or no such (or a cancelled) meeting. */
export type Edited =
  | { ok: true; result: ChangeResult }
  | { ok: false; errors: FieldError[] }
  | { ok: false; gone: true };

/**
 * Edits or moves a meeting: `parse` reads the new values against the meeting as it is now (a start
 * in the past is refused only when it changes). Guests hear of a new time or place.
 *
 * @example
 * await editAsStaff(app, staff, id, (before) => parseMeetingFields(fields, { now, defaultTimeZone, currentStart: before.startsAt }));
 */
export async function editAsStaff(
  app: App,
  staff: StaffSession,
  id: number,
  parse: (before: Meeting) => ParsedMeeting,
): Promise<Edited> {
  const now = app.clock.now();
  return app.store.transaction(async (tx): Promise<Edited> => {
    const before = await changeableMeeting(tx, id);
    if (!before) return { ok: false, gone: true };
    const parsed = parse(before);
    if (!parsed.ok) return { ok: false, errors: parsed.errors };
    const result = await changeMeeting(
      { engine: app.engine, scheduler: app.scheduler },
      tx,
      before,
      parsed.meeting,
      now,
    );
    if (result.changed.length > 0) {
      await audit(
        tx.db,
        staff,
        result.kind === "move" ? "meeting.move" : "meeting.update",
        { meetingId: id, changed: result.changed, told: result.told, promoted: result.promoted },
        now,
      );
    }
    return { ok: true, result };
  });
}

/**
 * Cancels a meeting, tells its guests and withdraws what is not sent yet of its announcement.
 * Undefined when there is no such meeting or it was already cancelled.
 *
 * @example
 * const done = await cancelAsStaff(app, staff, id);
 */
export async function cancelAsStaff(app: App, staff: StaffSession, id: number): Promise<ChangeResult | undefined> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const before = await changeableMeeting(tx, id);
    if (!before) return undefined;
    const result = await cancelMeeting({ engine: app.engine, scheduler: app.scheduler }, tx, before, now);
    const withdrawn = await withdrawAnnouncement(tx, app.scheduler, id, now);
    await audit(tx.db, staff, "meeting.cancel", { meetingId: id, told: result.told, withdrawn }, now);
    return result;
  });
}

/**
 * Records who came. Undefined when there is no such meeting (cancelled ones may still be checked:
 * people may have come anyway).
 *
 * @example
 * await checkInAsStaff(app, staff, id, [{ ref, attended: true }]);
 */
export async function checkInAsStaff(
  app: App,
  staff: StaffSession,
  id: number,
  marks: readonly AttendanceMark[],
): Promise<AttendanceResult | undefined> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    if (!(await getMeeting(tx.db, id))) return undefined;
    const result = await setAttendance(tx.db, id, marks);
    if (result.changed > 0)
      await audit(tx.db, staff, "meeting.attendance", { meetingId: id, changed: result.changed }, now);
    return result;
  });
}
