/**
 * Meetings, staff and broadcasts wired into the bot: the flows, what they
 * read, the effects they ask for, reminders and broadcast jobs, and who is
 * staff.
 */
import { type BroadcastData, broadcastFlow } from "../../flows/broadcast.ts";
import { type Effect, type Line, msg, type Reply } from "../../flows/kit.ts";
import { type MeetingsData, type MeetingView, meetingsFlow, meetingTime } from "../../flows/meetings.ts";
import { type StaffData, staffFlow } from "../../flows/staff.ts";
import { announceFlow } from "../../flows/staff-announce.ts";
import {
  audienceReach,
  audienceSchema,
  broadcastCounts,
  cancelBroadcast,
  createBroadcast,
} from "../broadcasts/broadcasts.ts";
import { registerBroadcastJob } from "../broadcasts/jobs.ts";
import { listBroadcasts } from "../broadcasts/repository.ts";
import type { ContentPack } from "../content/pack.ts";
import type { User } from "../domain/user.ts";
import type { Engine } from "../engine/engine.ts";
import type { EffectHandler, FlowRegistry } from "../engine/registry.ts";
import type { Logger } from "../log.ts";
import type { SqlScheduler } from "../scheduler/scheduler.ts";
import { StaffRights } from "../staff/rights.ts";
import type { StaffDirectory } from "../staff/roles.ts";
import type { StoreTx } from "../storage/store.ts";
import { announceMeeting, announcementReach, reachOf } from "./announce.ts";
import { cancelMeeting, changeableMeeting, changeMeeting, lockMeeting } from "./changes.ts";
import { cancelReminders, reminderKind, scheduleReminders } from "./reminders.ts";
import {
  answerMeeting,
  createMeeting,
  getMeeting,
  type Meeting,
  rsvpOf,
  rsvpsOf,
  setNews,
  upcomingMeetings,
  wantsNews,
} from "./repository.ts";

/** What the feature needs. */
export interface MeetingsDeps {
  pack: ContentPack;
  scheduler: SqlScheduler;
  engine: Engine;
  /** Read at every staff action, so a change to it counts at once. */
  staff: StaffDirectory;
  /** Where refused staff actions are logged (`staff.denied`). */
  logger: Logger;
  /** Where calendar files are served from, such as https://lotse.example.org/calendar. */
  calendarBase: string;
  /** The languages Lotse speaks: an announcement is written in each. */
  languages: readonly string[];
}

const data = (effect: Effect): Record<string, unknown> => ("data" in effect ? effect.data : {});
const say = (...lines: Line[]): Reply[] => [{ kind: "text", lines }];

/** The staff effects: each runs only if the person is staff when it runs, not just when the flow opened. */
function staffEffects(deps: MeetingsDeps): Record<string, EffectHandler> {
  return {
    "feature.meetings.create": (tx, user, effect, now) => onCreate(deps, tx, user, effect, now),
    "feature.meetings.move": (tx, _user, effect, now) => onChange(deps, tx, effect, now, "move"),
    "feature.meetings.place": (tx, _user, effect, now) => onChange(deps, tx, effect, now, "place"),
    "feature.meetings.cancel": (tx, _user, effect, now) => onChange(deps, tx, effect, now, "cancel"),
    "feature.meetings.attendees": (tx, _user, effect) => onAttendees(tx, effect),
    "feature.broadcast.preview": (tx, _user, effect, now) => onPreview(deps, tx, effect, now),
    "feature.broadcast.create": (tx, user, effect, now) => onBroadcast(deps, tx, user, effect, now),
    "feature.broadcast.counts": (tx, _user, effect) => onCounts(tx, effect),
    "feature.broadcast.cancel": async (tx, _user, effect, now) =>
      say(
        msg(
          (await cancelBroadcast(tx, deps.scheduler, Number(data(effect).id), now))
            ? "broadcast.cancelled"
            : "broadcast.notCancelled",
        ),
      ),
  };
}

