/**
 * What a teacher or an admin does to classes from the console or the API, each in one transaction
 * with its audit entry: create, change, renew the join code, archive, add a session, mark attendance,
 * message the class. Both front ends call these, so a page and an API route can never do different
 * things. The class is read and its access checked inside the transaction (a teacher reaches only
 * their own, src/classes/access.ts): someone else's class is "no such class", never a refusal that
 * would tell that it exists.
 */
import type { App } from "../app.ts";
import { type ClassViewer, canSeeClass } from "../classes/access.ts";
import { setClassAttendance } from "../classes/attendance.ts";
import { messageClass } from "../classes/message.ts";
import {
  archiveClass,
  type ClassRecord,
  createClass,
  getClass,
  type NewClass,
  renewJoinCode,
  updateClass,
} from "../classes/repository.ts";
import { classSessions, createClassSession } from "../classes/sessions.ts";
import type { Address } from "../domain/address.ts";
import type { Meeting } from "../meetings/repository.ts";
import { listStaff } from "../staff/members.ts";
import type { StoreTx } from "../storage/store.ts";
import { audit } from "./audit.ts";
import type { TeacherChoice } from "./classes-form.tsx";
import { changedSettings } from "./classes-input.ts";
import { actor, hasRole, type StaffSession } from "./context.ts";

/**
 * The viewer a console session is, for the access rules of classes.
 *
 * @example
 * canSeeClass(viewerOf(c.get("staff")), cls);
 */
export function viewerOf(staff: StaffSession): ClassViewer {
  return { address: staff.address as Address, roles: [...staff.roles] };
}

/**
 * The chat address of the signed-in person, or null for the admin token (it has none).
 *
 * @example
 * addressOf(staff); // "telegram:100"
 */
export function addressOf(staff: StaffSession): Address | null {
  return staff.address === "admin-token" ? null : staff.address;
}

/**
 * Who an admin may name as a class's teacher: everyone with the teacher or admin role (admins teach
 * too). Undefined for a teacher, whose classes are always their own.
 *
 * @example
 * const choices = await teacherChoices(app, staff); // undefined for a teacher
 */
export async function teacherChoices(app: App, staff: StaffSession): Promise<TeacherChoice[] | undefined> {
  if (!hasRole(staff, "admin")) return undefined;
  const members = await listStaff(app.store.reader, app.staff);
  return members
    .filter((m) => m.roles.includes("teacher") || m.roles.includes("admin"))
    .map((m) => ({ address: m.address, name: m.name }));
}

/**
 * The addresses the form may name as teacher: an admin's choices (and the class's teacher now, who
 * may have lost the role since), or a teacher's own address.
 *
 * @example
 * allowedTeachers(teacherSession, undefined); // ["telegram:100"]
 */
export function allowedTeachers(
  staff: StaffSession,
  choices: readonly TeacherChoice[] | undefined,
  current?: Address | null,
): Address[] {
  if (!choices) return addressOf(staff) ? [addressOf(staff) as Address] : [];
  return [...new Set([...choices.map((c) => c.address), ...(current ? [current] : [])])];
}

/**
 * The class with this id if the signed-in person may see it, else undefined (also when it exists).
 *
 * @example
 * const cls = await visibleClass(app.store.reader, staff, 3);
 */
export async function visibleClass(
  tx: Pick<StoreTx, "db">,
  staff: StaffSession,
  id: number,
): Promise<ClassRecord | undefined> {
  const cls = await getClass(tx.db, id);
  return cls && canSeeClass(viewerOf(staff), cls) ? cls : undefined;
}

/**
 * Creates a class (with a new join code).
 *
 * @example
 * const cls = await createClassAsStaff(app, staff, parsed.value);
 */
export async function createClassAsStaff(app: App, staff: StaffSession, input: NewClass): Promise<ClassRecord> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const cls = await createClass(tx.db, input, now);
    await audit(tx.db, staff, "class.create", { classId: cls.id, courses: cls.courses.length }, now);
    return cls;
  });
}

/**
 * Changes a class. Undefined when the person cannot see it; `parse` reads the change against the class
 * as it is inside the transaction.
 *
 * @example
 * const done = await editClassAsStaff(app, staff, id, (before) => parseClassFields(...));
 */
export async function editClassAsStaff<E>(
  app: App,
  staff: StaffSession,
  id: number,
  parse: (before: ClassRecord) => { ok: true; value: NewClass } | { ok: false; errors: E },
): Promise<{ ok: true; cls: ClassRecord; changed: string[] } | { ok: false; errors: E } | undefined> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const before = await visibleClass(tx, staff, id);
    if (!before || before.status === "archived") return undefined;
    const parsed = parse(before);
    if (!parsed.ok) return parsed;
    const changed = changedSettings(before, parsed.value);
    if (changed.length === 0) return { ok: true, cls: before, changed };
    const cls = (await updateClass(tx.db, id, parsed.value, now)) ?? before;
    await audit(tx.db, staff, "class.update", { classId: id, changed }, now);
    return { ok: true, cls, changed };
  });
}

