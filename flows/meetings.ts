/**
 * Information meetings for people: the upcoming meetings in their city and
 * online, each with its time in their own time zone, place and map link or
 * online link, languages, places left and a calendar file; an answer (yes,
 * maybe, no) and a way to give up a place.
 */

import { assign, emit, setup } from "xstate";
import { dateLocale } from "../src/domain/languages.ts";
import {
  ask,
  choice,
  choiceAfter,
  effect,
  exitOutput,
  type FlowDefinition,
  type FlowEvent,
  flowTypes,
  type Line,
  msg,
  picked,
  type ReplyChoice,
} from "./kit.ts";

/** A meeting as the flow shows it (plain data, read when the flow starts). */
export interface MeetingView {
  id: number;
  title: Record<string, string>;
  description: Record<string, string>;
  startsAt: string;
  endsAt: string;
  place: string | null;
  mapUrl: string | null;
  onlineUrl: string | null;
  languages: string[];
  /** Places left, or null without a limit. */
  placesLeft: number | null;
  status: "planned" | "moved" | "cancelled";
  /** A session of the person's class: for the class only, not open to everyone. */
  forClass?: boolean;
}

/** What the meetings flow reads from storage. */
export interface MeetingsData {
  meetings: MeetingView[];
  /** The person's answers by meeting id. */
  answers: Record<string, { answer: string; waiting: boolean }>;
  /** Where calendar files are served, such as https://lotse.example.org/calendar. */
  calendarBase: string;
}

interface MeetingsContext {
  data: MeetingsData;
  meetingId: number | null;
  language: string;
  timeZone: string;
}

/**
 * A meeting's time as the person reads it: in their language and time zone,
 * always on the Gregorian calendar (Node's Dari, Farsi and Pashto locales
 * default to the Persian one, and a date must match the letter people hold).
 *
 * @example
 * meetingTime("2026-03-05T17:00:00Z", "2026-03-05T18:30:00Z", "de", "Europe/Berlin"); // "Donnerstag, 5. März, 18:00–19:30"
 */
export function meetingTime(startsAt: string, endsAt: string, language: string, timeZone: string): string {
  const day = new Intl.DateTimeFormat(dateLocale(language), {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone,
  }).format(new Date(startsAt));
  const clock = new Intl.DateTimeFormat(dateLocale(language), {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  });
  return `${day}, ${clock.format(new Date(startsAt))}–${clock.format(new Date(endsAt))}`;
}

/**
 * A meeting's start, short enough for a list row or a button: "Thu, Mar 5, 18:00".
 * Titles are the row's second line: people write them, and they can be long.
 *
 * @example
 * shortTime("2026-03-05T17:00:00Z", "en", "Europe/Berlin"); // "Thu, Mar 5, 18:00"
 */
export function shortTime(startsAt: string, language: string, timeZone: string): string {
  const format = (weekday: boolean) =>
    new Intl.DateTimeFormat(dateLocale(language), {
      ...(weekday ? { weekday: "short" as const } : {}),
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone,
    }).format(new Date(startsAt));
  const full = format(true);
  // A WhatsApp list row holds 24 characters: where the weekday makes it longer (Arabic has no short
  // weekday or month: "الثلاثاء، 10 نوفمبر، 18:00"), the day and time matter more than the weekday.
  return [...full].length <= 24 ? full : format(false);
}

/** The lines of a meeting card. */
export function meetingCard(
  m: MeetingView,
  context: { language: string; timeZone: string; calendarBase: string },
  answer?: { answer: string; waiting: boolean },
): Line[] {
  const facts: Line = [
    msg("meetings.card.when", {
      time: meetingTime(m.startsAt, m.endsAt, context.language, context.timeZone),
      zone: context.timeZone,
    }),
    ...(m.place ? [msg("meetings.card.place", { text: m.place })] : []),
    ...(m.place
      ? [
          msg("meetings.card.map", {
            url: m.mapUrl ?? `https://www.openstreetmap.org/search?query=${encodeURIComponent(m.place)}`,
          }),
        ]
      : []),
    ...(m.onlineUrl ? [msg("meetings.card.online", { url: m.onlineUrl })] : []),
    ...(m.languages.length > 0 ? [msg("meetings.card.languages", { names: m.languages.join(", ") })] : []),
    m.forClass
      ? msg("teaching.card.forClass")
      : m.placesLeft === null
        ? msg("meetings.card.noLimit")
        : msg("meetings.card.placesLeft", { count: Math.max(0, m.placesLeft) }),
    // A public calendar file would let anyone who guesses the number read a class session's time and place.
    ...(m.forClass ? [] : [msg("meetings.card.calendar", { url: `${context.calendarBase}/meeting-${m.id}.ics` })]),
  ];
  const status =
    m.status === "cancelled"
      ? [msg("meetings.card.cancelled")]
      : m.status === "moved"
        ? [msg("meetings.card.moved")]
        : [];
  const mine = answer ? [msg(answer.waiting ? "meetings.card.youWait" : `meetings.card.you.${answer.answer}`)] : [];
  return [...status, msg("common.raw", { text: m.title }), msg("common.raw", { text: m.description }), facts, ...mine];
}

/** The three answers to a meeting. */
const rsvpAnswers = ["yes", "maybe", "no"] as const;

/**
 * The id of an answer button for one meeting: the meeting's id is in it, so a button on an older card
 * (another session still on the screen) is a stale button, not an answer to the meeting shown now.
 *
 * @example
 * rsvpChoiceId("yes", 12); // "rsvp.yes.12"
 */
