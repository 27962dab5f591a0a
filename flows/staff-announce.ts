/**
 * Announcing a meeting in the chat, for staff: a short guided conversation
 * (title, description, time, length, place or online link, city, places,
 * languages), a summary to check, then the announcement. Reached from the
 * staff menu, and back to it.
 */
import { assign, emit, setup } from "xstate";
import { cities, cityById } from "../src/domain/cities.ts";
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
import { meetingTime } from "./meetings.ts";

interface Draft {
  title: string;
  description: string;
  startsAt: string;
  minutes: number;
  place: string | null;
  onlineUrl: string | null;
  city: string | null;
  capacity: number | null;
  languages: string[];
}

interface AnnounceContext {
  draft: Draft;
  language: string;
  timeZone: string;
}

const emptyDraft: Draft = {
  title: "",
  description: "",
  startsAt: "",
  minutes: 60,
  place: null,
  onlineUrl: null,
  city: null,
  capacity: null,
  languages: [],
};

const typed = (event: FlowEvent) => (event.type === "user.text" ? event.text.trim() : "");
const durations: ReplyChoice[] = [30, 60, 90, 120].map((m) => ({
  id: `min.${m}`,
  label: msg("staff.minutes", { count: m }),
}));
const cityChoices: ReplyChoice[] = [
  ...cities.map((c) => ({ id: `city.${c.id}`, label: msg(`cities.${c.id}`) })),
  choice("city.online", "staff.onlineForAll"),
];

