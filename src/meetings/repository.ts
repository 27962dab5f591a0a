/**
 * Meetings and RSVPs in storage, with capacity: a "yes" beyond the capacity
 * waits, and when a confirmed place is given up the longest-waiting person
 * moves up. Every function works inside the caller's transaction.
 */
import { randomBytes } from "node:crypto";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Address } from "../domain/address.ts";
import { prepared } from "../storage/prepared.ts";
import type { Database, MeetingsTable } from "../storage/schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** A meeting as the rest of Lotse sees it. */
export interface Meeting {
  id: number;
  title: Record<string, string>;
  description: Record<string, string>;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  place: string | null;
  mapUrl: string | null;
  onlineUrl: string | null;
  city: string | null;
  languages: string[];
  capacity: number | null;
  status: "planned" | "moved" | "cancelled";
  /** The class whose session this is (only its learners see it; never announced), or null for a public meeting. */
  classId: number | null;
}

/** What is needed to create a meeting: a public one unless `classId` names a class. */
export type NewMeeting = Omit<Meeting, "id" | "status" | "classId"> & { classId?: number | null };

/** An answer to a meeting. */
export type Answer = "yes" | "maybe" | "no";

/** A stored RSVP. */
export interface Rsvp {
  meetingId: number;
  address: Address;
  answer: Answer;
  waiting: boolean;
}

/**
 * A meeting from its stored row.
 *
 * @example
 * const meetings = rows.map(toMeeting);
 */
export function toMeeting(row: Selectable<MeetingsTable>): Meeting {
  return {
    id: Number(row.id),
    title: JSON.parse(row.title) as Record<string, string>,
    description: JSON.parse(row.description) as Record<string, string>,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    timeZone: row.time_zone,
    place: row.place,
    mapUrl: row.map_url,
    onlineUrl: row.online_url,
    city: row.city,
    languages: JSON.parse(row.languages) as string[],
    capacity: row.capacity === null ? null : Number(row.capacity),
    status: row.status as Meeting["status"],
    classId: row.class_id === null || row.class_id === undefined ? null : Number(row.class_id),
  };
}

function columns(m: Partial<NewMeeting>) {
  return {
    ...(m.title ? { title: JSON.stringify(m.title) } : {}),
    ...(m.description ? { description: JSON.stringify(m.description) } : {}),
    ...(m.startsAt ? { starts_at: m.startsAt.toISOString() } : {}),
    ...(m.endsAt ? { ends_at: m.endsAt.toISOString() } : {}),
    ...(m.timeZone ? { time_zone: m.timeZone } : {}),
    ...(m.place !== undefined ? { place: m.place } : {}),
    ...(m.mapUrl !== undefined ? { map_url: m.mapUrl } : {}),
    ...(m.onlineUrl !== undefined ? { online_url: m.onlineUrl } : {}),
    ...(m.city !== undefined ? { city: m.city } : {}),
    ...(m.languages ? { languages: JSON.stringify(m.languages) } : {}),
    ...(m.capacity !== undefined ? { capacity: m.capacity } : {}),
    ...(m.classId !== undefined ? { class_id: m.classId } : {}),
  };
}