async function view(
  tx: StoreTx,
  m: Meeting,
): Promise<MeetingView & { confirmed: number; waiting: number; city: string | null }> {
  const rsvps = await rsvpsOf(tx.db, m.id);
  const confirmed = rsvps.filter((r) => r.answer === "yes" && !r.waiting).length;
  const waiting = rsvps.filter((r) => r.waiting).length;
  return {
    id: m.id,
    title: m.title,
    description: m.description,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    place: m.place,
    mapUrl: m.mapUrl,
    onlineUrl: m.onlineUrl,
    languages: m.languages,
    placesLeft: m.capacity === null ? null : m.capacity - confirmed,
    status: m.status,
    ...(m.classId !== null ? { forClass: true } : {}),
    city: m.city,
    confirmed,
    waiting,
  };
}

async function onRsvp(deps: MeetingsDeps, tx: StoreTx, user: User, effect: Effect, now: Date): Promise<Reply[]> {
  const id = Number(data(effect).meetingId);
  // Counted with no one else answering at the same time: the last place goes to one person.
  await lockMeeting(tx, id);
  const meeting = await getMeeting(tx.db, id);
  const answer = String(data(effect).answer);
  if (!meeting || meeting.status === "cancelled" || !["yes", "maybe", "no"].includes(answer))
    return say(msg("meetings.gone"));
  const result = await answerMeeting(tx.db, meeting, user.address, answer as "yes" | "maybe" | "no", now);
  await cancelReminders(deps.scheduler, tx, meeting.id, user.address);
  if (answer === "yes" && !result.rsvp.waiting) await scheduleReminders(deps.scheduler, tx, meeting, user.address, now);
  for (const address of result.promoted) {
    await scheduleReminders(deps.scheduler, tx, meeting, address, now);
    await deps.engine.notify(
      tx,
      address,
      { kind: "text", lines: [msg("meetings.promoted", { title: meeting.title })] },
      now,
      "notice",
    );
  }
  if (result.rsvp.waiting) return say(msg("meetings.waiting", { position: result.position ?? 1 }));
  return say(msg(`meetings.answered.${answer}`));
}

async function onCreate(deps: MeetingsDeps, tx: StoreTx, user: User, effect: Effect, now: Date): Promise<Reply[]> {
  const d = data(effect);
  const startsAt = new Date(String(d.startsAt));
  if (Number.isNaN(startsAt.getTime()) || startsAt <= now) return say(msg("staff.inPast"));
  const language = String(d.language ?? "en");
  const meeting = await createMeeting(
    tx.db,
    {
      title: { [language]: String(d.title) },
      description: { [language]: String(d.description || d.title) },
      startsAt,
      endsAt: new Date(startsAt.getTime() + Number(d.minutes ?? 60) * 60_000),
      timeZone: String(d.timeZone ?? user.timeZone),
      place: (d.place as string | null) ?? null,
      mapUrl: null,
      onlineUrl: (d.onlineUrl as string | null) ?? null,
      city: (d.city as string | null) ?? null,
      languages: (d.languages as string[] | undefined) ?? [],
      capacity: (d.capacity as number | null) ?? null,
    },
    user.address,
    now,
  );
  // Announced like one made in the console: to the city's people who want news (everyone's, online).
  const reach = reachOf(await announcementReach(tx, deps.pack), meeting);
  await announceMeeting(
    { scheduler: deps.scheduler, renderer: deps.engine.renderer, languages: deps.languages, pack: deps.pack },
    tx,
    meeting,
    user.address,
    now,
  );
  return say(
    msg("staff.created", { id: meeting.id, link: `meeting_${meeting.id}` }),
    msg("staff.announcedTo", { count: reach }),
  );
}

