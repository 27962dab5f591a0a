/**
 * What the learner's class flow shows, as plain data and lines: the data it starts with (the
 * class a join code opens, the person's classes with their progress and next session), the class
 * card, and the answers to a join code that does not work. Shared by the flow and the feature's
 * join effect, so a code that stopped working between the question and "yes" gets the same words.
 */
import { type Line, type Msg, msg } from "./kit.ts";
import { meetingTime } from "./meetings.ts";

/** What a join code opens, read when the flow starts with one. */
export type JoinPreview =
  | { kind: "open"; classId: number; name: string }
  | { kind: "already"; classId: number; name: string }
  | { kind: "closed" | "full" | "expired"; name: string }
  | { kind: "unknown" };

/** The class's next session as the learner sees it, with their answer. */
export interface ClassSessionView {
  id: number;
  title: Record<string, string>;
  startsAt: string;
  endsAt: string;
  place: string | null;
  mapUrl: string | null;
  onlineUrl: string | null;
  status: "planned" | "moved" | "cancelled";
  /** The learner's answer, or null before they answered. */
  answer: "yes" | "maybe" | "no" | null;
  waiting: boolean;
}

/** One of the learner's classes: where the class is, and where the learner is against it. */
export interface MyClassView {
  id: number;
  name: string;
  /** The name the learner chose for the class; null when they chose none (the teacher then sees `ref`). */
  displayName: string | null;
  ref: string;
  /** The course the class is on today (a content course id), or null when the class has none. */
  course: string | null;
  /** Lessons of that course the learner finished, and how many it has. */
  courseDone: number;
  courseTotal: number;
  /** Lessons of all the class's courses finished, and how many there are. */
  done: number;
  total: number;
  /** How many courses the class follows. */
  courses: number;
  /** The lesson to continue with (see src/classes/next-lesson.ts), or null when all are done. */
  next: string | null;
  session: ClassSessionView | null;
}

/** What the class flow reads from storage. */
export interface ClassesData {
  /** What the join code the flow started with opens; null without a code. */
  join: JoinPreview | null;
  /** The learner's active classes, the one joined last first. */
  classes: MyClassView[];
}

/** The answers a join code can get that are not a join. */
export type JoinRefusal = "unknown" | "expired" | "closed" | "full";

/**
 * What to say when a code does not work: why, in plain words, and, where another code would help (an
 * unknown or expired one), to ask the teacher for it. A learner told a class is full or closed has the
 * right code: asking for "the code" again read as if they had typed it wrong (a staff trial).
 *
 * @example
 * joinRefusalLines("expired", "Tuesday group"); // [msg("classes.join.expired", { name }), msg("classes.join.askTeacher")]
 */
export function joinRefusalLines(kind: JoinRefusal, name: string | null): Line[] {
  const why = msg(`classes.join.${kind}`, name === null ? {} : { name });
  return kind === "unknown" || kind === "expired" ? [why, msg("classes.join.askTeacher")] : [why];
}

/** How the teacher names the learner: the name they chose, else "Learner <ref>". */
export function seenAs(view: Pick<MyClassView, "displayName" | "ref">): Msg {
  return view.displayName
    ? msg("classes.seenAs", { name: view.displayName })
    : msg("classes.seenAsLearner", { ref: view.ref });
}

/**
 * The next session's lines: when (in the learner's zone), where, and their answer; or that none is
 * planned yet.
 *
 * @example
 * sessionLines(view.session, "de", "Europe/Berlin");
 */
export function sessionLines(session: ClassSessionView | null, language: string, timeZone: string): Line {
  if (!session) return [msg("classes.session.none")];
  const time = meetingTime(session.startsAt, session.endsAt, language, timeZone);
  return [
    msg("classes.session.next", { time, zone: timeZone }),
    msg("common.raw", { text: session.title }),
    ...(session.status === "cancelled" ? [msg("meetings.card.cancelled")] : []),
    ...(session.status === "moved" ? [msg("meetings.card.moved")] : []),
    ...(session.place ? [msg("meetings.card.place", { text: session.place })] : []),
    ...(session.onlineUrl ? [msg("meetings.card.online", { url: session.onlineUrl })] : []),
    ...(session.status === "cancelled"
      ? []
      : session.waiting
        ? [msg("meetings.card.youWait")]
        : session.answer
          ? [msg(`meetings.card.you.${session.answer}`)]
          : []),
  ];
}

/**
 * The class card: the class, the course it is on and the learner's progress against it, the next
 * session, and how the teacher sees them.
 *
 * @example
 * classCard(view, { en: "Stay safe online" }, "en", "Europe/Berlin");
 */
export function classCard(
  view: MyClassView,
  courseTitle: Record<string, string> | null,
  language: string,
  timeZone: string,
): Line[] {
  const progress: Msg[] =
    view.course === null || courseTitle === null
      ? [msg("classes.card.noCourse")]
      : [
          msg("classes.card.course", { title: courseTitle }),
          msg("classes.card.courseProgress", { done: view.courseDone, total: view.courseTotal }),
          ...(view.courses > 1 ? [msg("classes.card.allProgress", { done: view.done, total: view.total })] : []),
          ...(view.total > 0 && view.done === view.total ? [msg("classes.card.allDone")] : []),
        ];
  return [
    msg("classes.card.title", { name: view.name }),
    progress,
    sessionLines(view.session, language, timeZone),
    seenAs(view),
  ];
}
