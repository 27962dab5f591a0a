/**
 * Classes for teachers in the chat: "My classes" (flows/teaching.ts and flows/teaching-class.ts),
 * what they read, and the effects they ask for: create a class, see it, hand out its links, add a
 * session, mark attendance, message the class. Rights are read when each thing runs, never only when
 * the flow opened: the person must be a teacher or an admin then, and for a class, its teacher (or an
 * admin); anything else is refused, logged, and nothing is done.
 */
import { type Effect, msg, type Reply } from "../../flows/kit.ts";
import { teachingFlow } from "../../flows/teaching.ts";
import { teachingClassFlow } from "../../flows/teaching-class.ts";
import type { ContentPack } from "../content/pack.ts";
import { cities } from "../domain/cities.ts";
import { languageByCode, languages } from "../domain/languages.ts";
import type { User } from "../domain/user.ts";
import type { Engine } from "../engine/engine.ts";
import type { FlowRegistry } from "../engine/registry.ts";
import { hashAddress, type Logger } from "../log.ts";
import type { SqlScheduler } from "../scheduler/scheduler.ts";
import { StaffRights } from "../staff/rights.ts";
import type { StaffDirectory } from "../staff/roles.ts";
import type { StoreTx } from "../storage/store.ts";
import { canSeeClass, canTeach } from "./access.ts";
import { classAttendance, setClassAttendance } from "./attendance.ts";
import { joinWays } from "./join-links.ts";
import { classMessageOutsideWindow, classMessageReach, messageClass } from "./message.ts";
import { classProgress } from "./progress.ts";
import { type ClassRecord, createClass, getClass } from "./repository.ts";
import { addClassSession, nextClassSession } from "./sessions.ts";
import { teachingData, viewerOf, zoneOf } from "./teacher-data.ts";
import { classViewReply } from "./teacher-view.ts";

/** What the feature needs. */
export interface ClassTeachersDeps {
  pack: ContentPack;
  engine: Engine;
  scheduler: SqlScheduler;
  /** Read at every action, so a change to it counts at once. */
  staff: StaffDirectory;
  /** Where refused actions are logged (`staff.denied`). */
  logger: Logger;
  /** `PUBLIC_URL`, for the web chat's join link. */
  publicUrl: string;
  /** The bot's Telegram username, when known: join links then open the bot directly. */
  telegramBotUsername?: string | undefined;
  /** The WhatsApp number people write to, when known: join links then open the chat with the code written. */
  whatsappNumber?: string | undefined;
  /** `WHATSAPP_TEMPLATE_BROADCAST`: without it, WhatsApp learners outside the 24-hour window get nothing (said before sending). */
  broadcastTemplate?: string | undefined;
}

const data = (effect: Effect): Record<string, unknown> => ("data" in effect ? effect.data : {});
const text = (key: string, params?: Parameters<typeof msg>[1]): Reply[] => [
  { kind: "text", lines: [msg(key, params)] },
];

/** The lines that tell how to join a class. */
function joinLines(deps: ClassTeachersDeps, cls: ClassRecord) {
  const ways = joinWays(cls.code, {
    publicUrl: deps.publicUrl,
    telegramBotUsername: deps.telegramBotUsername,
    whatsappNumber: deps.whatsappNumber,
  });
  return [
    msg("teaching.links.title", { name: cls.name }),
    [
      msg("teaching.links.code", { code: cls.code }),
      ...ways.map((w) =>
        w.url
          ? msg(`teaching.links.${w.channel}`, { url: w.url })
          : msg(`teaching.links.${w.channel}Typed`, { typed: w.typed }),
      ),
    ],
  ];
}