async function onChange(
  deps: MeetingsDeps,
  tx: StoreTx,
  effect: Effect,
  now: Date,
  kind: "move" | "place" | "cancel",
): Promise<Reply[]> {
  const d = data(effect);
  const before = await changeableMeeting(tx, Number(d.id));
  if (!before) return say(msg("meetings.gone"));
  const services = { engine: deps.engine, scheduler: deps.scheduler };
  if (kind === "cancel") {
    const { told } = await cancelMeeting(services, tx, before, now);
    return say(msg("staff.cancelled", { count: told }));
  }
  if (kind === "place") {
    const { told } = await changeMeeting(services, tx, before, { place: String(d.place), mapUrl: null }, now);
    return say(msg("staff.changed", { count: told }));
  }
  const startsAt = new Date(String(d.startsAt));
  if (Number.isNaN(startsAt.getTime()) || startsAt <= now) return say(msg("staff.inPast"));
  const length = before.endsAt.getTime() - before.startsAt.getTime();
  const { told } = await changeMeeting(
    services,
    tx,
    before,
    { startsAt, endsAt: new Date(startsAt.getTime() + length) },
    now,
  );
  return say(msg("staff.changed", { count: told }));
}

async function onAttendees(tx: StoreTx, effect: Effect): Promise<Reply[]> {
  const rsvps = await rsvpsOf(tx.db, Number(data(effect).id));
  const count = (f: (r: (typeof rsvps)[number]) => boolean) => rsvps.filter(f).length;
  return say(
    msg("staff.attendeeCounts", {
      yes: count((r) => r.answer === "yes" && !r.waiting),
      waiting: count((r) => r.waiting),
      maybe: count((r) => r.answer === "maybe"),
      no: count((r) => r.answer === "no"),
    }),
  );
}

async function onPreview(deps: MeetingsDeps, tx: StoreTx, effect: Effect, now: Date): Promise<Reply[]> {
  const audience = audienceSchema.safeParse(data(effect).audience);
  if (!audience.success) return say(msg("broadcast.badAudience"));
  // One grouped query, however large the audience.
  const reach = await audienceReach(tx, audience.data, deps.pack, now);
  return say(
    msg("broadcast.reach", { count: reach.total }),
    [msg("broadcast.byChannel", { telegram: reach.telegram, whatsapp: reach.whatsapp, other: reach.other })],
    msg("broadcast.previewTitle"),
    msg("common.raw", { text: String(data(effect).text) }),
    msg("broadcast.previewNote", { outside: reach.whatsappOutsideWindow }),
  );
}

async function onBroadcast(deps: MeetingsDeps, tx: StoreTx, user: User, effect: Effect, now: Date): Promise<Reply[]> {
  const d = data(effect);
  const audience = audienceSchema.safeParse(d.audience);
  if (!audience.success) return say(msg("broadcast.badAudience"));
  const sendAt = d.sendAt ? new Date(String(d.sendAt)) : now;
  if (Number.isNaN(sendAt.getTime()) || sendAt < new Date(now.getTime() - 60_000)) return say(msg("staff.inPast"));
  const id = await createBroadcast(
    tx,
    deps.scheduler,
    {
      text: { [String(d.language ?? "en")]: String(d.text) },
      audience: audience.data,
      sendAt,
      createdBy: user.address,
    },
    now,
  );
  return say(msg(sendAt > now ? "broadcast.scheduled" : "broadcast.started", { id }));
}

async function onCounts(tx: StoreTx, effect: Effect): Promise<Reply[]> {
  const counts = await broadcastCounts(tx, Number(data(effect).id));
  if (!counts) return say(msg("broadcast.none"));
  return say(msg("broadcast.counts", { ...counts, status: msg(`broadcast.status.${counts.status}`) }));
}

/**
 * Registers meetings, the staff menu and broadcasts.
 *
 * @example
 * registerMeetings(registry, { pack, scheduler, engine, staff, calendarBase });
 */