/** Creates a meeting and returns it. */
export async function createMeeting(
  db: Db,
  meeting: NewMeeting,
  createdBy: string | null,
  now: Date,
): Promise<Meeting> {
  const at = now.toISOString();
  const row = await db
    .insertInto("meetings")
    .values({
      title: "{}",
      description: "{}",
      starts_at: at,
      ends_at: at,
      time_zone: meeting.timeZone,
      languages: "[]",
      ...columns(meeting),
      status: "planned",
      created_by: createdBy,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return (await getMeeting(db, Number(row.id))) as Meeting;
}

/** Changes a meeting; a new start time marks it `moved`. */
export async function updateMeeting(
  db: Db,
  id: number,
  patch: Partial<NewMeeting> & { status?: Meeting["status"] },
  now: Date,
): Promise<Meeting | undefined> {
  const status = patch.status ?? (patch.startsAt ? "moved" : undefined);
  await db
    .updateTable("meetings")
    .set({ ...columns(patch), ...(status ? { status } : {}), updated_at: now.toISOString() })
    .where("id", "=", id)
    .execute();
  return getMeeting(db, id);
}

export async function getMeeting(db: Db, id: number): Promise<Meeting | undefined> {
  const row = await db.selectFrom("meetings").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toMeeting(row) : undefined;
}

/**
 * The meeting with this id if it is a city or online meeting, not a class session: the meetings
 * pages and API open only those (a class session is the class's, opened through its class).
 */
export async function cityMeeting(db: Db, id: number): Promise<Meeting | undefined> {
  const meeting = await getMeeting(db, id);
  return meeting && meeting.classId === null ? meeting : undefined;
}

/**
 * Meetings still to come, in a city and online (no city), soonest first; cancelled ones included only when asked.
 * A class's sessions are never among them, except with `classId` (only that class's sessions) or
 * `learner` (also the sessions of the classes this person is in).
 */
export async function upcomingMeetings(
  db: Db,
  options: {
    now: Date;
    city?: string | null;
    allCities?: boolean;
    includeCancelled?: boolean;
    limit?: number;
    classId?: number;
    learner?: Address;
  },
): Promise<Meeting[]> {
  let query = db.selectFrom("meetings").selectAll().where("ends_at", ">", options.now.toISOString());
  if (!options.includeCancelled) query = query.where("status", "!=", "cancelled");
  const city = options.city ?? null;
  const { classId, learner } = options;
  if (classId !== undefined) query = query.where("class_id", "=", classId);
  else
    query = query.where((eb) => {
      const inCity = options.allCities
        ? eb("class_id", "is", null)
        : eb.and([
            eb("class_id", "is", null),
            city ? eb.or([eb("city", "is", null), eb("city", "=", city)]) : eb("city", "is", null),
          ]);
      if (!learner) return inCity;
      const mine = eb
        .selectFrom("class_members")
        .select("class_members.class_id")
        .where("class_members.address", "=", learner);
      return eb.or([inCity, eb("class_id", "in", mine)]);
    });
  const rows = await query
    .orderBy("starts_at")
    .limit(options.limit ?? 50)
    .execute();
  return rows.map((r) => toMeeting(r));
}

/**
 * Meetings that ended in the last `days` days (newest first), cancelled ones included: for
 * check-in and exports after the day. A class's sessions only with `classId` (then only that class's).
 *
 * @example
 * const past = await pastMeetings(db, { now, days: 60 });
 */
export async function pastMeetings(
  db: Db,
  options: { now: Date; days: number; limit?: number; classId?: number },
): Promise<Meeting[]> {
  const since = new Date(options.now.getTime() - options.days * 86_400_000).toISOString();
  const rows = await db
    .selectFrom("meetings")
    .selectAll()
    .where("ends_at", "<=", options.now.toISOString())
    .where("ends_at", ">", since)
    // A class's sessions only when that class's are asked for: they are no city meetings.
    .where((eb) => (options.classId === undefined ? eb("class_id", "is", null) : eb("class_id", "=", options.classId)))
    .orderBy("starts_at", "desc")
    .limit(options.limit ?? 50)
    .execute();
  return rows.map((r) => toMeeting(r));
}

export async function rsvpOf(db: Db, meetingId: number, address: Address): Promise<Rsvp | undefined> {
  const row = await db
    .selectFrom("rsvps")
    .selectAll()
    .where("meeting_id", "=", meetingId)
    .where("address", "=", address)
    .executeTakeFirst();
  return row ? { meetingId, address, answer: row.answer as Answer, waiting: Number(row.waiting) === 1 } : undefined;
}

/** Every RSVP of one meeting, confirmed places first, then the waiting list in order. */
export async function rsvpsOf(db: Db, meetingId: number): Promise<Rsvp[]> {
  const rows = await db
    .selectFrom("rsvps")
    .selectAll()
    .where("meeting_id", "=", meetingId)
    .orderBy("waiting")
    .orderBy("updated_at")
    // Answers in the same instant: a fixed order, whichever index the database reads them by.
    .orderBy("address")
    .execute();
  return rows.map((r) => ({
    meetingId,
    address: r.address as Address,
    answer: r.answer as Answer,
    waiting: Number(r.waiting) === 1,
  }));
}

async function confirmedCount(db: Db, meetingId: number): Promise<number> {
  const row = await db
    .selectFrom("rsvps")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("meeting_id", "=", meetingId)
    .where("answer", "=", "yes")
    .where("waiting", "=", 0)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The result of an answer: the person's place, and who moved up from the waiting list. */
export interface RsvpResult {
  rsvp: Rsvp;
  /** Their number on the waiting list, when waiting. */
  position?: number;
  promoted: Address[];
}

/**
 * Records an answer. A "yes" when the meeting is full waits; giving up a
 * confirmed place lets the longest-waiting people move up. The caller locks the meeting first
 * (`lockMeeting`), or two answers at once count the same free place.
 *
 * @example
 * const { rsvp, promoted } = await answerMeeting(tx.db, meeting, address, "no", now);
 */
export async function answerMeeting(
  db: Db,
  meeting: Meeting,
  address: Address,
  answer: Answer,
  now: Date,
): Promise<RsvpResult> {
  const before = await rsvpOf(db, meeting.id, address);
  const keepsPlace = before?.answer === "yes" && !before.waiting && answer === "yes";
  const full = meeting.capacity !== null && (await confirmedCount(db, meeting.id)) >= meeting.capacity;
  const waiting = answer === "yes" && !keepsPlace && full;
  // The waiting list is in the order of `updated_at`, and the person is told their number now: a new
  // place in it comes after every place already there, whatever time this turn started at (a turn that
  // started earlier in another process, and waited for the meeting's lock, told two people "number 2").
  const at = waiting ? await afterTheQueue(db, meeting.id, now) : now;
  const values = { answer, waiting: waiting ? 1 : 0, updated_at: at.toISOString() };
  if (!(before?.answer === answer && before.waiting === waiting)) {
    await db
      .insertInto("rsvps")
      // The guest's reference is made once, at the first answer, and never derived from the address.
      .values({ meeting_id: meeting.id, address, ref: randomBytes(6).toString("hex"), ...values })
      .onConflict((oc) => oc.columns(["meeting_id", "address"]).doUpdateSet(values))
      .execute();
  }
  const promoted =
    before?.answer === "yes" && !before.waiting && answer !== "yes" ? await moveUp(db, meeting, now) : [];
  const rsvp = { meetingId: meeting.id, address, answer, waiting };
  if (!waiting) return { rsvp, promoted };
  const queue = (await rsvpsOf(db, meeting.id)).filter((r) => r.waiting);
  return { rsvp, position: queue.findIndex((r) => r.address === address) + 1, promoted };
}

/** `now`, or just after the last place on the meeting's waiting list when that is later. */
async function afterTheQueue(db: Db, meetingId: number, now: Date): Promise<Date> {
  const last = await db
    .selectFrom("rsvps")
    .select((eb) => eb.fn.max("updated_at").as("at"))
    .where("meeting_id", "=", meetingId)
    .where("waiting", "=", 1)
    .executeTakeFirst();
  const lastAt = last?.at ? Date.parse(String(last.at)) : Number.NaN;
  return Number.isFinite(lastAt) && lastAt >= now.getTime() ? new Date(lastAt + 1) : now;
}

/** Gives free places to the longest-waiting people; returns who moved up. */
export async function moveUp(db: Db, meeting: Meeting, now: Date): Promise<Address[]> {
  const free =
    meeting.capacity === null ? Number.POSITIVE_INFINITY : meeting.capacity - (await confirmedCount(db, meeting.id));
  if (free <= 0) return [];
  const waiting = (await rsvpsOf(db, meeting.id)).filter((r) => r.waiting);
  const lucky = waiting.slice(0, Number.isFinite(free) ? free : waiting.length).map((r) => r.address);
  for (const address of lucky) {
    await db
      .updateTable("rsvps")
      .set({ waiting: 0, updated_at: now.toISOString() })
      .where("meeting_id", "=", meeting.id)
      .where("address", "=", address)
      .execute();
  }
  return lucky;
}

/** Whether an address is staff: in `STAFF_ADDRESSES` or added by an admin. */
export async function staffRolesOf(db: Db, address: Address): Promise<string[]> {
  const row = (await rolesRow(db, { address })).rows[0];
  return row ? row.roles.split("+") : [];
}

const rolesRow = prepared((db, p: { address: string }) =>
  db.selectFrom("staff_members").select("roles").where("address", "=", p.address),
);

/** Subscribes to or unsubscribes from news and announcements. */
export async function setNews(db: Db, address: Address, wanted: boolean, now: Date): Promise<void> {
  if (!wanted) {
    await db.deleteFrom("news_subscriptions").where("address", "=", address).execute();
    return;
  }
  await db
    .insertInto("news_subscriptions")
    .values({ address, created_at: now.toISOString() })
    .onConflict((oc) => oc.column("address").doNothing())
    .execute();
}

export async function wantsNews(db: Db, address: Address): Promise<boolean> {
  return (
    (await db.selectFrom("news_subscriptions").select("address").where("address", "=", address).executeTakeFirst()) !==
    undefined
  );
}