export function rsvpChoiceId(answer: (typeof rsvpAnswers)[number], meetingId: number): string {
  return `rsvp.${answer}.${meetingId}`;
}

/**
 * The answer an event gives to this meeting, or undefined (another meeting's button, or no answer).
 *
 * @example
 * rsvpAnswerTo({ type: "user.choice", choiceId: "rsvp.maybe.12" }, 12); // "maybe"
 */
export function rsvpAnswerTo(
  event: FlowEvent,
  meetingId: number | null | undefined,
): "yes" | "maybe" | "no" | undefined {
  if (event.type !== "user.choice" || meetingId === null || meetingId === undefined) return undefined;
  return rsvpAnswers.find((a) => event.choiceId === rsvpChoiceId(a, meetingId));
}

const machine = setup({
  types: flowTypes<MeetingsContext>(),
  guards: {
    picked,
    pickedMeeting: ({ context, event }) =>
      context.data.meetings.some((m) => String(m.id) === choiceAfter(event, "meeting.")),
    linked: ({ context }) => context.data.meetings.some((m) => m.id === context.meetingId),
    answered: ({ context, event }) => rsvpAnswerTo(event, context.meetingId) !== undefined,
  },
  actions: {
    showList: emit(({ context }) => {
      const { meetings } = context.data;
      if (meetings.length === 0) return ask([msg("meetings.none")], [choice("nav.menu", "common.toMenu")]);
      const choices: ReplyChoice[] = meetings.map((m) => ({
        id: `meeting.${m.id}`,
        label: msg("common.raw", { text: shortTime(m.startsAt, context.language, context.timeZone) }),
        description: msg("common.raw", { text: m.title }),
      }));
      // The renderer notes a fallback language for texts in a reply's lines, not in its list rows. The
      // first title not in the person's language goes into the heading's (unused) parameters, so the
      // list says, in their language, which language the titles it shows are in.
      const fallback = meetings.find((m) => m.title[context.language] === undefined);
      return {
        type: "bot.reply",
        reply: {
          kind: "choices",
          lines: [msg("meetings.title", fallback ? { titlesIn: fallback.title } : undefined)],
          choices: [...choices, choice("nav.menu", "common.toMenu")],
          asList: true,
        },
      };
    }),
    choose: assign(({ event }) => ({ meetingId: Number(choiceAfter(event, "meeting.")) })),
    showMeeting: emit(({ context }) => {
      const m = context.data.meetings.find((x) => x.id === context.meetingId);
      if (!m) return ask([msg("meetings.gone")], [choice("meetings.list", "meetings.all")]);
      const answer = context.data.answers[String(m.id)];
      const calendar = {
        language: context.language,
        timeZone: context.timeZone,
        calendarBase: context.data.calendarBase,
      };
      const going = answer?.answer === "yes";
      const options: ReplyChoice[] =
        m.status === "cancelled"
          ? [choice("meetings.list", "meetings.all")]
          : going
            ? [choice(rsvpChoiceId("no", m.id), "meetings.cancelPlace"), choice("meetings.list", "meetings.all")]
            : rsvpAnswers.map((a) => choice(rsvpChoiceId(a, m.id), `meetings.rsvp.${a}`));
      return ask(
        [
          ...meetingCard(m, calendar, answer),
          msg(going || m.status === "cancelled" ? "meetings.what" : "meetings.question"),
        ],
        options,
      );
    }),
    answer: emit(({ context, event }) =>
      effect({
        kind: "feature.meetings.rsvp",
        data: { meetingId: context.meetingId, answer: rsvpAnswerTo(event, context.meetingId) ?? "no" },
      }),
    ),
    remember: assign(({ context, event }) => {
      const answer = rsvpAnswerTo(event, context.meetingId) ?? "no";
      return {
        data: {
          ...context.data,
          answers: { ...context.data.answers, [String(context.meetingId)]: { answer, waiting: false } },
        },
      };
    }),
  },
}).createMachine({
  id: "meetings",
  output: exitOutput,
  context: ({ input }) => ({
    data: (input.data ?? { meetings: [], answers: {}, calendarBase: "" }) as MeetingsData,
    meetingId: input.params.meeting ? Number(input.params.meeting) : null,
    language: input.user.language,
    timeZone: input.user.timeZone,
  }),
  initial: "entry",
  states: {
    entry: { always: [{ guard: "linked", target: "meeting" }, { target: "list" }] },
    list: {
      entry: "showList",
      on: {
        "user.choice": [
          { guard: "pickedMeeting", target: "meeting", actions: "choose" },
          { guard: { type: "picked", params: { id: "nav.menu" } }, target: "leaving" },
        ],
        "nav.back": "leaving",
      },
    },
    meeting: {
      entry: "showMeeting",
      on: {
        "user.choice": [
          { guard: "answered", target: "list", actions: ["answer", "remember"] },
          { guard: { type: "picked", params: { id: "meetings.list" } }, target: "list" },
        ],
        "nav.back": "list",
      },
    },
    leaving: { type: "final", output: { next: "menu" } },
  },
});

/** The meetings flow. */
export const meetingsFlow: FlowDefinition = {
  id: "meetings",
  // 2: answer buttons name their meeting (rsvp.yes.12).
  version: 2,
  machine,
  menu: { order: 35, label: msg("meetings.menuEntry") },
};