export function registerMeetings(registry: FlowRegistry, deps: MeetingsDeps): FlowRegistry {
  const rights = new StaffRights(deps.staff, deps.logger);
  for (const [kind, handler] of Object.entries(staffEffects(deps))) {
    registry.onEffect(kind, rights.guard("staff", kind, handler));
  }
  deps.scheduler.on(reminderKind, async (tx, job, now) => {
    const meeting = await getMeeting(tx.db, Number(job.payload.meetingId));
    if (
      !meeting ||
      !job.address ||
      meeting.status === "cancelled" ||
      meeting.startsAt.toISOString() !== job.payload.startsAt
    )
      return;
    const rsvp = await rsvpOf(tx.db, meeting.id, job.address);
    if (rsvp?.answer !== "yes" || rsvp.waiting) return;
    const user = await tx.getUser(job.address);
    const time = meetingTime(
      meeting.startsAt.toISOString(),
      meeting.endsAt.toISOString(),
      user?.language ?? "en",
      user?.timeZone ?? meeting.timeZone,
    );
    const key = job.payload.before === "1h" ? "meetings.reminder1h" : "meetings.reminder24h";
    await deps.engine.notify(
      tx,
      job.address,
      {
        kind: "text",
        lines: [msg(key, { title: meeting.title, time, place: meeting.place ?? meeting.onlineUrl ?? "-" })],
      },
      now,
      "reminder",
    );
  });
  // Queued a page per transaction, outside the scheduler's batch: progress shows while it runs, and a
  // large audience holds the database's write lock for one page at a time.
  // The creator's staff role is checked again before every page (src/broadcasts/jobs.ts).
  registerBroadcastJob(deps.scheduler, {
    pack: deps.pack,
    renderer: deps.engine.renderer,
    rights,
    logger: deps.logger,
  });
  return (
    registry
      .addFlow(meetingsFlow)
      .addFlow(staffFlow)
      .addFlow(announceFlow)
      .addFlow(broadcastFlow)
      .setStaffCheck((tx, user) => rights.has(tx, user.address, "staff"))
      .addFacts(async (tx, user) => ({ isStaff: (await rights.has(tx, user.address, "staff")) ? 1 : 0 }))
      .onLink("meeting", (id) => (/^\d+$/.test(id) ? { flowId: "meetings", params: { meeting: id } } : undefined))
      .onInput("meetings", async (tx, user, now): Promise<MeetingsData> => {
        // The sessions of the person's own classes too; nobody else sees a class's sessions.
        const meetings = await upcomingMeetings(tx.db, { now, city: user.city, limit: 10, learner: user.address });
        const answers: MeetingsData["answers"] = {};
        for (const m of meetings) {
          const rsvp = await rsvpOf(tx.db, m.id, user.address);
          if (rsvp) answers[String(m.id)] = { answer: rsvp.answer, waiting: rsvp.waiting };
        }
        return {
          meetings: await Promise.all(meetings.map((m) => view(tx, m))),
          answers,
          calendarBase: deps.calendarBase,
        };
      })
      // A staff flow's lists are read each time it resumes: only for someone who is staff then.
      .onInput(
        "staff",
        async (tx, user, now): Promise<StaffData> => ({
          // How to sign in to the browser console: the address to type and where.
          console: { address: user.address, url: `${deps.calendarBase.replace(/\/calendar$/, "")}/staff` },
          meetings: !(await rights.allows(tx, user, "staff", "staff.input"))
            ? []
            : await Promise.all(
                (await upcomingMeetings(tx.db, { now, allCities: true, limit: 20 })).map((m) => view(tx, m)),
              ),
        }),
      )
      .onInput("broadcast", async (tx, user, now): Promise<BroadcastData> => {
        if (!(await rights.allows(tx, user, "staff", "broadcast.input")))
          return { courses: [], meetings: [], recent: [] };
        return {
          courses: deps.pack.courses.map((c) => ({ id: c.id, title: c.title })),
          meetings: (await upcomingMeetings(tx.db, { now, allCities: true, limit: 9 })).map((m) => ({
            id: m.id,
            title: m.title,
            startsAt: m.startsAt.toISOString(),
          })),
          // Shown statuses ("sent" once nothing waits), translated by the flow.
          recent: (await listBroadcasts(tx, { limit: 8 })).map((b) => ({
            id: b.id,
            status: b.status,
            text: b.message.texts[b.message.defaultLanguage] ?? "",
          })),
        };
      })
      .onEffect("feature.meetings.rsvp", (tx, user, effect, now) => onRsvp(deps, tx, user, effect, now))
      .onInput("settings", async (tx, user) => ({ news: await wantsNews(tx.db, user.address) }))
      .onEffect("feature.news.set", async (tx, user, effect, now) => {
        await setNews(tx.db, user.address, data(effect).wanted === true, now);
        return undefined;
      })
  );
}
