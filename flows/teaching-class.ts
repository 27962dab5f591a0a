/**
 * One class, for its teacher (or an admin), reached from "My classes" (flows/teaching.ts): how the
 * learners do, the join links, adding a session (typed in the class's time zone, a place or an online
 * link), ticking who came to a session, and a message to the class written in one or more of its
 * languages, shown with how many will get it before it goes. Every change is an effect that checks,
 * when it runs, that the person may still see this class.
 */
import { assign, emit, setup } from "xstate";
import { languageByCode } from "../src/domain/languages.ts";
import { parseLocalDateTime } from "../src/domain/local-time.ts";
import {
  ask,
  choice,
  choiceAfter,
  effect,
  exitOutput,
  type FlowDefinition,
  type FlowEvent,
  type FlowOutput,
  flowTypes,
  type Msg,
  msg,
  picked,
  type ReplyChoice,
  say,
} from "./kit.ts";
import { meetingTime, shortTime } from "./meetings.ts";
import { learnerLabel, noTeachingData, type TeachingClass, type TeachingData } from "./teaching.ts";

interface SessionDraft {
  startsAt: string;
  minutes: number;
  place: string | null;
  onlineUrl: string | null;
}

interface ClassContext {
  allowed: boolean;
  cls: TeachingClass | null;
  /** Show the learners' progress first (the class was just opened from the list). */
  showProgress: boolean;
  language: string;
  session: SessionDraft;
  meetingId: number | null;
  marks: Record<string, boolean>;
  texts: Record<string, string>;
  /** The class language the message is asked in now. */
  langIndex: number;
}

const emptySession: SessionDraft = { startsAt: "", minutes: 90, place: null, onlineUrl: null };
const typed = (event: FlowEvent) => (event.type === "user.text" ? event.text.trim() : "");
const nameOf = (code: string) => languageByCode(code)?.nativeName ?? code;
const classId = (context: ClassContext) => context.cls?.id ?? 0;
const zoneOf = (context: ClassContext) => context.cls?.timeZone ?? "UTC";
const languagesOf = (context: ClassContext) => context.cls?.languages ?? [];

/** A question whose answer is typed: a number typed is the answer, never the number of a choice. */
function askTyped(lines: Msg[], choices: ReplyChoice[]) {
  return { type: "bot.reply" as const, reply: { kind: "choices" as const, lines, choices, numbersAreAnswers: true } };
}

const cancel = choice("cls.cancel", "teaching.cancel");
const durations: ReplyChoice[] = [60, 90, 120, 180].map((m) => ({
  id: `min.${m}`,
  label: msg("teaching.minutes", { count: m }),
}));

/** The session picked for attendance. */
const sessionOf = (context: ClassContext) => context.cls?.sessions.find((s) => s.id === context.meetingId);

/** Reload the class from storage, at its list of actions. */
const reload = (context: ClassContext): FlowOutput => ({
  next: "teachingClass",
  params: { class: String(classId(context)) },
});

