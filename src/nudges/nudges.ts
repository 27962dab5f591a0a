/**
 * Daily lesson nudges. A learner picks a local hour (or none); one job a day
 * is scheduled for that hour in their time zone. The job sends the nudge only
 * when it is still wanted: never in quiet hours, never twice a day, never
 * after "stop" or when the platform says the bot is blocked. After three
 * unanswered nudges in a row they pause, say so, and resume when the learner
 * writes again.
 */

import { msg } from "../../flows/kit.ts";
import { learningFlowIds, nudgeVariant } from "../../flows/learning/nudge.ts";
import type { Address } from "../domain/address.ts";
import { localParts, nextDay, nextLocalOccurrence, zonedInstant } from "../domain/local-time.ts";
import type { User } from "../domain/user.ts";
import type { Engine } from "../engine/engine.ts";
import type { Job, Scheduler } from "../scheduler/scheduler.ts";
import { prepared } from "../storage/prepared.ts";
import type { StoreTx } from "../storage/store.ts";

/** Quiet hours in local time: from `start`:00 until `end`:00 the next morning. */
export interface QuietHours {
  start: number;
  end: number;
}

/** Unanswered nudges in a row before they pause themselves. */
export const maxUnanswered = 3;

/** Whether a local hour falls in quiet hours. */
export function isQuiet(hour: number, quiet: QuietHours): boolean {
  return quiet.start > quiet.end ? hour >= quiet.start || hour < quiet.end : hour >= quiet.start && hour < quiet.end;
}

/** The job kind, and its unique key: one learner at one instant ("never twice a day" is `lastSentDay`'s job). */
export const nudgeKind = "nudge";
const nudgeKey = (address: Address, dueAt: Date) => `nudge:${address}:${dueAt.toISOString()}`;

interface NudgeSettings {
  hour: number | null;
  unanswered: number;
  paused: boolean;
  lastSentDay: string | null;
}

async function settingsOf(tx: StoreTx, address: Address): Promise<NudgeSettings | undefined> {
  const row = (await settingsRow(tx.db, { address })).rows[0];
  if (!row) return undefined;
  return {
    hour: row.hour === null ? null : Number(row.hour),
    unanswered: Number(row.unanswered),
    paused: Number(row.paused) === 1,
    lastSentDay: row.last_sent_day,
  };
}

const settingsRow = prepared((db, p: { address: string }) =>
  db.selectFrom("nudge_settings").selectAll().where("address", "=", p.address),
);

/** Changes some settings; `current` spares reading them again when the caller just did (a tick runs thousands). */
async function saveSettings(
  tx: StoreTx,
  address: Address,
  patch: Partial<NudgeSettings>,
  now: Date,
  current?: NudgeSettings,
): Promise<void> {
  current ??= (await settingsOf(tx, address)) ?? { hour: null, unanswered: 0, paused: false, lastSentDay: null };
  const next = { ...current, ...patch };
  const values = {
    hour: next.hour,
    unanswered: next.unanswered,
    paused: next.paused ? 1 : 0,
    last_sent_day: next.lastSentDay,
    updated_at: now.toISOString(),
  };
  await tx.db
    .insertInto("nudge_settings")
    .values({ address, ...values })
    .onConflict((oc) => oc.column("address").doUpdateSet(values))
    .execute();
}

/** The learner's nudge hour, or null when nudges are off. */
export async function nudgeHour(tx: StoreTx, address: Address): Promise<number | null> {
  return (await settingsOf(tx, address))?.hour ?? null;
}

/** Nudges for one deployment: its scheduler, engine and quiet hours. */
/** A conversation that moved within this time is one the person is in. */
const busyWithinMs = 3 * 3_600_000;

