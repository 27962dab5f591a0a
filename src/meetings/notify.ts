/**
 * Telling everyone who answered a meeting (yes, maybe, or waiting) about a
 * change at once, each in their own language and time zone. The chat's staff
 * flow and the admin API both use it.
 */
import { msg, type Reply } from "../../flows/kit.ts";
import { meetingTime } from "../../flows/meetings.ts";
import type { Engine } from "../engine/engine.ts";
import type { StoreTx } from "../storage/store.ts";
import { type Meeting, rsvpsOf } from "./repository.ts";

/**
 * Sends the notice `key` (with title, time and place) to every guest; returns how many were told.
 *
 * @example
 * await tellGuests(engine, tx, meeting, "meetings.movedNotice", now);
 */
export async function tellGuests(
  engine: Engine,
  tx: StoreTx,
  meeting: Meeting,
  key: string,
  now: Date,
): Promise<number> {
  let told = 0;
  for (const rsvp of await rsvpsOf(tx.db, meeting.id)) {
    if (rsvp.answer === "no") continue;
    const user = await tx.getUser(rsvp.address);
    const time = meetingTime(
      meeting.startsAt.toISOString(),
      meeting.endsAt.toISOString(),
      user?.language ?? "en",
      user?.timeZone ?? meeting.timeZone,
    );
    const reply: Reply = {
      kind: "text",
      lines: [msg(key, { title: meeting.title, time, place: meeting.place ?? meeting.onlineUrl ?? "-" })],
    };
    if (await engine.notify(tx, rsvp.address, reply, now, "notice")) told += 1;
  }
  return told;
}
