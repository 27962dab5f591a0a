/**
 * The staff menu, for staff only: change the time or place of a meeting, see
 * who is coming, or cancel it. Announcing a meeting (flows/staff-announce.ts)
 * and broadcasts (flows/broadcast.ts) are flows of their own.
 */
import { assign, emit, setup } from "xstate";
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
  say,
} from "./kit.ts";
import { type MeetingView, shortTime } from "./meetings.ts";

/** What the staff flow reads from storage: meetings to manage. */
export interface StaffData {
  /** The staff member's own address and the console's address, for signing in there. */
  console?: { address: string; url: string };
  meetings: (MeetingView & { city: string | null; confirmed: number; waiting: number })[];
}

interface StaffContext {
  data: StaffData;
  meetingId: number | null;
  language: string;
  timeZone: string;
}

const typed = (event: FlowEvent) => (event.type === "user.text" ? event.text.trim() : "");
const machine = setup({
  types: flowTypes<StaffContext>(),
  guards: {
    picked,
    // Whether the time lies ahead is checked where the clock is: in the effect handler.
    timeOk: ({ context, event }) => parseLocalDateTime(typed(event), context.timeZone) !== undefined,
    placeTyped: ({ event }) => typed(event).length >= 3,
    pickedMeeting: ({ context, event }) =>
      context.data.meetings.some((m) => String(m.id) === choiceAfter(event, "manage.")),
  },
  actions: {
    showHome: emit(({ context }) =>
      ask(
        [msg("staff.title"), ...(context.data.console ? [msg("staff.consoleHint", context.data.console)] : [])],
        [
          choice("staff.newMeeting", "staff.newMeeting"),
          choice("staff.manage", "staff.manage"),
          choice("staff.broadcast", "staff.broadcast"),
          choice("nav.menu", "common.toMenu"),
        ],
      ),
    ),
    showManage: emit(({ context }) => {
      const meetings = context.data.meetings;
      if (meetings.length === 0) return ask([msg("staff.noMeetings")], [choice("staff.home", "staff.back")]);
      return {
        type: "bot.reply",
        reply: {
          kind: "choices",
          lines: [msg("staff.pickMeeting")],
          asList: true,
          choices: [
            ...meetings.map((m) => ({
              id: `manage.${m.id}`,
              label: msg("common.raw", { text: shortTime(m.startsAt, context.language, context.timeZone) }),
              description: msg("common.raw", { text: m.title }),
            })),
            choice("staff.home", "staff.back"),
          ],
        },
      };
    }),
    notUnderstood: emit(() => say(msg("staff.tryAgain"))),
    chooseMeeting: assign(({ event }) => ({ meetingId: Number(choiceAfter(event, "manage.")) })),
    showActions: emit(() =>
      ask(
        [msg("staff.whatToDo")],
        [
          choice("staff.move", "staff.move"),
          choice("staff.changePlace", "staff.changePlace"),
          choice("staff.attendees", "staff.attendees"),
          choice("staff.cancelMeeting", "staff.cancelMeeting"),
          choice("staff.manage", "staff.back"),
        ],
      ),
    ),
    move: emit(({ context, event }) =>
      effect({
        kind: "feature.meetings.move",
        data: { id: context.meetingId, startsAt: parseLocalDateTime(typed(event), context.timeZone)?.toISOString() },
      }),
    ),
    changePlace: emit(({ context, event }) =>
      effect({ kind: "feature.meetings.place", data: { id: context.meetingId, place: typed(event) } }),
    ),
    attendees: emit(({ context }) => effect({ kind: "feature.meetings.attendees", data: { id: context.meetingId } })),
    askCancel: emit(() =>
      ask(
        [msg("staff.confirmCancel")],
        [
          { ...choice("staff.yesCancel", "staff.yesCancel"), role: "yes" },
          { ...choice("staff.keep", "staff.keep"), role: "no" },
        ],
      ),
    ),
    cancelMeeting: emit(({ context }) => effect({ kind: "feature.meetings.cancel", data: { id: context.meetingId } })),
    askNewTime: emit(({ context }) =>
      ask([msg("staff.askWhen", { zone: context.timeZone })], [choice("staff.keep", "staff.keep")]),
    ),
    askNewPlace: emit(() => ask([msg("staff.askNewPlace")], [choice("staff.keep", "staff.keep")])),
  },
}).createMachine({
  id: "staff",
  output: exitOutput,
  context: ({ input }) => ({
    data: (input.data ?? { meetings: [] }) as StaffData,
    meetingId: null,
    language: input.user.language,
    timeZone: input.user.timeZone,
  }),
  initial: "home",
  states: {
    home: {
      entry: "showHome",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "staff.newMeeting" } }, target: "announce" },
          { guard: { type: "picked", params: { id: "staff.manage" } }, target: "manage" },
          { guard: { type: "picked", params: { id: "staff.broadcast" } }, target: "broadcast" },
          { guard: { type: "picked", params: { id: "nav.menu" } }, target: "leaving" },
        ],
        "nav.back": "leaving",
      },
    },
    manage: {
      entry: "showManage",
      on: {
        "user.choice": [
          { guard: "pickedMeeting", target: "actions", actions: "chooseMeeting" },
          { guard: { type: "picked", params: { id: "staff.home" } }, target: "home" },
        ],
        "nav.back": "home",
      },
    },
    actions: {
      entry: "showActions",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "staff.move" } }, target: "newTime" },
          { guard: { type: "picked", params: { id: "staff.changePlace" } }, target: "newPlace" },
          {
            guard: { type: "picked", params: { id: "staff.attendees" } },
            target: "actions",
            reenter: true,
            actions: "attendees",
          },
          { guard: { type: "picked", params: { id: "staff.cancelMeeting" } }, target: "cancelling" },
          { guard: { type: "picked", params: { id: "staff.manage" } }, target: "manage" },
        ],
        "nav.back": "manage",
      },
    },
    newTime: {
      entry: "askNewTime",
      on: {
        "user.text": [
          { guard: "timeOk", target: "reload", actions: "move" },
          { actions: ["notUnderstood", "askNewTime"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "staff.keep" } }, target: "actions" },
        "nav.back": "actions",
      },
    },
    newPlace: {
      entry: "askNewPlace",
      on: {
        "user.text": [
          { guard: "placeTyped", target: "reload", actions: "changePlace" },
          { actions: ["notUnderstood", "askNewPlace"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "staff.keep" } }, target: "actions" },
        "nav.back": "actions",
      },
    },
    cancelling: {
      entry: "askCancel",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "staff.yesCancel" } }, target: "reload", actions: "cancelMeeting" },
          { guard: { type: "picked", params: { id: "staff.keep" } }, target: "actions" },
        ],
        "nav.back": "actions",
      },
    },
    // Start again after a change, so the lists show it.
    reload: { type: "final", output: { next: "staff" } },
    announce: { type: "final", output: { next: "announce" } },
    broadcast: { type: "final", output: { next: "broadcast" } },
    leaving: { type: "final", output: { next: "menu" } },
  },
});

/** The staff flow; the engine lets only staff start it. */
export const staffFlow: FlowDefinition = {
  id: "staff",
  version: 1,
  machine,
  staffOnly: true,
  menu: { order: 5, label: msg("staff.menuEntry"), visible: (facts) => (facts.isStaff ?? 0) > 0 },
};
