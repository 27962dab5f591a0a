/**
 * Staff broadcasts in the chat: write the message, pick the audience (people
 * who want news, a city, a language, a course's learners, a meeting's
 * guests), see how many it reaches and how it will look on each channel, then
 * send now or at a set time; and follow or cancel broadcasts already made.
 */
import { assign, emit, setup } from "xstate";
import { cities } from "../src/domain/cities.ts";
import { languages } from "../src/domain/languages.ts";
import { parseLocalDateTime } from "../src/domain/local-time.ts";
import {
  ask,
  choice,
  choiceAfter,
  effect,
  exitOutput,
  type FlowDefinition,
  type FlowEvent,
  flowTypes,
  msg,
  picked,
  type ReplyChoice,
  say,
} from "./kit.ts";
import { shortTime } from "./meetings.ts";

/** What the broadcast flow reads from storage. */
export interface BroadcastData {
  courses: { id: string; title: Record<string, string> }[];
  meetings: { id: number; title: Record<string, string>; startsAt: string }[];
  recent: { id: number; status: string; text: string }[];
}

type Audience =
  | { kind: "news" }
  | { kind: "city"; city: string }
  | { kind: "language"; language: string }
  | { kind: "course"; course: string }
  | { kind: "meeting"; meetingId: number };

interface BroadcastContext {
  data: BroadcastData;
  text: string;
  audience: Audience;
  broadcastId: number | null;
  language: string;
  timeZone: string;
}

const typed = (event: FlowEvent) => (event.type === "user.text" ? event.text.trim() : "");
const audienceChoices: ReplyChoice[] = [
  choice("aud.news", "broadcast.audience.news"),
  choice("aud.city", "broadcast.audience.city"),
  choice("aud.language", "broadcast.audience.language"),
  choice("aud.course", "broadcast.audience.course"),
  choice("aud.meeting", "broadcast.audience.meeting"),
];

