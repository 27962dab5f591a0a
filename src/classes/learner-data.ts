/**
 * What the learner's class flow starts with: the class a join code opens (looked up as the join
 * would be, storing nothing), and the person's classes with the course each is on, their progress
 * against it, the lesson to go on with and the next session with their answer.
 */
import type { ClassesData, ClassSessionView, JoinPreview, MyClassView } from "../../flows/classes-view.ts";
import type { ContentPack } from "../content/pack.ts";
import type { Address } from "../domain/address.ts";
import { localDay } from "../domain/local-time.ts";
import type { User } from "../domain/user.ts";
import { lessonPositions } from "../learning/repository.ts";
import { rsvpOf } from "../meetings/repository.ts";
import type { StoreTx } from "../storage/store.ts";
import { normalizeJoinCode } from "./codes.ts";
import { type LearnerPositions, nextClassLesson } from "./next-lesson.ts";
import { classProgress, currentCourse, learnerProgressOf } from "./progress.ts";
import { type ClassMember, type ClassRecord, classByCode, classesOf, memberCount, membershipOf } from "./repository.ts";
import { nextClassSession } from "./sessions.ts";

/**
 * What a typed or linked code would do, in the order `joinClass` decides it, without joining.
 *
 * @example
 * await previewJoin(tx, "k7f 2q", "telegram:42", now); // { kind: "open", classId: 3, name: "Tuesday group" }
 */
export async function previewJoin(tx: StoreTx, typed: string, address: Address, now: Date): Promise<JoinPreview> {
  const code = normalizeJoinCode(typed);
  const cls = code ? await classByCode(tx.db, code) : undefined;
  if (!cls) return { kind: "unknown" };
  const name = cls.name;
  if (cls.status === "archived") return { kind: "closed", name };
  if (await membershipOf(tx.db, cls.id, address)) return { kind: "already", classId: cls.id, name };
  if (cls.codeExpiresAt && cls.codeExpiresAt <= now) return { kind: "expired", name };
  if (cls.capacity !== null && (await memberCount(tx.db, cls.id)) >= cls.capacity) return { kind: "full", name };
  return { kind: "open", classId: cls.id, name };
}

async function sessionOf(tx: StoreTx, cls: ClassRecord, address: Address, now: Date): Promise<ClassSessionView | null> {
  const meeting = await nextClassSession(tx.db, cls.id, now);
  if (!meeting) return null;
  const rsvp = await rsvpOf(tx.db, meeting.id, address);
  return {
    id: meeting.id,
    title: meeting.title,
    startsAt: meeting.startsAt.toISOString(),
    endsAt: meeting.endsAt.toISOString(),
    place: meeting.place,
    mapUrl: meeting.mapUrl,
    onlineUrl: meeting.onlineUrl,
    status: meeting.status,
    answer: rsvp?.answer ?? null,
    waiting: rsvp?.waiting ?? false,
  };
}

async function viewOf(
  tx: StoreTx,
  pack: ContentPack,
  entry: { class: ClassRecord; member: ClassMember },
  positions: LearnerPositions,
  today: string,
  now: Date,
): Promise<MyClassView> {
  const { class: cls, member } = entry;
  const progress = await classProgress(tx.db, pack, cls, now);
  const mine = learnerProgressOf(progress, member.ref);
  const course = currentCourse(cls.courses, today)?.course ?? null;
  const ofCourse = progress.lessons.filter((l) => l.course === course);
  return {
    id: cls.id,
    name: cls.name,
    displayName: member.displayName,
    ref: member.ref,
    course: course && pack.course(course) ? course : null,
    courseDone: ofCourse.filter((l) => mine?.lessons[l.lesson] === "done").length,
    courseTotal: ofCourse.length,
    done: mine?.done ?? 0,
    total: progress.lessons.length,
    courses: cls.courses.length,
    next: nextClassLesson(pack, cls.courses, positions, today) ?? null,
    session: await sessionOf(tx, cls, member.address, now),
  };
}

/**
 * The class flow's data: the code's class when it starts with `{ start: "join", code }`, and the
 * person's classes. "Today" is the person's own local day, so a course planned to start on Monday
 * is the class's course from their Monday morning.
 *
 * @example
 * registry.onInput("classes", (tx, user, now, params) => classesData(tx, pack, user, now, params));
 */
export async function classesData(
  tx: StoreTx,
  pack: ContentPack,
  user: User,
  now: Date,
  params: Readonly<Record<string, string>>,
): Promise<ClassesData> {
  const code = params.start === "join" ? (params.code ?? "").trim() : "";
  const join = code ? await previewJoin(tx, code, user.address, now) : null;
  const today = localDay(now, user.timeZone);
  const memberships = await classesOf(tx.db, user.address);
  const positions = memberships.length > 0 ? await lessonPositions(tx.db, user.address) : { completed: [], last: null };
  const classes: MyClassView[] = [];
  for (const entry of memberships) classes.push(await viewOf(tx, pack, entry, positions, today, now));
  return { join, classes };
}