const machine = setup({
  types: flowTypes<ClassContext>(),
  guards: {
    picked,
    open: ({ context }) => context.allowed && context.cls !== null,
    showProgress: ({ context }) => context.showProgress,
    timeOk: ({ context, event }) => parseLocalDateTime(typed(event), zoneOf(context)) !== undefined,
    minutesPicked: ({ event }) => choiceAfter(event, "min.") !== undefined,
    placeTyped: ({ event }) => typed(event).length >= 3 && typed(event).length <= 200,
    linkOk: ({ event }) => /^https:\/\/\S+$/.test(typed(event)) && typed(event).length <= 500,
    hasSessions: ({ context }) => (context.cls?.sessions.length ?? 0) > 0,
    noLearners: ({ context }) => (context.cls?.learners.length ?? 0) === 0,
    pickedSession: ({ context, event }) =>
      context.cls?.sessions.some((s) => String(s.id) === choiceAfter(event, "sess.")) ?? false,
    pickedLearner: ({ context, event }) =>
      context.cls?.learners.some((l) => l.ref === choiceAfter(event, "who.")) ?? false,
    textOk: ({ event }) => typed(event).length >= 2 && [...typed(event)].length <= 1000,
    moreLanguages: ({ context }) => context.langIndex < languagesOf(context).length,
    anyText: ({ context }) => Object.keys(context.texts).length > 0,
  },
  actions: {
    gone: emit(() => say(msg("teaching.classGone"))),
    notUnderstood: emit(() => say(msg("teaching.tryAgain"))),
    viewed: assign(() => ({ showProgress: false })),
    view: emit(({ context }) => effect({ kind: "feature.teaching.view", data: { classId: classId(context) } })),
    links: emit(({ context }) => effect({ kind: "feature.teaching.links", data: { classId: classId(context) } })),
    showActions: emit(({ context }) =>
      ask(
        [msg("teaching.classTitle", { name: context.cls?.name ?? "", code: context.cls?.code ?? "" })],
        [
          choice("cls.progress", "teaching.progress"),
          choice("cls.session", "teaching.addSession"),
          choice("cls.attendance", "teaching.attendance"),
          choice("cls.message", "teaching.message"),
          choice("cls.links", "teaching.joinLinks"),
          choice("cls.back", "teaching.myClasses"),
        ],
      ),
    ),
    // Adding a session.
    startSession: assign(() => ({ session: { ...emptySession } })),
    askWhen: emit(({ context }) => askTyped([msg("teaching.askWhen", { zone: zoneOf(context) })], [cancel])),
    setWhen: assign(({ context, event }) => ({
      session: {
        ...context.session,
        startsAt: parseLocalDateTime(typed(event), zoneOf(context))?.toISOString() ?? "",
      },
    })),
    askMinutes: emit(() => ask([msg("teaching.askMinutes")], durations)),
    setMinutes: assign(({ context, event }) => ({
      session: { ...context.session, minutes: Number(choiceAfter(event, "min.")) },
    })),
    askWhere: emit(() => askTyped([msg("teaching.askWhere")], [choice("where.online", "teaching.online"), cancel])),
    setPlace: assign(({ context, event }) => ({
      session: { ...context.session, place: typed(event), onlineUrl: null },
    })),
    askLink: emit(() => askTyped([msg("teaching.askLink")], [cancel])),
    setLink: assign(({ context, event }) => ({
      session: { ...context.session, place: null, onlineUrl: typed(event) },
    })),
    showSession: emit(({ context }) => {
      const s = context.session;
      const endsAt = new Date(new Date(s.startsAt).getTime() + s.minutes * 60_000).toISOString();
      return ask(
        [
          msg("teaching.checkSession"),
          [
            msg("teaching.summary.when", { time: meetingTime(s.startsAt, endsAt, context.language, zoneOf(context)) }),
            msg("teaching.summary.where", { text: s.place ?? s.onlineUrl ?? "-" }),
          ],
          msg("teaching.onlyClassSees"),
        ],
        [choice("cls.addSession", "teaching.addIt"), cancel],
      );
    }),
    addSession: emit(({ context }) =>
      effect({ kind: "feature.teaching.session", data: { classId: classId(context), ...context.session } }),
    ),
    // Attendance.
    noSessions: emit(() => say(msg("teaching.noSessions"))),
    noLearners: emit(() => say(msg("teaching.noLearners"))),
    askSession: emit(({ context }) => ({
      type: "bot.reply",
      reply: {
        kind: "choices",
        lines: [msg("teaching.pickSession")],
        asList: true,
        choices: [
          ...(context.cls?.sessions ?? []).map((s) => ({
            id: `sess.${s.id}`,
            label: msg("common.raw", { text: shortTime(s.startsAt, context.language, zoneOf(context)) }),
          })),
          cancel,
        ],
      },
    })),
    chooseSession: assign(({ context, event }) => {
      const id = Number(choiceAfter(event, "sess."));
      const came = context.cls?.sessions.find((s) => s.id === id)?.came ?? [];
      return {
        meetingId: id,
        marks: Object.fromEntries((context.cls?.learners ?? []).map((l) => [l.ref, came.includes(l.ref)])),
      };
    }),
    showMarks: emit(({ context }) => {
      const session = sessionOf(context);
      const when = session ? shortTime(session.startsAt, context.language, zoneOf(context)) : "";
      const count = Object.values(context.marks).filter(Boolean).length;
      return {
        type: "bot.reply",
        reply: {
          kind: "choices",
          lines: [msg("teaching.whoCame", { time: when }), msg("teaching.ticked", { count })],
          asList: true,
          choices: [
            choice("att.save", "teaching.save"),
            ...(context.cls?.learners ?? []).map((l) => ({
              id: `who.${l.ref}`,
              label: msg(context.marks[l.ref] ? "teaching.came" : "teaching.notCame", { name: learnerLabel(l) }),
            })),
            cancel,
          ],
        },
      };
    }),
    toggle: assign(({ context, event }) => {
      const ref = choiceAfter(event, "who.") ?? "";
      return { marks: { ...context.marks, [ref]: !context.marks[ref] } };
    }),
    saveMarks: emit(({ context }) =>
      effect({
        kind: "feature.teaching.attendance",
        data: {
          classId: classId(context),
          meetingId: context.meetingId,
          // Only the learners this screen changed: a tick made meanwhile on another phone or in the
          // console stays (the review found it undone by the chat's save).
          marks: Object.entries(context.marks)
            .filter(([ref, attended]) => attended !== (sessionOf(context)?.came ?? []).includes(ref))
            .map(([ref, attended]) => ({ ref, attended })),
        },
      }),
    ),
    // A message to the class.
    startMessage: assign(() => ({ texts: {}, langIndex: 0 })),
    askText: emit(({ context }) => {
      const languages = languagesOf(context);
      const language = languages[context.langIndex] ?? context.language;
      const several = languages.length > 1;
      return askTyped(
        [msg(several ? "teaching.askTextIn" : "teaching.askText", { language: nameOf(language) })],
        [...(several ? [choice("msg.skip", "teaching.skipLanguage")] : []), cancel],
      );
    }),
    setText: assign(({ context, event }) => {
      const language = languagesOf(context)[context.langIndex] ?? context.language;
      return { texts: { ...context.texts, [language]: typed(event) }, langIndex: context.langIndex + 1 };
    }),
    skipLanguage: assign(({ context }) => ({ langIndex: context.langIndex + 1 })),
    needOneText: emit(() => say(msg("teaching.needOneText"))),
    restartTexts: assign(() => ({ langIndex: 0 })),
    reach: emit(({ context }) => effect({ kind: "feature.teaching.reach", data: { classId: classId(context) } })),
    showMessage: emit(({ context }) =>
      ask(
        [
          msg("teaching.theyRead"),
          ...Object.entries(context.texts).map(([language, text]) => [
            msg("teaching.inLanguage", { language: nameOf(language) }),
            msg("common.raw", { text }),
          ]),
        ],
        [choice("msg.send", "teaching.send"), cancel],
      ),
    ),
    send: emit(({ context }) =>
      effect({ kind: "feature.teaching.message", data: { classId: classId(context), texts: context.texts } }),
    ),
  },
}).createMachine({
  id: "teachingClass",
  output: exitOutput,
  context: ({ input }) => {
    const data = (input.data ?? noTeachingData) as TeachingData;
    return {
      allowed: data.allowed,
      cls: data.classes.find((c) => String(c.id) === input.params.class) ?? null,
      showProgress: input.params.show === "progress",
      language: input.user.language,
      session: { ...emptySession },
      meetingId: null,
      marks: {},
      texts: {},
      langIndex: 0,
    };
  },
  initial: "entry",
  states: {
    entry: {
      always: [
        { guard: "open", target: "opening" },
        { target: "gone", actions: "gone" },
      ],
    },
    opening: {
      always: [{ guard: "showProgress", target: "actions", actions: ["view", "viewed"] }, { target: "actions" }],
    },
    actions: {
      entry: "showActions",
      on: {
        "user.choice": [
          {
            guard: { type: "picked", params: { id: "cls.progress" } },
            target: "actions",
            reenter: true,
            actions: "view",
          },
          {
            guard: { type: "picked", params: { id: "cls.links" } },
            target: "actions",
            reenter: true,
            actions: "links",
          },
          { guard: { type: "picked", params: { id: "cls.session" } }, target: "when", actions: "startSession" },
          { guard: { type: "picked", params: { id: "cls.attendance" } }, target: "attendance" },
          { guard: { type: "picked", params: { id: "cls.message" } }, target: "text", actions: "startMessage" },
          { guard: { type: "picked", params: { id: "cls.back" } }, target: "list" },
        ],
        "nav.back": "list",
      },
    },
    when: {
      entry: "askWhen",
      on: {
        "user.text": [
          { guard: "timeOk", target: "minutes", actions: "setWhen" },
          { actions: ["notUnderstood", "askWhen"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "cls.cancel" } }, target: "actions" },
        "nav.back": "actions",
      },
    },
    minutes: {
      entry: "askMinutes",
      on: { "user.choice": { guard: "minutesPicked", target: "where", actions: "setMinutes" }, "nav.back": "when" },
    },
    where: {
      entry: "askWhere",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "where.online" } }, target: "link" },
          { guard: { type: "picked", params: { id: "cls.cancel" } }, target: "actions" },
        ],
        "user.text": [
          { guard: "placeTyped", target: "confirmSession", actions: "setPlace" },
          { actions: ["notUnderstood", "askWhere"] },
        ],
        "nav.back": "minutes",
      },
    },
    link: {
      entry: "askLink",
      on: {
        "user.text": [
          { guard: "linkOk", target: "confirmSession", actions: "setLink" },
          { actions: ["notUnderstood", "askLink"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "cls.cancel" } }, target: "actions" },
        "nav.back": "where",
      },
    },
    confirmSession: {
      entry: "showSession",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "cls.addSession" } }, target: "reload", actions: "addSession" },
          { guard: { type: "picked", params: { id: "cls.cancel" } }, target: "actions" },
        ],
        "nav.back": "where",
      },
    },
    attendance: {
      always: [
        { guard: "noLearners", target: "actions", actions: "noLearners" },
        { guard: "hasSessions", target: "pickSession" },
        { target: "actions", actions: "noSessions" },
      ],
    },
    pickSession: {
      entry: "askSession",
      on: {
        "user.choice": [
          { guard: "pickedSession", target: "marking", actions: "chooseSession" },
          { guard: { type: "picked", params: { id: "cls.cancel" } }, target: "actions" },
        ],
        "nav.back": "actions",
      },
    },
    marking: {
      entry: "showMarks",
      on: {
        "user.choice": [
          { guard: "pickedLearner", target: "marking", reenter: true, actions: "toggle" },
          { guard: { type: "picked", params: { id: "att.save" } }, target: "reload", actions: "saveMarks" },
          { guard: { type: "picked", params: { id: "cls.cancel" } }, target: "actions" },
        ],
        "nav.back": "pickSession",
      },
    },
    text: {
      entry: "askText",
      on: {
        "user.text": [
          { guard: "textOk", target: "nextText", actions: "setText" },
          { actions: ["notUnderstood", "askText"] },
        ],
        "user.choice": [
          { guard: { type: "picked", params: { id: "msg.skip" } }, target: "nextText", actions: "skipLanguage" },
          { guard: { type: "picked", params: { id: "cls.cancel" } }, target: "actions" },
        ],
        "nav.back": "actions",
      },
    },
    nextText: {
      always: [
        { guard: "moreLanguages", target: "text" },
        { guard: "anyText", target: "confirmMessage" },
        { target: "text", actions: ["needOneText", "restartTexts"] },
      ],
    },
    confirmMessage: {
      entry: ["reach", "showMessage"],
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "msg.send" } }, target: "reload", actions: "send" },
          { guard: { type: "picked", params: { id: "cls.cancel" } }, target: "actions" },
        ],
        "nav.back": "actions",
      },
    },
    // Started again after a change, so the sessions and marks show it.
    reload: { type: "final", output: ({ context }) => reload(context) },
    gone: { type: "final", output: { next: "teaching" } },
    list: { type: "final", output: { next: "teaching" } },
  },
});

/**
 * One class's screens, for its teacher and admins; reached from "My classes". What the teacher types
 * is theirs as typed: a message "Hallo zusammen!" or "Thanks for coming" goes to the class, not
 * answered as small talk.
 */
export const teachingClassFlow: FlowDefinition = { id: "teachingClass", version: 1, machine, takesFreeText: true };
