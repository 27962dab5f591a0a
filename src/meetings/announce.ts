/**
 * Announcing a new meeting to the people who asked for news: those of the meeting's city, or every
 * news subscriber for an online meeting open to everyone. The chat's staff flow only stores a
 * meeting (people find it under "Meetings"); this sends it out, through the broadcast machinery, so
 * it is queued in pages inside the database, goes out in the bulk lane within the platforms' limits,
 * reaches WhatsApp people outside the 24-hour window through the news template, and has delivery
 * counts that outlive the outbox.
 *
 * Each language gets its own text, rendered once: title and description in that language or, where
 * the meeting has none, in English (else its first language) with the note naming the language
 * shown, then why the person gets it and how to stop it.
 */
import { type Line, msg, type Reply } from "../../flows/kit.ts";
import { meetingTime } from "../../flows/meetings.ts";
import { type Audience, audienceQuery, cancelBroadcast, createBroadcast } from "../broadcasts/broadcasts.ts";
import type { ContentPack } from "../content/pack.ts";
import type { ReplyRenderer } from "../engine/render.ts";
import type { Scheduler } from "../scheduler/scheduler.ts";
import type { StoreTx } from "../storage/store.ts";
import type { Meeting } from "./repository.ts";

/** What announcing needs. */
export interface AnnounceServices {
  scheduler: Scheduler;
  renderer: ReplyRenderer;
  /** The languages Lotse speaks (locale folders): one text each. */
  languages: readonly string[];
  pack: ContentPack;
}

/**
 * Who hears of a meeting: news subscribers of its city, or all of them for an online meeting.
 *
 * @example
 * announcementAudience(meeting); // { kind: "city", city: "leipzig" }
 */
export function announcementAudience(meeting: Pick<Meeting, "city">): Audience {
  return meeting.city ? { kind: "city", city: meeting.city } : { kind: "news" };
}

/** How many people an announcement reaches now, per city id, and for an online meeting. */
export interface AnnouncementReach {
  byCity: Record<string, number>;
  /** Every news subscriber: the reach of an online meeting for everyone. */
  everyone: number;
}

/**
 * The reach of an announcement for every city at once (one grouped query over the same audience
 * the broadcast will queue), so a form can show it before anything is saved.
 *
 * @example
 * const { byCity, everyone } = await announcementReach(app.store.reader, app.content);
 */
export async function announcementReach(tx: StoreTx, pack: ContentPack): Promise<AnnouncementReach> {
  const rows = await audienceQuery(tx.db, { kind: "news" }, pack)
    .select((eb) => ["users.city", eb.fn.countAll<number | string>().as("n")])
    .groupBy("users.city")
    .execute();
  const byCity: Record<string, number> = {};
  let everyone = 0;
  for (const row of rows) {
    const n = Number(row.n);
    everyone += n;
    if (row.city) byCity[row.city] = (byCity[row.city] ?? 0) + n;
  }
  return { byCity, everyone };
}

/**
 * The reach of one meeting's announcement.
 *
 * @example
 * reachOf(reach, meeting); // 12
 */
export function reachOf(reach: AnnouncementReach, meeting: Pick<Meeting, "city">): number {
  return meeting.city ? (reach.byCity[meeting.city] ?? 0) : reach.everyone;
}

/** The announcement as a reply for one language (the time in the meeting's own zone, named). */
function announcement(meeting: Meeting, language: string): Reply {
  const startsAt = meeting.startsAt.toISOString();
  const endsAt = meeting.endsAt.toISOString();
  const facts: Line = [
    msg("meetings.card.when", {
      time: meetingTime(startsAt, endsAt, language, meeting.timeZone),
      zone: meeting.timeZone,
    }),
    ...(meeting.place ? [msg("meetings.card.place", { text: meeting.place })] : []),
    ...(meeting.mapUrl ? [msg("meetings.card.map", { url: meeting.mapUrl })] : []),
    ...(meeting.onlineUrl ? [msg("meetings.card.online", { url: meeting.onlineUrl })] : []),
    ...(meeting.languages.length > 0 ? [msg("meetings.card.languages", { names: meeting.languages.join(", ") })] : []),
    meeting.capacity === null
      ? msg("meetings.card.noLimit")
      : msg("meetings.card.placesLeft", { count: meeting.capacity }),
  ];
  return {
    kind: "text",
    lines: [
      msg("meetings.announce.new", { title: meeting.title }),
      msg("common.raw", { text: meeting.description }),
      facts,
      msg("meetings.announce.howToAnswer", { entry: msg("meetings.menuEntry") }),
      msg("meetings.announce.why", { settings: msg("settings.menuEntry"), news: msg("settings.menu.news") }),
    ],
  };
}

/**
 * The announcement's text in every language Lotse speaks.
 *
 * @example
 * announcementTexts(app.engine.renderer, app.translator.languages, meeting).prs; // "… (Not yet in your language, so this part is in English.)"
 */
export function announcementTexts(
  renderer: ReplyRenderer,
  languages: readonly string[],
  meeting: Meeting,
): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const language of languages) {
    const out = renderer.render(announcement(meeting, language), language);
    if (out.kind === "text") texts[language] = out.text;
  }
  return texts;
}

/**
 * Announces a meeting now: a broadcast to its audience, remembered on the meeting. Returns the
 * broadcast's id.
 *
 * @example
 * const broadcastId = await announceMeeting(services, tx, meeting, "telegram:42", now);
 */
export async function announceMeeting(
  services: AnnounceServices,
  tx: StoreTx,
  meeting: Meeting,
  createdBy: string | null,
  now: Date,
): Promise<number> {
  const id = await createBroadcast(
    tx,
    services.scheduler,
    {
      text: announcementTexts(services.renderer, services.languages, meeting),
      audience: announcementAudience(meeting),
      sendAt: now,
      createdBy,
    },
    now,
  );
  await tx.db.updateTable("meetings").set({ announcement_id: id }).where("id", "=", meeting.id).execute();
  return id;
}

/**
 * The broadcast that announced a meeting, if any.
 *
 * @example
 * const broadcastId = await announcementOf(tx, meeting.id);
 */
export async function announcementOf(tx: StoreTx, meetingId: number): Promise<number | null> {
  const row = await tx.db
    .selectFrom("meetings")
    .select("announcement_id")
    .where("id", "=", meetingId)
    .executeTakeFirst();
  return row?.announcement_id === null || row?.announcement_id === undefined ? null : Number(row.announcement_id);
}

/**
 * Stops what is not sent yet of a cancelled meeting's announcement: nobody learns of a meeting
 * after it was called off. Returns whether anything was still to stop.
 *
 * @example
 * await withdrawAnnouncement(tx, scheduler, meeting.id, now);
 */
export async function withdrawAnnouncement(
  tx: StoreTx,
  scheduler: Scheduler,
  meetingId: number,
  now: Date,
): Promise<boolean> {
  const id = await announcementOf(tx, meetingId);
  return id === null ? false : cancelBroadcast(tx, scheduler, id, now);
}
