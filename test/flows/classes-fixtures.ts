/**
 * Hand-built data for the class flows' model walks (test/flows/classes-model.test.ts), shaped as
 * src/classes/learner-data.ts and src/classes/teacher-data.ts read it: one class in Leipzig on two
 * real courses of the content pack, with a named and an unnamed learner, a past session with
 * attendance and a next one; an online class; and the empty cases.
 */
import type { ClassesData, ClassSessionView, JoinPreview, MyClassView } from "../../flows/classes-view.ts";
import type { TeachingClass, TeachingData } from "../../flows/teaching.ts";
import type { ClassProgress, LearnerProgress } from "../../src/classes/progress.ts";
import type { ClassRecord } from "../../src/classes/repository.ts";
import type { ContentPack } from "../../src/content/pack.ts";
import { languages } from "../../src/domain/languages.ts";
import type { Meeting } from "../../src/meetings/repository.ts";

/** The class's name is its sessions' title in every language (as src/classes/teacher-feature.ts stores it). */
const titled = (name: string) => Object.fromEntries(languages.map((l) => [l.code, name]));

const leipzig = { id: 3, name: "Deutsch am Dienstag", code: "K7F2Q" };
const online = { id: 5, name: "Sicher online", code: "M4X9T" };
const courses = ["phone-papers", "safe-online"] as const;
const named = { ref: "a3f09c21", name: "Amal" };
const unnamed = { ref: "7be4d210", name: null };

/** The lesson ids of a course, failing loudly when the pack no longer has it. */
function lessonIds(pack: ContentPack, course: string): string[] {
  const ids = pack.lessonsOf(course).map((l) => l.id);
  if (ids.length === 0) throw new Error(`the content pack has no course ${course}`);
  return ids;
}

/** The next session of the Leipzig class, planned and not answered yet. */
export const nextSession: ClassSessionView = {
  id: 41,
  title: titled(leipzig.name),
  startsAt: "2026-03-10T17:00:00.000Z",
  endsAt: "2026-03-10T18:30:00.000Z",
  place: "Stadtbibliothek Leipzig, Raum 2",
  mapUrl: null,
  onlineUrl: null,
  status: "planned",
  answer: null,
  waiting: false,
};

/** The session variants a learner can meet: answered, waiting, moved online, cancelled. */
export const sessionVariants: Record<string, ClassSessionView | null> = {
  none: null,
  unanswered: nextSession,
  answered: { ...nextSession, answer: "yes" },
  waiting: { ...nextSession, answer: "yes", waiting: true },
  movedOnline: {
    ...nextSession,
    status: "moved",
    place: null,
    onlineUrl: "https://meet.example.org/k7f2q",
    answer: "maybe",
  },
  cancelled: { ...nextSession, status: "cancelled", answer: "no" },
};

/**
 * The learner's view of the Leipzig class: named "Amal", on the second of its two courses, one
 * lesson of it done.
 */
export function leipzigView(pack: ContentPack, session: ClassSessionView | null = nextSession): MyClassView {
  const [first, second] = courses.map((c) => lessonIds(pack, c));
  return {
    id: leipzig.id,
    name: leipzig.name,
    displayName: named.name,
    ref: named.ref,
    course: "safe-online",
    courseDone: 1,
    courseTotal: second?.length ?? 0,
    done: (first?.length ?? 0) + 1,
    total: (first?.length ?? 0) + (second?.length ?? 0),
    courses: 2,
    next: second?.[1] ?? null,
    session,
  };
}

/** The learner's view of the online class: no name chosen, the only course finished, no session. */
export function onlineView(pack: ContentPack): MyClassView {
  const lessons = lessonIds(pack, "safe-online");
  return {
    id: online.id,
    name: online.name,
    displayName: null,
    ref: unnamed.ref,
    course: "safe-online",
    courseDone: lessons.length,
    courseTotal: lessons.length,
    done: lessons.length,
    total: lessons.length,
    courses: 1,
    next: null,
    session: null,
  };
}

/** A class whose teacher has not chosen a course (or whose course left the pack). */
export function noCourseView(pack: ContentPack): MyClassView {
  return { ...onlineView(pack), course: null, courseDone: 0, courseTotal: 0, done: 0, total: 0, courses: 0 };
}

/** What a join code can open, as `previewJoin` answers. */
export const joinPreviews: Record<string, JoinPreview> = {
  open: { kind: "open", classId: leipzig.id, name: leipzig.name },
  already: { kind: "already", classId: leipzig.id, name: leipzig.name },
  closed: { kind: "closed", name: leipzig.name },
  full: { kind: "full", name: leipzig.name },
  expired: { kind: "expired", name: leipzig.name },
  unknown: { kind: "unknown" },
};