/** Checks a new class from the flow: every value is one the chat offers. */
function newClassOf(d: Record<string, unknown>, pack: ContentPack) {
  const name = typeof d.name === "string" ? d.name.trim() : "";
  const city = d.city === null ? null : typeof d.city === "string" ? d.city : undefined;
  const chosen = Array.isArray(d.languages) ? d.languages.filter((l): l is string => typeof l === "string") : [];
  const courses = Array.isArray(d.courses) ? d.courses.filter((c): c is string => typeof c === "string") : [];
  const capacity = d.capacity === null || d.capacity === undefined ? null : Number(d.capacity);
  const ok =
    [...name].length >= 3 &&
    [...name].length <= 60 &&
    city !== undefined &&
    (city === null || cities.some((c) => c.id === city)) &&
    chosen.length > 0 &&
    chosen.every((l) => languageByCode(l) !== undefined) &&
    courses.length > 0 &&
    new Set(courses).size === courses.length &&
    courses.every((c) => pack.course(c) !== undefined) &&
    (capacity === null || (Number.isInteger(capacity) && capacity > 0 && capacity <= 9999));
  if (!ok) return undefined;
  return { name, city: city ?? null, languages: [...new Set(chosen)], courses, capacity };
}

/** The effects, each run only when the person may do it at that moment. */
function effects(deps: ClassTeachersDeps, rights: StaffRights) {
  const refuse = (user: User, action: string, key = "teaching.denied"): Reply[] => {
    deps.logger.warn("staff.denied", { who: hashAddress(user.address), role: "teacher", action });
    return text(key);
  };
  /** An effect on one class: the person must see it now (its teacher with the role, or an admin). */
  const onClass =
    (
      action: string,
      run: (tx: StoreTx, user: User, cls: ClassRecord, d: Record<string, unknown>, now: Date) => Promise<Reply[]>,
    ) =>
    async (tx: StoreTx, user: User, effect: Effect, now: Date): Promise<Reply[]> => {
      const d = data(effect);
      const cls = await getClass(tx.db, Number(d.classId));
      if (!cls || !canSeeClass(await viewerOf(rights, tx, user), cls)) return refuse(user, action);
      return run(tx, user, cls, d, now);
    };
  const active = (cls: ClassRecord) => cls.status === "active";
  return {
    "feature.teaching.create": async (tx: StoreTx, user: User, effect: Effect, now: Date): Promise<Reply[]> => {
      if (!canTeach(await viewerOf(rights, tx, user)))
        return refuse(user, "feature.teaching.create", "teaching.onlyTeachers");
      const input = newClassOf(data(effect), deps.pack);
      if (!input) return text("teaching.tryAgain");
      const cls = await createClass(
        tx.db,
        {
          ...input,
          courses: input.courses.map((course) => ({ course, startsOn: null, endsOn: null })),
          codeExpiresAt: null,
          teacher: user.address,
        },
        now,
      );
      return [{ kind: "text", lines: [msg("teaching.created", { name: cls.name }), ...joinLines(deps, cls)] }];
    },
    "feature.teaching.view": onClass("feature.teaching.view", async (tx, user, cls, _d, now) => {
      const progress = await classProgress(tx.db, deps.pack, cls, now);
      const next = await nextClassSession(tx.db, cls.id, now);
      return [
        classViewReply(cls, progress, next, deps.pack, {
          language: user.language ?? "en",
          timeZone: zoneOf(cls, user),
        }),
      ];
    }),
    "feature.teaching.links": onClass("feature.teaching.links", async (_tx, _user, cls) => [
      { kind: "text", lines: joinLines(deps, cls) },
    ]),
    "feature.teaching.session": onClass("feature.teaching.session", async (tx, user, cls, d, now) => {
      if (!active(cls)) return text("teaching.archived");
      const startsAt = new Date(String(d.startsAt));
      const minutes = Number(d.minutes);
      if (Number.isNaN(startsAt.getTime()) || startsAt <= now) return text("teaching.inPast");
      const place = typeof d.place === "string" && d.place.trim().length >= 3 ? d.place.trim() : null;
      const onlineUrl = typeof d.onlineUrl === "string" && /^https:\/\/\S+$/.test(d.onlineUrl) ? d.onlineUrl : null;
      if (!Number.isInteger(minutes) || minutes < 15 || minutes > 600 || (!place && !onlineUrl))
        return text("teaching.tryAgain");
      const { told } = await addClassSession(
        { engine: deps.engine, scheduler: deps.scheduler },
        tx,
        cls,
        {
          // The class's name is its sessions' title in every language: it is a name, not a text to translate.
          title: Object.fromEntries(languages.map((l) => [l.code, cls.name])),
          startsAt,
          endsAt: new Date(startsAt.getTime() + minutes * 60_000),
          timeZone: zoneOf(cls, user),
          place,
          onlineUrl,
        },
        user.address,
        now,
      );
      return text("teaching.sessionAdded", { count: told });
    }),
    "feature.teaching.attendance": onClass("feature.teaching.attendance", async (tx, _user, cls, d, now) => {
      const marks = (Array.isArray(d.marks) ? d.marks : []).flatMap((m) =>
        typeof m === "object" && m !== null && typeof m.ref === "string" && typeof m.attended === "boolean"
          ? [{ ref: m.ref as string, attended: m.attended as boolean }]
          : [],
      );
      const meetingId = Number(d.meetingId);
      await setClassAttendance(tx.db, cls, meetingId, marks, now);
      const came = Object.values(await classAttendance(tx.db, cls, meetingId)).filter(Boolean).length;
      return text("teaching.attendanceSaved", { count: came });
    }),
    "feature.teaching.reach": onClass("feature.teaching.reach", async (tx, _user, cls, _d, now) => {
      const count = await classMessageReach(tx, cls);
      if (count === 0) return text("teaching.reachNobody");
      // WhatsApp learners who last wrote over 24 hours ago: only the approved template reaches them.
      const outside = deps.broadcastTemplate ? 0 : await classMessageOutsideWindow(tx, cls, now);
      return [
        {
          kind: "text",
          lines: [
            msg("teaching.reach", { count }),
            ...(outside > 0 ? [msg("teaching.outsideWindow", { count: outside })] : []),
          ],
        },
      ];
    }),
    "feature.teaching.message": onClass("feature.teaching.message", async (tx, user, cls, d, now) => {
      if (!active(cls)) return text("teaching.archived");
      const given = typeof d.texts === "object" && d.texts !== null ? (d.texts as Record<string, unknown>) : {};
      const texts = Object.fromEntries(
        cls.languages.flatMap((l) => {
          const t = given[l];
          return typeof t === "string" && t.trim().length > 0 && [...t].length <= 1000 ? [[l, t.trim()]] : [];
        }),
      );
      if (Object.keys(texts).length === 0) return text("teaching.needOneText");
      if ((await classMessageReach(tx, cls)) === 0) return text("teaching.reachNobody");
      const { recipients } = await messageClass(
        { scheduler: deps.scheduler, renderer: deps.engine.renderer },
        tx,
        cls,
        texts,
        user.address,
        now,
      );
      return text("teaching.messageSent", { count: recipients });
    }),
  };
}

/**
 * Registers "My classes" for teachers and admins: the flows, what they read, and their effects.
 *
 * @example
 * registerClassTeachers(registry, { pack, engine, scheduler, staff, logger, publicUrl });
 */
export function registerClassTeachers(registry: FlowRegistry, deps: ClassTeachersDeps): FlowRegistry {
  const rights = new StaffRights(deps.staff, deps.logger);
  for (const [kind, handler] of Object.entries(effects(deps, rights))) registry.onEffect(kind, handler);
  const load = (tx: StoreTx, user: User, now: Date) => teachingData(deps, rights, tx, user, now);
  // A class's screens read only the class they open (its id is the flow's start parameter).
  const loadClass = (tx: StoreTx, user: User, now: Date, params?: Readonly<Record<string, string>>) =>
    teachingData(deps, rights, tx, user, now, /^\d+$/.test(params?.class ?? "") ? Number(params?.class) : undefined);
  return registry
    .addFlow(teachingFlow)
    .addFlow(teachingClassFlow)
    .onInput("teaching", load)
    .onInput("teachingClass", loadClass)
    .addFacts(async (tx, user) => ({ isTeacher: canTeach(await viewerOf(rights, tx, user)) ? 1 : 0 }));
}