export class Nudges {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly engine: Engine,
    private readonly quiet: QuietHours,
  ) {}

  /** Sets the hour (or null for off) and schedules the next nudge. */
  async setHour(tx: StoreTx, user: User, hour: number | null, now: Date): Promise<void> {
    await saveSettings(tx, user.address, { hour, paused: false, unanswered: 0 }, now);
    await this.scheduler.cancel(tx, `nudge:${user.address}:`);
    if (hour !== null) await this.scheduleNext(tx, user, hour, now);
  }

  /**
   * The learner wrote: nudges count as answered, paused ones resume, and a
   * learner with a reminder hour always has the next nudge scheduled (after
   * "stop" and "start", say).
   */
  async onInbound(tx: StoreTx, user: User, now: Date): Promise<void> {
    const settings = await settingsOf(tx, user.address);
    if (!settings || settings.hour === null) return;
    if (settings.unanswered > 0 || settings.paused) {
      await saveSettings(tx, user.address, { unanswered: 0, paused: false }, now, settings);
    }
    const pending = await tx.db
      .selectFrom("jobs")
      .select("id")
      .where("address", "=", user.address)
      .where("kind", "=", nudgeKind)
      .where("status", "in", ["pending", "running"])
      .executeTakeFirst();
    if (!pending) await this.scheduleNext(tx, user, settings.hour, now, settings.lastSentDay);
  }

  /** Whether an hour may be chosen (not in quiet hours). */
  allows(hour: number): boolean {
    return Number.isInteger(hour) && hour >= 0 && hour <= 23 && !isQuiet(hour, this.quiet);
  }

  /** Runs one due nudge job: sends the nudge if it is still wanted, and schedules tomorrow's. */
  async run(tx: StoreTx, job: Job, now: Date): Promise<void> {
    if (!job.address) return;
    const user = await tx.getUser(job.address);
    const settings = await settingsOf(tx, job.address);
    // Off, stopped, blocked, never agreed, or paused: nothing now and nothing scheduled;
    // writing again (or "start") brings nudges back.
    if (!user || !settings || settings.hour === null || settings.paused) return;
    if (user.consent !== "given" || user.status !== "active") return;
    const local = localParts(now, user.timeZone);
    const tooLate = now.getTime() - job.dueAt.getTime() > 2 * 3_600_000;
    // Scheduled for another hour in today's time zone: the zone (or the hour) changed since.
    const wrongHour = localParts(job.dueAt, user.timeZone).hour !== settings.hour;
    if (settings.lastSentDay === local.day || isQuiet(local.hour, this.quiet) || tooLate || wrongHour) {
      return this.scheduleNext(tx, user, settings.hour, now, settings.lastSentDay);
    }
    if (settings.unanswered >= maxUnanswered) {
      await saveSettings(tx, user.address, { paused: true }, now, settings);
      await this.engine.notify(tx, user.address, { kind: "text", lines: [msg("learning.nudge.paused")] }, now);
      return;
    }
    // Someone in the middle of a lesson, a quiz or another question keeps it: the nudge is a line of
    // text that leaves their place (and the numbers of their choices) as they are.
    const open = await tx.getConversation(user.address);
    const recent = open?.updatedAt !== undefined && now.getTime() - open.updatedAt.getTime() < busyWithinMs;
    // A lesson, quiz or review is kept whenever it is open; another question (a referral's message,
    // a meeting answer) while it is recent. Menus and settings left behind are not open questions.
    const busy =
      open !== undefined &&
      (learningFlowIds.has(open.flowId) || (recent && !["menu", "nudge", "settings"].includes(open.flowId)));
    const variant = nudgeVariant(local.day);
    const sent = busy
      ? await this.engine.notify(
          tx,
          user.address,
          { kind: "text", lines: [msg(`learning.nudge.text_${variant}`)] },
          now,
          "nudge",
        )
      : await this.engine.startProactively(tx, user.address, "nudge", {}, now, "nudge");
    if (sent) {
      const patch = { unanswered: settings.unanswered + 1, lastSentDay: local.day };
      await saveSettings(tx, user.address, patch, now, settings);
    }
    await this.scheduleNext(tx, user, settings.hour, now, sent ? local.day : settings.lastSentDay);
  }

  /** Schedules the next nudge; `lastSentDay` when the caller knows it, else it is read. */
  private async scheduleNext(
    tx: StoreTx,
    user: User,
    hour: number,
    now: Date,
    lastSentDay?: string | null,
  ): Promise<void> {
    const today = localParts(now, user.timeZone).day;
    const sentDay = lastSentDay === undefined ? (await settingsOf(tx, user.address))?.lastSentDay : lastSentDay;
    // Not again today once a nudge went out; otherwise the next time the hour comes round.
    const dueAt =
      sentDay === today
        ? zonedInstant(nextDay(today), hour, user.timeZone)
        : nextLocalOccurrence(now, user.timeZone, hour);
    await this.scheduler.schedule(tx, {
      kind: nudgeKind,
      address: user.address,
      dueAt,
      uniqueKey: nudgeKey(user.address, dueAt),
    });
  }
}
