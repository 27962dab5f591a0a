/**
 * Changing and cancelling a meeting the way guests need it, wherever staff do it (chat staff menu,
 * console, API): a new time or place is told to everyone who answered, in their own language and
 * time zone; a new time moves everyone's reminders; a cancellation cancels them; more places let
 * the waiting list move up. Everything happens in the caller's transaction.
 */
import { msg } from "../../flows/kit.ts";
import type { Engine } from "../engine/engine.ts";
import type { Scheduler } from "../scheduler/scheduler.ts";
import { takeTurnsOn } from "../storage/shared-work.ts";
import type { StoreTx } from "../storage/store.ts";
import { tellGuests } from "./notify.ts";
import { cancelReminders, scheduleReminders } from "./reminders.ts";
import { getMeeting, type Meeting, moveUp, type NewMeeting, rsvpsOf, updateMeeting } from "./repository.ts";

/** What changing a meeting needs. */
export interface MeetingServices {
  engine: Engine;
  scheduler: Scheduler;
}

/** What a change did. */
export interface ChangeResult {
  meeting: Meeting;
  /** `move` when the time changed, `cancel` when cancelled, else `update`. */
  kind: "update" | "move" | "cancel";
  /** The fields that changed (names of {@link NewMeeting}). */
  changed: (keyof NewMeeting)[];
  /** Guests told of the change. */
  told: number;
  /** People who moved up from the waiting list (more places). */
  promoted: number;
}

const same = (a: unknown, b: unknown): boolean =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies `next` (a whole meeting or some fields) to `before`; only what differs is stored.
 *
 * @example
 * const { told } = await changeMeeting({ engine, scheduler }, tx, before, { startsAt, endsAt }, now);
 */
export async function changeMeeting(
  services: MeetingServices,
  tx: StoreTx,
  before: Meeting,
  next: Partial<NewMeeting>,
  now: Date,
): Promise<ChangeResult> {
  const changed = (Object.keys(next) as (keyof NewMeeting)[]).filter(
    (key) => next[key] !== undefined && !same(next[key], before[key]),
  );
  const patch: Partial<NewMeeting> = Object.fromEntries(changed.map((key) => [key, next[key]]));
  // updateMeeting marks a meeting "moved" when a start is given: give it only when the start changed.
  const meeting = changed.length > 0 ? ((await updateMeeting(tx.db, before.id, patch, now)) ?? before) : before;
  const timeChanged = changed.includes("startsAt") || changed.includes("endsAt");
  const placeChanged = changed.includes("place") || changed.includes("onlineUrl");
  if (changed.includes("startsAt")) {
    await cancelReminders(services.scheduler, tx, meeting.id);
    for (const r of await rsvpsOf(tx.db, meeting.id))
      if (r.answer === "yes" && !r.waiting) await scheduleReminders(services.scheduler, tx, meeting, r.address, now);
  }
  let promoted = 0;
  if (changed.includes("capacity")) {
    for (const address of await moveUp(tx.db, meeting, now)) {
      promoted += 1;
      await scheduleReminders(services.scheduler, tx, meeting, address, now);
      await services.engine.notify(
        tx,
        address,
        { kind: "text", lines: [msg("meetings.promoted", { title: meeting.title })] },
        now,
        "notice",
      );
    }
  }
  // The notice of a new time names the place too: one message, never two.
  const notice = timeChanged ? "meetings.movedNotice" : placeChanged ? "meetings.placeNotice" : undefined;
  const told = notice ? await tellGuests(services.engine, tx, meeting, notice, now) : 0;
  return { meeting, kind: changed.includes("startsAt") ? "move" : "update", changed, told, promoted };
}

/**
 * Cancels a meeting: everyone who answered is told, no reminder goes out.
 *
 * @example
 * const { told } = await cancelMeeting({ engine, scheduler }, tx, meeting, now);
 */
export async function cancelMeeting(
  services: MeetingServices,
  tx: StoreTx,
  before: Meeting,
  now: Date,
): Promise<ChangeResult> {
  const meeting = (await updateMeeting(tx.db, before.id, { status: "cancelled" }, now)) ?? before;
  await cancelReminders(services.scheduler, tx, before.id);
  const told = await tellGuests(services.engine, tx, meeting, "meetings.cancelledNotice", now);
  return { meeting, kind: "cancel", changed: [], told, promoted: 0 };
}

/**
 * Takes the meeting's row until the transaction ends, before reading it to change it or to count its
 * places: two answers or changes at once take turns (on Postgres; SQLite writes one transaction at a
 * time anyway), and so do two turns of one shared transaction, which a row lock does not keep apart
 * (shared-work.ts). Without it, twelve people pressing "yes" at once on three places got four.
 *
 * @example
 * await lockMeeting(tx, id);
 * const meeting = await getMeeting(tx.db, id); // as it stands, no one else changing it
 */
export async function lockMeeting(tx: StoreTx, id: number): Promise<void> {
  if (tx.dialect !== "postgres" || !Number.isInteger(id)) return;
  await takeTurnsOn(tx.db, `meetings:${id}`);
  await tx.db.selectFrom("meetings").select("id").where("id", "=", id).forUpdate().execute();
}

/**
 * The meeting, if it exists and is not cancelled: what every change starts from.
 *
 * @example
 * const before = await changeableMeeting(tx, id);
 */
export async function changeableMeeting(tx: StoreTx, id: number): Promise<Meeting | undefined> {
  // Two staff changing one meeting at once take turns, so the guests hear each change once and the
  // second sees the first.
  await lockMeeting(tx, id);
  const meeting = await getMeeting(tx.db, id);
  return meeting && meeting.status !== "cancelled" ? meeting : undefined;
}