const machine = setup({
  types: flowTypes<AnnounceContext>(),
  guards: {
    picked,
    // A title is a list row's second line (72 characters on WhatsApp).
    titleOk: ({ event }) => [...typed(event)].length >= 3 && [...typed(event)].length <= 72,
    descriptionOk: ({ event }) => typed(event).length >= 3 && typed(event).length <= 500,
    // Whether the time lies ahead is checked where the clock is: in the effect handler.
    timeOk: ({ context, event }) => parseLocalDateTime(typed(event), context.timeZone) !== undefined,
    minutesPicked: ({ event }) => choiceAfter(event, "min.") !== undefined,
    placeTyped: ({ event }) => typed(event).length >= 3,
    linkOk: ({ event }) => /^https:\/\/\S+$/.test(typed(event)),
    cityPicked: ({ event }) => choiceAfter(event, "city.") !== undefined,
    capacityOk: ({ event }) => /^\d{1,4}$/.test(typed(event)) && Number(typed(event)) > 0,
  },
  actions: {
    askTitle: emit(() => ask([msg("staff.askTitle")], [choice("staff.home", "staff.abort")])),
    askDescription: emit(() => ask([msg("staff.askDescription")], [choice("staff.skip", "staff.skip")])),
    askWhen: emit(({ context }) =>
      ask([msg("staff.askWhen", { zone: context.timeZone })], [choice("staff.home", "staff.abort")]),
    ),
    askMinutes: emit(() => ask([msg("staff.askMinutes")], durations)),
    askWhere: emit(() => ask([msg("staff.askWhere")], [choice("where.online", "staff.online")])),
    askLink: emit(() => ask([msg("staff.askLink")], [choice("staff.home", "staff.abort")])),
    askCity: emit(() => ask([msg("staff.askCity")], cityChoices)),
    askCapacity: emit(() => ({
      type: "bot.reply",
      reply: {
        kind: "choices",
        lines: [msg("staff.askCapacity")],
        choices: [choice("staff.noLimit", "staff.noLimit")],
        numbersAreAnswers: true,
      },
    })),
    askLanguages: emit(() => ask([msg("staff.askLanguages")], [choice("staff.skip", "staff.skip")])),
    notUnderstood: emit(() => say(msg("staff.tryAgain"))),
    setTitle: assign(({ context, event }) => ({ draft: { ...context.draft, title: typed(event) } })),
    setDescription: assign(({ context, event }) => ({ draft: { ...context.draft, description: typed(event) } })),
    setWhen: assign(({ context, event }) => ({
      draft: { ...context.draft, startsAt: parseLocalDateTime(typed(event), context.timeZone)?.toISOString() ?? "" },
    })),
    setMinutes: assign(({ context, event }) => ({
      draft: { ...context.draft, minutes: Number(choiceAfter(event, "min.")) },
    })),
    setPlace: assign(({ context, event }) => ({ draft: { ...context.draft, place: typed(event), onlineUrl: null } })),
    setOnline: assign(({ context }) => ({ draft: { ...context.draft, place: null } })),
    setLink: assign(({ context, event }) => ({ draft: { ...context.draft, onlineUrl: typed(event) } })),
    setCity: assign(({ context, event }) => {
      const city = choiceAfter(event, "city.") ?? "online";
      return { draft: { ...context.draft, city: city === "online" ? null : city } };
    }),
    setCapacity: assign(({ context, event }) => ({ draft: { ...context.draft, capacity: Number(typed(event)) } })),
    setLanguages: assign(({ context, event }) => ({
      draft: {
        ...context.draft,
        languages: typed(event)
          .split(/[,;/]+/)
          .map((l) => l.trim())
          .filter(Boolean)
          .slice(0, 8),
      },
    })),
    showDraft: emit(({ context }) => {
      const d = context.draft;
      const endsAt = new Date(new Date(d.startsAt).getTime() + d.minutes * 60_000).toISOString();
      return ask(
        [
          msg("staff.check"),
          [
            msg("staff.summary.title", { text: d.title }),
            msg("staff.summary.when", { time: meetingTime(d.startsAt, endsAt, context.language, context.timeZone) }),
            msg("staff.summary.where", { text: d.place ?? d.onlineUrl ?? "-" }),
            msg("staff.summary.city", { text: cityById(d.city)?.name ?? "online" }),
            msg("staff.summary.capacity", { text: d.capacity === null ? "-" : String(d.capacity) }),
            msg("staff.summary.languages", { text: d.languages.join(", ") || "-" }),
          ],
        ],
        [choice("staff.create", "staff.create"), choice("staff.home", "staff.abort")],
      );
    }),
    create: emit(({ context }) =>
      effect({
        kind: "feature.meetings.create",
        data: { ...context.draft, language: context.language, timeZone: context.timeZone },
      }),
    ),
  },
}).createMachine({
  id: "announce",
  output: exitOutput,
  context: ({ input }) => ({ draft: { ...emptyDraft }, language: input.user.language, timeZone: input.user.timeZone }),
  initial: "title",
  states: {
    title: {
      entry: "askTitle",
      on: {
        "user.text": [
          { guard: "titleOk", target: "description", actions: "setTitle" },
          { actions: ["notUnderstood", "askTitle"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "staff.home" } }, target: "back" },
        "nav.back": "back",
      },
    },
    description: {
      entry: "askDescription",
      on: {
        "user.text": [
          { guard: "descriptionOk", target: "when", actions: "setDescription" },
          { actions: ["notUnderstood", "askDescription"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "staff.skip" } }, target: "when" },
        "nav.back": "title",
      },
    },
    when: {
      entry: "askWhen",
      on: {
        "user.text": [
          { guard: "timeOk", target: "minutes", actions: "setWhen" },
          { actions: ["notUnderstood", "askWhen"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "staff.home" } }, target: "back" },
        "nav.back": "description",
      },
    },
    minutes: {
      entry: "askMinutes",
      on: { "user.choice": { guard: "minutesPicked", target: "where", actions: "setMinutes" }, "nav.back": "when" },
    },
    where: {
      entry: "askWhere",
      on: {
        "user.choice": {
          guard: { type: "picked", params: { id: "where.online" } },
          target: "link",
          actions: "setOnline",
        },
        "user.text": [
          { guard: "placeTyped", target: "city", actions: "setPlace" },
          { actions: ["notUnderstood", "askWhere"] },
        ],
        "nav.back": "minutes",
      },
    },
    link: {
      entry: "askLink",
      on: {
        "user.text": [
          { guard: "linkOk", target: "city", actions: "setLink" },
          { actions: ["notUnderstood", "askLink"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "staff.home" } }, target: "back" },
        "nav.back": "where",
      },
    },
    city: {
      entry: "askCity",
      on: { "user.choice": { guard: "cityPicked", target: "capacity", actions: "setCity" }, "nav.back": "where" },
    },
    capacity: {
      entry: "askCapacity",
      on: {
        "user.text": [
          { guard: "capacityOk", target: "languages", actions: "setCapacity" },
          { actions: ["notUnderstood", "askCapacity"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "staff.noLimit" } }, target: "languages" },
        "nav.back": "city",
      },
    },
    languages: {
      entry: "askLanguages",
      on: {
        "user.text": { target: "confirm", actions: "setLanguages" },
        "user.choice": { guard: { type: "picked", params: { id: "staff.skip" } }, target: "confirm" },
        "nav.back": "capacity",
      },
    },
    confirm: {
      entry: "showDraft",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "staff.create" } }, target: "announced", actions: "create" },
          { guard: { type: "picked", params: { id: "staff.home" } }, target: "back" },
        ],
        "nav.back": "languages",
      },
    },
    announced: { type: "final", output: { next: "staff" } },
    back: { type: "final", output: { next: "staff" } },
  },
});

/** The announce flow; staff only, reached from the staff menu. */
export const announceFlow: FlowDefinition = { id: "announce", version: 1, machine, staffOnly: true };
