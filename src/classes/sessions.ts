/**
 * A class's sessions: meetings with `class_id`, seen only by the class's learners (in "Meetings"
 * beside the public ones, and in "my class"), never announced to the city and never in a public list.
 * When a session is added each learner is told at once, in their language and time zone, and asked
 * whether they come (yes, maybe, no) as the meetings flow asks; whoever says yes gets the meeting
 * reminders. Someone in the middle of a lesson or a quiz gets a line of text saying where to answer
 * instead, so their place is not lost.
 */
import type { Kysely, Transaction } from "kysely";
import { type Line, msg, type Reply } from "../../flows/kit.ts";
import { meetingTime } from "../../flows/meetings.ts";
import type { Address } from "../domain/address.ts";
import { fallbackLanguage, languageByCode, languages } from "../domain/languages.ts";
import type { Engine } from "../engine/engine.ts";
import { createMeeting, type Meeting, toMeeting } from "../meetings/repository.ts";
import type { SqlScheduler } from "../scheduler/scheduler.ts";
import type { Database } from "../storage/schema.ts";
import type { StoreTx } from "../storage/store.ts";
import { isBusy } from "./busy.ts";
import { type ClassRecord, membersOf } from "./repository.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** What adding a session needs: the engine to tell the learners, the scheduler for what follows. */
export interface SessionServices {
  engine: Engine;
  scheduler: SqlScheduler;
}

/** A session as the teacher gives it. */
export interface SessionInput {
  /** The title per language (the class's name, or "Week 3: passwords"). */
  title: Record<string, string>;
  startsAt: Date;
  endsAt: Date;
  /** The zone the time was typed in: the class's city's, or the teacher's for an online class. */
  timeZone: string;
  place: string | null;
  onlineUrl: string | null;
}

/**
 * The stored description of a session, in every language that has the text (others read English
 * with the usual note): it says whose session this is.
 */
function descriptionOf(engine: Engine, cls: ClassRecord): Record<string, string> {
  const line = msg("teaching.session.description", { name: cls.name });
  const english = engine.renderer.msg(line, fallbackLanguage);
  const texts: Record<string, string> = { [fallbackLanguage]: english };
  for (const { code } of languages) {
    const text = engine.renderer.msg(line, code);
    if (text !== english) texts[code] = text;
  }
  return texts;
}

/** The notice for a learner who is busy: the session's facts and where to answer. */
function busyNotice(cls: ClassRecord, meeting: Meeting, language: string, timeZone: string): Reply {
  const facts: Line = [
    msg("meetings.card.when", {
      time: meetingTime(meeting.startsAt.toISOString(), meeting.endsAt.toISOString(), language, timeZone),
      zone: timeZone,
    }),
    ...(meeting.place ? [msg("meetings.card.place", { text: meeting.place })] : []),
    ...(meeting.onlineUrl ? [msg("meetings.card.online", { url: meeting.onlineUrl })] : []),
  ];
  return {
    kind: "text",
    lines: [
      msg("teaching.learner.newSession", { name: cls.name }),
      facts,
      msg("meetings.announce.howToAnswer", { entry: msg("meetings.menuEntry") }),
    ],
  };
}

/**
 * Adds a session and tells every learner of the class; returns the session and how many learners
 * were told (those who stopped or cannot be reached are not). The caller checks that the class is
 * active and that the person may add to it.
 *
 * @example
 * const { meeting, told } = await addClassSession(services, tx, cls, input, "telegram:7", now);
 */
export async function addClassSession(
  services: SessionServices,
  tx: StoreTx,
  cls: ClassRecord,
  input: SessionInput,
  by: Address | null,
  now: Date,
): Promise<{ meeting: Meeting; told: number }> {
  const meeting = await createMeeting(
    tx.db,
    {
      title: input.title,
      description: descriptionOf(services.engine, cls),
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      timeZone: input.timeZone,
      place: input.place,
      mapUrl: null,
      onlineUrl: input.onlineUrl,
      city: cls.city,
      languages: cls.languages.map((code) => languageByCode(code)?.nativeName ?? code),
      capacity: null,
      classId: cls.id,
    },
    by,
    now,
  );
  let told = 0;
  for (const member of await membersOf(tx.db, cls.id)) {
    const user = await tx.getUser(member.address);
    if (user?.consent !== "given" || user.status !== "active") continue;
    if (await isBusy(tx, member.address, now)) {
      const notice = busyNotice(cls, meeting, user.language ?? fallbackLanguage, user.timeZone);
      if (await services.engine.notify(tx, member.address, notice, now, "notice")) told += 1;
      continue;
    }
    // The intro says whose session it is; the meetings flow then shows it with yes, maybe and no.
    const intro: Reply = { kind: "text", lines: [msg("teaching.learner.newSession", { name: cls.name })] };
    if (!(await services.engine.notify(tx, member.address, intro, now, "notice"))) continue;
    await services.engine.startProactively(tx, member.address, "meetings", { meeting: String(meeting.id) }, now);
    told += 1;
  }
  return { meeting, told };
}

/**
 * Adds a session to a class (a meeting only its learners see, never announced) and tells each
 * learner, with a way to answer yes, maybe or no; reminders follow for those who say yes.
 *
 * @example
 * const meeting = await createClassSession({ engine, scheduler }, tx, cls, {
 *   title: { en: "Tuesday group" }, startsAt, endsAt, timeZone: "Europe/Berlin",
 *   place: "Stadtbibliothek, Leipzig", onlineUrl: null }, "telegram:7", now);
 */
export async function createClassSession(
  services: SessionServices,
  tx: StoreTx,
  cls: ClassRecord,
  input: SessionInput,
  by: Address | null,
  now: Date,
): Promise<Meeting> {
  return (await addClassSession(services, tx, cls, input, by, now)).meeting;
}

/**
 * The sessions of a class that are not cancelled, soonest first: those still to come (or running),
 * and with `includePast` the ones before too.
 *
 * @example
 * const sessions = await classSessions(tx.db, cls.id, { now, includePast: true });
 */
export async function classSessions(
  db: Db,
  classId: number,
  options: { now: Date; includePast?: boolean },
): Promise<Meeting[]> {
  let query = db.selectFrom("meetings").selectAll().where("class_id", "=", classId).where("status", "!=", "cancelled");
  if (!options.includePast) query = query.where("ends_at", ">", options.now.toISOString());
  const rows = await query.orderBy("starts_at").orderBy("id").limit(500).execute();
  return rows.map(toMeeting);
}

/**
 * The class's next session (one running now counts), if any.
 *
 * @example
 * const next = await nextClassSession(tx.db, cls.id, now);
 */
export async function nextClassSession(db: Db, classId: number, now: Date): Promise<Meeting | undefined> {
  return (await classSessions(db, classId, { now }))[0];
}
