/**
 * Settings: change language, city and time zone. Choosing a city also sets
 * that city's time zone; "other" keeps the current one. Also the daily
 * reminder, news, and whether answers may be used for research.
 */
import { assign, emit, setup } from "xstate";
import { cities, cityById, isTimeZone, otherCity } from "../src/domain/cities.ts";
import { asciiDigits } from "../src/domain/digits.ts";
import { languageByCode } from "../src/domain/languages.ts";
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
import { languageChoices, needsSecondLanguage, secondLanguageChoices } from "./language-choices.ts";

/** Time zones offered as choices; any other IANA name can be typed. */
const offeredTimeZones = [
  "Europe/Berlin",
  "Europe/Stockholm",
  "Europe/Oslo",
  "Europe/Rome",
  "Europe/Athens",
  "Europe/Istanbul",
  "Europe/Kyiv",
  "Europe/London",
  "UTC",
];

const pickChoices: ReplyChoice[] = [
  choice("settings.language", "settings.menu.language"),
  choice("settings.city", "settings.menu.city"),
  choice("settings.timeZone", "settings.menu.timeZone"),
  choice("settings.nudge", "settings.menu.nudge"),
  choice("settings.news", "settings.menu.news"),
  choice("settings.research", "settings.menu.research"),
  choice("nav.menu", "common.toMenu"),
];

/** What settings reads from storage: the daily reminder hour and the quiet hours it must avoid. */
export interface SettingsData {
  nudgeHour: number | null;
  quietStart: number;
  quietEnd: number;
  /** Whether the person wants news and announcements. */
  news?: boolean;
  /** Whether the person allows research use of their pseudonymised answers (src/research/feature.ts). */
  research?: boolean;
}

const researchChoices: ReplyChoice[] = [
  { ...choice("research.yes", "settings.research.yes"), consent: true },
  choice("research.no", "settings.research.no"),
];

const nudgeChoices: ReplyChoice[] = [
  choice("nudge.8", "settings.nudge.morning"),
  choice("nudge.12", "settings.nudge.noon"),
  choice("nudge.18", "settings.nudge.evening"),
  choice("nudge.off", "settings.nudge.off"),
];

/** An hour typed as "9", "09", "9:00" or "19.00", if that is what the text is. */
function typedHour(text: string): number | undefined {
  // Any digits people type (۹, ٢٠), and "ساعت"/"ساعة" (o'clock) before or after.
  const match = /^\s*(?:ساعت|ساعة)?\s*([01]?\d|2[0-3])(?:[:.]00)?\s*(?:h|uhr|ساعة|ساعت)?\s*$/i.exec(
    asciiDigits(text.normalize("NFKC")),
  );
  return match ? Number(match[1]) : undefined;
}

function quiet(hour: number, data: SettingsData): boolean {
  const { quietStart: start, quietEnd: end } = data;
  return start > end ? hour >= start || hour < end : hour >= start && hour < end;
}

/** The hour picked or typed, or undefined; "off" is null. */
function pickedHour(event: FlowEvent): number | null | undefined {
  if (event.type === "user.choice" && event.choiceId === "nudge.off") return null;
  if (event.type === "user.choice" && event.choiceId.startsWith("nudge.")) return Number(event.choiceId.slice(6));
  if (event.type === "user.text") return typedHour(event.text);
  return undefined;
}

const cityChoices: ReplyChoice[] = [
  ...cities.map((c) => ({ id: `city.${c.id}`, label: msg(`cities.${c.id}`) })),
  choice(`city.${otherCity}`, "cities.other"),
];

const zoneChoices: ReplyChoice[] = offeredTimeZones.map((z) => ({
  id: `tz.${z}`,
  label: msg("common.raw", { text: z }),
}));

/** A typed time zone such as "europe/kyiv" in its canonical spelling, if valid. */
function typedZone(event: FlowEvent): string | undefined {
  if (event.type !== "user.text") return undefined;
  const typed = event.text.trim();
  if (!isTimeZone(typed)) return undefined;
  return new Intl.DateTimeFormat("en", { timeZone: typed }).resolvedOptions().timeZone;
}

function pickedZone(event: FlowEvent): string | undefined {
  return choiceAfter(event, "tz.") ?? typedZone(event);
}