const machine = setup({
  types: flowTypes<BroadcastContext>(),
  guards: {
    picked,
    textOk: ({ event }) => typed(event).length >= 3 && [...typed(event)].length <= 1000,
    pickedPrefix: ({ event }, params: { prefix: string }) => choiceAfter(event, params.prefix) !== undefined,
    timeOk: ({ context, event }) => parseLocalDateTime(typed(event), context.timeZone) !== undefined,
    pickedRecent: ({ context, event }) => context.data.recent.some((b) => String(b.id) === choiceAfter(event, "bc.")),
  },
  actions: {
    showHome: emit(() =>
      ask(
        [msg("broadcast.title")],
        [choice("bc.new", "broadcast.new"), choice("bc.list", "broadcast.list"), choice("bc.back", "staff.back")],
      ),
    ),
    askText: emit(() => ask([msg("broadcast.askText")], [choice("bc.back", "staff.abort")])),
    setText: assign(({ event }) => ({ text: typed(event) })),
    askAudience: emit(() => ask([msg("broadcast.askAudience")], audienceChoices)),
    askCity: emit(() =>
      ask(
        [msg("broadcast.pickCity")],
        cities.map((c) => ({ id: `c.${c.id}`, label: msg(`cities.${c.id}`) })),
      ),
    ),
    askLanguage: emit(() =>
      ask(
        [msg("broadcast.pickLanguage")],
        languages.map((l) => ({ id: `l.${l.code}`, label: msg("common.raw", { text: l.nativeName }) })),
      ),
    ),
    askCourse: emit(({ context }) => ({
      type: "bot.reply",
      reply: {
        kind: "choices",
        lines: [msg("broadcast.pickCourse")],
        asList: true,
        choices: context.data.courses.map((c) => ({ id: `k.${c.id}`, label: msg("common.raw", { text: c.title }) })),
      },
    })),
    askMeeting: emit(({ context }) =>
      context.data.meetings.length > 0
        ? {
            type: "bot.reply",
            reply: {
              kind: "choices",
              lines: [msg("broadcast.pickMeeting")],
              asList: true,
              choices: context.data.meetings.map((m) => ({
                id: `m.${m.id}`,
                label: msg("common.raw", { text: shortTime(m.startsAt, context.language, context.timeZone) }),
                description: msg("common.raw", { text: m.title }),
              })),
            },
          }
        : ask([msg("broadcast.noMeetings")], audienceChoices),
    ),
    setNews: assign(() => ({ audience: { kind: "news" } as Audience })),
    setCity: assign(({ event }) => ({ audience: { kind: "city", city: choiceAfter(event, "c.") ?? "" } as Audience })),
    setLanguage: assign(({ event }) => ({
      audience: { kind: "language", language: choiceAfter(event, "l.") ?? "" } as Audience,
    })),
    setCourse: assign(({ event }) => ({
      audience: { kind: "course", course: choiceAfter(event, "k.") ?? "" } as Audience,
    })),
    setMeeting: assign(({ event }) => ({
      audience: { kind: "meeting", meetingId: Number(choiceAfter(event, "m.")) } as Audience,
    })),
    preview: emit(({ context }) =>
      effect({ kind: "feature.broadcast.preview", data: { text: context.text, audience: context.audience } }),
    ),
    askSend: emit(() =>
      ask(
        [msg("broadcast.sendWhen")],
        [
          choice("bc.now", "broadcast.sendNow"),
          choice("bc.later", "broadcast.schedule"),
          choice("bc.back", "staff.abort"),
        ],
      ),
    ),
    askTime: emit(({ context }) =>
      ask([msg("staff.askWhen", { zone: context.timeZone })], [choice("bc.back", "staff.abort")]),
    ),
    sendNow: emit(({ context }) =>
      effect({
        kind: "feature.broadcast.create",
        data: { text: context.text, language: context.language, audience: context.audience },
      }),
    ),
    sendLater: emit(({ context, event }) =>
      effect({
        kind: "feature.broadcast.create",
        data: {
          text: context.text,
          language: context.language,
          audience: context.audience,
          sendAt: parseLocalDateTime(typed(event), context.timeZone)?.toISOString(),
        },
      }),
    ),
    notUnderstood: emit(() => say(msg("staff.tryAgain"))),
    showRecent: emit(({ context }) =>
      context.data.recent.length > 0
        ? ask(
            [msg("broadcast.pickRecent")],
            [
              ...context.data.recent.map((b) => ({
                id: `bc.${b.id}`,
                label: msg("broadcast.recentLabel", { id: b.id, status: msg(`broadcast.status.${b.status}`) }),
                description: msg("common.raw", { text: b.text.slice(0, 60) }),
              })),
              choice("bc.back", "staff.back"),
            ],
          )
        : ask([msg("broadcast.none")], [choice("bc.back", "staff.back")]),
    ),
    chooseRecent: assign(({ event }) => ({ broadcastId: Number(choiceAfter(event, "bc.")) })),
    counts: emit(({ context }) => effect({ kind: "feature.broadcast.counts", data: { id: context.broadcastId } })),
    askCancel: emit(() =>
      ask(
        [msg("broadcast.cancelQuestion")],
        [choice("bc.cancel", "broadcast.cancel"), choice("bc.back", "staff.back")],
      ),
    ),
    cancel: emit(({ context }) => effect({ kind: "feature.broadcast.cancel", data: { id: context.broadcastId } })),
  },
}).createMachine({
  id: "broadcast",
  output: exitOutput,
  context: ({ input }) => ({
    data: (input.data ?? { courses: [], meetings: [], recent: [] }) as BroadcastData,
    text: "",
    audience: { kind: "news" },
    broadcastId: null,
    language: input.user.language,
    timeZone: input.user.timeZone,
  }),
  initial: "home",
  states: {
    home: {
      entry: "showHome",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "bc.new" } }, target: "text" },
          { guard: { type: "picked", params: { id: "bc.list" } }, target: "recent" },
          { guard: { type: "picked", params: { id: "bc.back" } }, target: "staff" },
        ],
        "nav.back": "staff",
      },
    },
    text: {
      entry: "askText",
      on: {
        "user.text": [
          { guard: "textOk", target: "audience", actions: "setText" },
          { actions: ["notUnderstood", "askText"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "bc.back" } }, target: "home" },
        "nav.back": "home",
      },
    },
    audience: {
      entry: "askAudience",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "aud.news" } }, target: "preview", actions: "setNews" },
          { guard: { type: "picked", params: { id: "aud.city" } }, target: "city" },
          { guard: { type: "picked", params: { id: "aud.language" } }, target: "language" },
          { guard: { type: "picked", params: { id: "aud.course" } }, target: "course" },
          { guard: { type: "picked", params: { id: "aud.meeting" } }, target: "meeting" },
        ],
        "nav.back": "text",
      },
    },
    city: {
      entry: "askCity",
      on: {
        "user.choice": {
          guard: { type: "pickedPrefix", params: { prefix: "c." } },
          target: "preview",
          actions: "setCity",
        },
        "nav.back": "audience",
      },
    },
    language: {
      entry: "askLanguage",
      on: {
        "user.choice": {
          guard: { type: "pickedPrefix", params: { prefix: "l." } },
          target: "preview",
          actions: "setLanguage",
        },
        "nav.back": "audience",
      },
    },
    course: {
      entry: "askCourse",
      on: {
        "user.choice": {
          guard: { type: "pickedPrefix", params: { prefix: "k." } },
          target: "preview",
          actions: "setCourse",
        },
        "nav.back": "audience",
      },
    },
    meeting: {
      entry: "askMeeting",
      on: {
        "user.choice": {
          guard: { type: "pickedPrefix", params: { prefix: "m." } },
          target: "preview",
          actions: "setMeeting",
        },
        "nav.back": "audience",
      },
    },
    preview: {
      entry: ["preview", "askSend"],
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "bc.now" } }, target: "reload", actions: "sendNow" },
          { guard: { type: "picked", params: { id: "bc.later" } }, target: "when" },
          { guard: { type: "picked", params: { id: "bc.back" } }, target: "home" },
        ],
        "nav.back": "audience",
      },
    },
    when: {
      entry: "askTime",
      on: {
        "user.text": [
          { guard: "timeOk", target: "reload", actions: "sendLater" },
          { actions: ["notUnderstood", "askTime"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "bc.back" } }, target: "home" },
        "nav.back": "preview",
      },
    },
    recent: {
      entry: "showRecent",
      on: {
        "user.choice": [
          { guard: "pickedRecent", target: "detail", actions: "chooseRecent" },
          { guard: { type: "picked", params: { id: "bc.back" } }, target: "home" },
        ],
        "nav.back": "home",
      },
    },
    detail: {
      entry: ["counts", "askCancel"],
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "bc.cancel" } }, target: "reload", actions: "cancel" },
          { guard: { type: "picked", params: { id: "bc.back" } }, target: "recent" },
        ],
        "nav.back": "recent",
      },
    },
    // Start again after a change, so the lists show it.
    reload: { type: "final", output: { next: "broadcast" } },
    staff: { type: "final", output: { next: "staff" } },
  },
});

/** The broadcast flow; staff only, reached from the staff menu. */
export const broadcastFlow: FlowDefinition = { id: "broadcast", version: 1, machine, staffOnly: true };