/** The learner's data: no join code unless given. */
export function classesData(classes: MyClassView[], join: JoinPreview | null = null): ClassesData {
  return { join, classes };
}

/** The Leipzig class as its teacher sees it: two learners, the last session (Amal came) and the next. */
export const leipzigClass: TeachingClass = {
  id: leipzig.id,
  name: leipzig.name,
  code: leipzig.code,
  city: "leipzig",
  timeZone: "Europe/Berlin",
  languages: ["de", "ar", "en"],
  learners: [named, unnamed],
  sessions: [
    { id: 40, startsAt: "2026-03-03T17:00:00.000Z", endsAt: "2026-03-03T18:30:00.000Z", came: [named.ref] },
    { id: 41, startsAt: nextSession.startsAt, endsAt: nextSession.endsAt, came: [] },
  ],
};

/** The online class in the teacher's zone, in one language, with nobody in it yet. */
export const emptyOnlineClass: TeachingClass = {
  id: online.id,
  name: online.name,
  code: online.code,
  city: null,
  timeZone: "Europe/Stockholm",
  languages: ["en"],
  learners: [],
  sessions: [],
};

/** Learners, but no session yet. */
export const noSessionsClass: TeachingClass = { ...leipzigClass, sessions: [] };

/** The teaching flows' data for a teacher with these classes. */
export function teachingData(pack: ContentPack, classes: TeachingClass[]): TeachingData {
  return { allowed: true, courses: pack.courses.map((c) => ({ id: c.id, title: c.title })), classes };
}

/** The Leipzig class as stored, for the teacher's progress view. */
export const leipzigRecord: ClassRecord = {
  id: leipzig.id,
  name: leipzig.name,
  city: "leipzig",
  languages: ["de", "ar", "en"],
  courses: courses.map((course) => ({ course, startsOn: null, endsOn: null })),
  code: leipzig.code,
  codeExpiresAt: null,
  capacity: 20,
  teacher: "telegram:100",
  status: "active",
  archivedAt: null,
  createdAt: new Date("2026-02-01T09:00:00Z"),
};

/** The next session as stored, for the progress view's "next session" line. */
export const nextMeeting: Meeting = {
  id: 41,
  title: nextSession.title,
  description: {},
  startsAt: new Date(nextSession.startsAt),
  endsAt: new Date(nextSession.endsAt),
  timeZone: "Europe/Berlin",
  place: nextSession.place,
  mapUrl: null,
  onlineUrl: null,
  city: "leipzig",
  languages: ["de", "ar", "en"],
  capacity: null,
  status: "planned",
  classId: leipzig.id,
};

/**
 * The Leipzig class's progress: Amal finished the first course with a quiz taken, the unnamed
 * learner has not started.
 */
export function leipzigProgress(pack: ContentPack): ClassProgress {
  const lessons = courses.flatMap((course) => lessonIds(pack, course).map((lesson) => ({ course, lesson })));
  const firstCourse = lessons.filter((l) => l.course === courses[0]);
  const lastOfFirst = firstCourse.at(-1)?.lesson ?? "";
  const amal: LearnerProgress = {
    ...named,
    joinedAt: new Date("2026-02-03T17:00:00Z"),
    lessons: Object.fromEntries(lessons.map((l) => [l.lesson, l.course === courses[0] ? "done" : "none"])),
    quiz: { [lastOfFirst]: { score: 4, total: 5 } },
    done: firstCourse.length,
    total: lessons.length,
    finishedCourses: [courses[0]],
    lastActive: new Date("2026-03-02T19:40:00Z"),
    state: "active",
  };
  const other: LearnerProgress = {
    ...unnamed,
    joinedAt: new Date("2026-02-10T17:00:00Z"),
    lessons: Object.fromEntries(lessons.map((l) => [l.lesson, "none"])),
    quiz: {},
    done: 0,
    total: lessons.length,
    finishedCourses: [],
    lastActive: null,
    state: "not-started",
  };
  return {
    lessons,
    learners: [amal, other],
    perCourse: [
      { course: courses[0], completion: { finished: 1, of: 2, rate: 0.5 } },
      { course: courses[1], completion: { finished: 0, of: 2, rate: 0 } },
    ],
    programme: { finished: 0, of: 2, rate: 0 },
  };
}

/** The Leipzig class before anybody joined. */
export function emptyProgress(pack: ContentPack): ClassProgress {
  return {
    lessons: courses.flatMap((course) => lessonIds(pack, course).map((lesson) => ({ course, lesson }))),
    learners: [],
    perCourse: courses.map((course) => ({ course, completion: { finished: 0, of: 0, rate: 0 } })),
    programme: { finished: 0, of: 0, rate: 0 },
  };
}
