/**
 * Meeting reminders: 24 hours and 1 hour before, for everyone with a
 * confirmed place. The jobs' keys carry the start time, so a moved meeting's
 * old reminders are cancelled and new ones scheduled without collision.
 */
import type { Address } from "../domain/address.ts";
import type { Scheduler } from "../scheduler/scheduler.ts";
import type { StoreTx } from "../storage/store.ts";
import type { Meeting } from "./repository.ts";

/** The job kind of a meeting reminder. */
export const reminderKind = "meeting.reminder";

const before = [
  { label: "24h", ms: 24 * 3_600_000 },
  { label: "1h", ms: 3_600_000 },
] as const;

const prefix = (meetingId: number, address?: Address) => `reminder:${meetingId}:${address ? `${address}:` : ""}`;

/**
 * Schedules the reminders still ahead for one person.
 *
 * @example
 * await scheduleReminders(scheduler, tx, meeting, address, now);
 */
export async function scheduleReminders(
  scheduler: Scheduler,
  tx: StoreTx,
  meeting: Meeting,
  address: Address,
  now: Date,
): Promise<void> {
  for (const { label, ms } of before) {
    const dueAt = new Date(meeting.startsAt.getTime() - ms);
    if (dueAt <= now) continue;
    await scheduler.schedule(tx, {
      kind: reminderKind,
      address,
      dueAt,
      payload: { meetingId: meeting.id, startsAt: meeting.startsAt.toISOString(), before: label },
      uniqueKey: `${prefix(meeting.id, address)}${meeting.startsAt.toISOString()}:${label}`,
    });
  }
}

/** Cancels one person's reminders for a meeting, or everyone's. */
export function cancelReminders(
  scheduler: Scheduler,
  tx: StoreTx,
  meetingId: number,
  address?: Address,
): Promise<number> {
  return scheduler.cancel(tx, prefix(meetingId, address));
}