/**
 * Gives the class a new join code (the old one stops working). Undefined when the person cannot see it
 * or it is archived.
 *
 * @example
 * const cls = await renewCodeAsStaff(app, staff, id);
 */
export async function renewCodeAsStaff(app: App, staff: StaffSession, id: number): Promise<ClassRecord | undefined> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const before = await visibleClass(tx, staff, id);
    if (!before || before.status === "archived") return undefined;
    const cls = await renewJoinCode(tx.db, id, now);
    await audit(tx.db, staff, "class.renewCode", { classId: id }, now);
    return cls;
  });
}

/**
 * Archives a class: nobody can join any more, and its learners' links go after the kept period.
 * Undefined when the person cannot see it or it is archived already.
 *
 * @example
 * await archiveClassAsStaff(app, staff, id);
 */
export async function archiveClassAsStaff(app: App, staff: StaffSession, id: number): Promise<ClassRecord | undefined> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const before = await visibleClass(tx, staff, id);
    if (!before || before.status === "archived") return undefined;
    const cls = await archiveClass(tx.db, id, now);
    await audit(tx.db, staff, "class.archive", { classId: id }, now);
    return cls;
  });
}

/** A session as the form or the API gives it (already read: see src/meetings/console-input.ts). */
export interface SessionInput {
  title: Record<string, string>;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  place: string | null;
  onlineUrl: string | null;
}

/**
 * Adds a session to the class; its learners are told and asked whether they come. Undefined when the
 * person cannot see the class or it is archived.
 *
 * @example
 * const meeting = await addSessionAsStaff(app, staff, id, { title: { en: "Week 1" }, ... });
 */
export async function addSessionAsStaff(
  app: App,
  staff: StaffSession,
  id: number,
  input: SessionInput,
): Promise<Meeting | undefined> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const cls = await visibleClass(tx, staff, id);
    if (!cls || cls.status === "archived") return undefined;
    const meeting = await createClassSession(
      { engine: app.engine, scheduler: app.scheduler },
      tx,
      cls,
      input,
      addressOf(staff),
      now,
    );
    await audit(tx.db, staff, "class.session", { classId: id, meetingId: meeting.id }, now);
    return meeting;
  });
}

/**
 * The session of this class with this meeting id, if it is one (cancelled ones are not).
 *
 * @example
 * const meeting = await sessionOf(app.store.reader, cls, 12, now);
 */
export async function sessionOf(tx: Pick<StoreTx, "db">, cls: ClassRecord, meetingId: number, now: Date) {
  const sessions = await classSessions(tx.db, cls.id, { now, includePast: true });
  return sessions.find((m) => m.id === meetingId);
}

/**
 * Marks who came to a session (by the learners' refs). Undefined when the person cannot see the class
 * or the meeting is not one of its sessions.
 *
 * @example
 * await attendanceAsStaff(app, staff, id, meetingId, [{ ref: "a1b2c3d4", attended: true }]);
 */
export async function attendanceAsStaff(
  app: App,
  staff: StaffSession,
  id: number,
  meetingId: number,
  marks: readonly { ref: string; attended: boolean }[],
): Promise<{ changed: number; unknown: string[] } | undefined> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const cls = await visibleClass(tx, staff, id);
    if (!cls || !(await sessionOf(tx, cls, meetingId, now))) return undefined;
    const result = await setClassAttendance(tx.db, cls, meetingId, [...marks], now);
    if (result.changed > 0)
      await audit(tx.db, staff, "class.attendance", { classId: id, meetingId, changed: result.changed }, now);
    return result;
  });
}

/**
 * Sends a message to every learner of the class, each in their language. Undefined when the person
 * cannot see the class or it is archived.
 *
 * @example
 * const sent = await messageAsStaff(app, staff, id, { en: "No class on Thursday." });
 */
export async function messageAsStaff(
  app: App,
  staff: StaffSession,
  id: number,
  texts: Record<string, string>,
  sendAt?: Date,
): Promise<{ broadcastId: number; recipients: number } | undefined> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const cls = await visibleClass(tx, staff, id);
    if (!cls || cls.status === "archived") return undefined;
    const sent = await messageClass({ scheduler: app.scheduler }, tx, cls, texts, actor(staff), now, sendAt);
    await audit(
      tx.db,
      staff,
      "class.message",
      { classId: id, broadcastId: sent.broadcastId, recipients: sent.recipients },
      now,
    );
    return sent;
  });
}

/**
 * Records that a class's CSV was downloaded (it names learners by their chosen names): who, which
 * class, how many rows. Nothing changes, so it needs no transaction of its own.
 *
 * @example
 * await auditExport(app, staff, cls.id, progress.learners.length);
 */
export async function auditExport(app: App, staff: StaffSession, classId: number, rows: number): Promise<void> {
  await audit(app.store.db, staff, "class.export", { classId, rows }, app.clock.now());
}