const settingsMachine = setup({
  types: flowTypes<{ start: string; language: string; data: SettingsData }>(),
  guards: {
    picked,
    startsAt: ({ context }, params: { step: string }) => context.start === params.step,
    pickedLanguage: ({ event }) => languageByCode(choiceAfter(event, "lang.")) !== undefined,
    needsSecondLanguage: ({ event }) => needsSecondLanguage(choiceAfter(event, "lang.")),
    pickedSecondLanguage: ({ event }) => choiceAfter(event, "second.") !== undefined,
    pickedCity: ({ event }) => choiceAfter(event, "city.") !== undefined,
    pickedZone: ({ event }) => pickedZone(event) !== undefined,
    allowedHour: ({ event, context }) => {
      const hour = pickedHour(event);
      return hour === null || (hour !== undefined && !quiet(hour, context.data));
    },
    quietHour: ({ event, context }) => {
      const hour = pickedHour(event);
      return hour !== undefined && hour !== null && quiet(hour, context.data);
    },
  },
  actions: {
    askWhat: emit(() => ask([msg("settings.title")], pickChoices)),
    askLanguage: emit(({ context }) => ask([msg("settings.askLanguage")], languageChoices(context.language))),
    askSecondLanguage: emit(() => ask([msg("onboarding.secondLanguage")], secondLanguageChoices())),
    saveSecondLanguage: emit(({ event }) =>
      effect({ kind: "user.update", patch: { secondLanguage: choiceAfter(event, "second.") } }),
    ),
    askCity: emit(() => ask([msg("settings.askCity")], cityChoices)),
    askZone: emit(() => ask([msg("settings.askTimeZone")], zoneChoices)),
    saveLanguage: emit(({ event }) =>
      effect({ kind: "user.update", patch: { language: choiceAfter(event, "lang.") } }),
    ),
    saveCity: emit(({ event }) => {
      const city = choiceAfter(event, "city.") ?? otherCity;
      const zone = cityById(city)?.timeZone;
      return effect({ kind: "user.update", patch: zone ? { city, timeZone: zone } : { city } });
    }),
    saveZone: emit(({ event }) => effect({ kind: "user.update", patch: { timeZone: pickedZone(event) } })),
    confirmSaved: emit(() => say(msg("settings.saved"))),
    askNews: emit(({ context }) =>
      ask(
        [msg(context.data.news ? "settings.news.on" : "settings.news.off"), msg("settings.news.question")],
        [choice("news.yes", "onboarding.news.yes"), choice("news.no", "onboarding.news.no")],
      ),
    ),
    setNewsOn: emit(() => effect({ kind: "feature.news.set", data: { wanted: true } })),
    setNewsOff: emit(() => effect({ kind: "feature.news.set", data: { wanted: false } })),
    askResearch: emit(({ context }) =>
      ask(
        [
          msg(context.data.research ? "settings.research.on" : "settings.research.off"),
          msg("settings.research.question"),
        ],
        researchChoices,
      ),
    ),
    saveResearch: emit(({ event }) =>
      effect({ kind: "feature.research.set", data: { consent: picked({ event }, { id: "research.yes" }) } }),
    ),
    confirmResearch: emit(({ event }) =>
      say(msg(picked({ event }, { id: "research.yes" }) ? "settings.research.savedYes" : "settings.research.savedNo")),
    ),
    rememberResearch: assign(({ event, context }) => ({
      data: { ...context.data, research: picked({ event }, { id: "research.yes" }) },
    })),
    askNudge: emit(({ context }) => {
      const hour = context.data.nudgeHour;
      const now = hour === null ? msg("settings.nudge.currentOff") : msg("settings.nudge.current", { hour });
      return {
        type: "bot.reply",
        reply: {
          kind: "choices",
          lines: [now, msg("settings.nudge.question")],
          choices: nudgeChoices,
          numbersAreAnswers: true,
        },
      };
    }),
    saveNudge: emit(({ event }) => effect({ kind: "feature.nudge.set", data: { hour: pickedHour(event) ?? null } })),
    confirmNudge: emit(({ event }) => {
      const hour = pickedHour(event);
      return say(
        hour === null || hour === undefined ? msg("settings.nudge.savedOff") : msg("settings.nudge.saved", { hour }),
      );
    }),
    rememberNudge: assign(({ event, context }) => ({
      data: { ...context.data, nudgeHour: pickedHour(event) ?? null },
    })),
    explainQuiet: emit(({ context }) =>
      ask(
        [
          msg("settings.nudge.quiet", { start: context.data.quietStart, end: context.data.quietEnd }),
          msg("settings.nudge.question"),
        ],
        nudgeChoices,
      ),
    ),
  },
}).createMachine({
  id: "settings",
  output: exitOutput,
  context: ({ input }) => ({
    start: input.params.start ?? "",
    language: input.user.language,
    data: (input.data ?? { nudgeHour: null, quietStart: 21, quietEnd: 8 }) as SettingsData,
  }),
  initial: "entry",
  states: {
    entry: {
      always: [
        { guard: { type: "startsAt", params: { step: "language" } }, target: "language" },
        { guard: { type: "startsAt", params: { step: "nudge" } }, target: "nudge" },
        { target: "what" },
      ],
    },
    what: {
      entry: "askWhat",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "settings.language" } }, target: "language" },
          { guard: { type: "picked", params: { id: "settings.city" } }, target: "city" },
          { guard: { type: "picked", params: { id: "settings.timeZone" } }, target: "timeZone" },
          { guard: { type: "picked", params: { id: "settings.nudge" } }, target: "nudge" },
          { guard: { type: "picked", params: { id: "settings.news" } }, target: "news" },
          { guard: { type: "picked", params: { id: "settings.research" } }, target: "research" },
          { guard: { type: "picked", params: { id: "nav.menu" } }, target: "done" },
        ],
        "nav.back": "done",
      },
    },
    language: {
      entry: "askLanguage",
      on: {
        "user.choice": [
          { guard: "needsSecondLanguage", actions: "saveLanguage", target: "secondLanguage" },
          { guard: "pickedLanguage", actions: ["saveLanguage", "confirmSaved"], target: "what" },
        ],
        "nav.back": "what",
      },
    },
    secondLanguage: {
      entry: "askSecondLanguage",
      on: {
        "user.choice": {
          guard: "pickedSecondLanguage",
          actions: ["saveSecondLanguage", "confirmSaved"],
          target: "what",
        },
        "nav.back": "language",
      },
    },
    city: {
      entry: "askCity",
      on: {
        "user.choice": { guard: "pickedCity", actions: ["saveCity", "confirmSaved"], target: "what" },
        "nav.back": "what",
      },
    },
    timeZone: {
      entry: "askZone",
      on: {
        "user.choice": { guard: "pickedZone", actions: ["saveZone", "confirmSaved"], target: "what" },
        "user.text": { guard: "pickedZone", actions: ["saveZone", "confirmSaved"], target: "what" },
        "nav.back": "what",
      },
    },
    nudge: {
      entry: "askNudge",
      on: {
        "user.choice": {
          guard: "allowedHour",
          actions: ["saveNudge", "rememberNudge", "confirmNudge"],
          target: "what",
        },
        "user.text": [
          { guard: "allowedHour", actions: ["saveNudge", "rememberNudge", "confirmNudge"], target: "what" },
          { guard: "quietHour", actions: "explainQuiet" },
        ],
        "nav.back": "what",
      },
    },
    news: {
      entry: "askNews",
      on: {
        "user.choice": [
          {
            guard: { type: "picked", params: { id: "news.yes" } },
            target: "what",
            actions: ["setNewsOn", "confirmSaved"],
          },
          {
            guard: { type: "picked", params: { id: "news.no" } },
            target: "what",
            actions: ["setNewsOff", "confirmSaved"],
          },
        ],
        "nav.back": "what",
      },
    },
    research: {
      entry: "askResearch",
      on: {
        "user.choice": [
          {
            guard: { type: "picked", params: { id: "research.yes" } },
            target: "what",
            actions: ["saveResearch", "rememberResearch", "confirmResearch"],
          },
          {
            guard: { type: "picked", params: { id: "research.no" } },
            target: "what",
            actions: ["saveResearch", "rememberResearch", "confirmResearch"],
          },
        ],
        "nav.back": "what",
      },
    },
    done: { type: "final", output: { next: "menu" } },
  },
});

/** The settings flow, reached from the menu or by the global word "language". */
export const settingsFlow: FlowDefinition = {
  id: "settings",
  version: 2,
  machine: settingsMachine,
  menu: { order: 80, label: msg("settings.menuEntry") },
};
