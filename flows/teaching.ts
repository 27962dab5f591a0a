/**
 * "My classes", for teachers (and admins): the list of their classes, and creating a new one in a
 * short guided conversation (name, city or online, languages, courses in order, places), which
 * answers with the join code and the links to hand out. A class opens in flows/teaching-class.ts.
 * The flow only asks; every change is an effect that checks the person's rights when it runs.
 */
import { assign, emit, setup } from "xstate";
import { cities } from "../src/domain/cities.ts";
import { languageByCode } from "../src/domain/languages.ts";
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
  type LocalizedText,
  type Msg,
  msg,
  picked,
  type ReplyChoice,
  say,
} from "./kit.ts";
import { languageChoices } from "./language-choices.ts";

/** A learner as the teacher sees them: the name they chose for the class, or their reference. */
export interface TeachingLearner {
  ref: string;
  name: string | null;
}

/** A session of a class, with who was marked as having come (by reference). */
export interface TeachingSession {
  id: number;
  startsAt: string;
  endsAt: string;
  came: string[];
}

/** A class as the teaching flows show it. */
export interface TeachingClass {
  id: number;
  name: string;
  code: string;
  city: string | null;
  /** The zone session times are typed and shown in: the city's, or the teacher's for an online class. */
  timeZone: string;
  languages: string[];
  learners: TeachingLearner[];
  /** Sessions of the last weeks and to come, soonest first. */
  sessions: TeachingSession[];
}

/** What the teaching flows read from storage. */
export interface TeachingData {
  /** Whether the person is a teacher or an admin right now. */
  allowed: boolean;
  /** The content pack's courses, in the pack's order. */
  courses: { id: string; title: LocalizedText }[];
  /** The classes the person may see: their own (admins: every class), newest first. */
  classes: TeachingClass[];
}

/** The empty data, for a flow started without its loader (it then says it is for teachers). */
export const noTeachingData: TeachingData = { allowed: false, courses: [], classes: [] };

/** The name a teacher sees for a learner: their chosen name, or "Learner <ref>". */
export function learnerLabel(learner: TeachingLearner): Msg {
  return learner.name ? msg("common.raw", { text: learner.name }) : msg("teaching.learnerRef", { ref: learner.ref });
}

interface Draft {
  name: string;
  city: string | null;
  languages: string[];
  courses: string[];
  capacity: number | null;
}

interface TeachingContext {
  allowed: boolean;
  classes: { id: number; name: string; code: string; learners: number }[];
  courses: TeachingData["courses"];
  draft: Draft;
  language: string;
}

const emptyDraft: Draft = { name: "", city: null, languages: [], courses: [], capacity: null };
const typed = (event: FlowEvent) => (event.type === "user.text" ? event.text.trim() : "");
const nameOf = (code: string) => languageByCode(code)?.nativeName ?? code;

/** A question whose answer is typed: a number typed is the answer, never the number of a choice. */
function askTyped(lines: Msg[], choices: ReplyChoice[]) {
  return { type: "bot.reply" as const, reply: { kind: "choices" as const, lines, choices, numbersAreAnswers: true } };
}

const cancel = choice("teach.cancel", "teaching.cancel");

const machine = setup({
  types: flowTypes<TeachingContext>(),
  guards: {
    picked,
    allowed: ({ context }) => context.allowed,
    pickedClass: ({ context, event }) => context.classes.some((c) => String(c.id) === choiceAfter(event, "class.")),
    nameOk: ({ event }) => [...typed(event)].length >= 3 && [...typed(event)].length <= 60,
    cityPicked: ({ event }) => choiceAfter(event, "city.") !== undefined,
    languagePicked: ({ event }) => languageByCode(choiceAfter(event, "lang.")) !== undefined,
    languagesDone: ({ context, event }) =>
      choiceAfter(event, "langs.") === "done" && context.draft.languages.length > 0,
    coursePicked: ({ context, event }) => context.courses.some((c) => c.id === choiceAfter(event, "course.")),
    coursesDone: ({ context, event }) => choiceAfter(event, "courses.") === "done" && context.draft.courses.length > 0,
    capacityOk: ({ event }) => /^\d{1,4}$/.test(typed(event)) && Number(typed(event)) > 0,
  },
  actions: {
    showHome: emit(({ context }) => {
      const rows: ReplyChoice[] = context.classes.map((c) => ({
        id: `class.${c.id}`,
        label: msg("common.raw", { text: c.name }),
        description: msg("teaching.classRow", { count: c.learners, code: c.code }),
      }));
      return {
        type: "bot.reply",
        reply: {
          kind: "choices",
          lines: [msg(context.classes.length > 0 ? "teaching.title" : "teaching.noClasses")],
          asList: true,
          choices: [...rows, choice("teach.new", "teaching.newClass"), choice("nav.menu", "common.toMenu")],
        },
      };
    }),
    onlyTeachers: emit(() => say(msg("teaching.onlyTeachers"))),
    notUnderstood: emit(() => say(msg("teaching.tryAgain"))),
    startDraft: assign(() => ({ draft: { ...emptyDraft } })),
    askName: emit(() => askTyped([msg("teaching.askName")], [cancel])),
    setName: assign(({ context, event }) => ({ draft: { ...context.draft, name: typed(event) } })),
    askCity: emit(() =>
      ask(
        [msg("teaching.askCity")],
        [
          ...cities.map((c) => ({ id: `city.${c.id}`, label: msg(`cities.${c.id}`) })),
          choice("city.online", "teaching.online"),
        ],
      ),
    ),
    setCity: assign(({ context, event }) => {
      const city = choiceAfter(event, "city.") ?? "online";
      return { draft: { ...context.draft, city: city === "online" ? null : city } };
    }),
    askLanguages: emit(({ context }) => {
      const picked = context.draft.languages;
      const lines =
        picked.length === 0
          ? [msg("teaching.askLanguages")]
          : [msg("teaching.moreLanguages", { names: picked.map(nameOf).join(", ") })];
      const first =
        picked.length === 0
          ? [choice("langs.mine", "teaching.onlyMine", { name: nameOf(context.language) })]
          : [choice("langs.done", "teaching.done")];
      const rest = languageChoices(context.language).filter((c) => !picked.includes(c.id.slice("lang.".length)));
      return { type: "bot.reply", reply: { kind: "choices", lines, choices: [...first, ...rest], asList: true } };
    }),
    addLanguage: assign(({ context, event }) => ({
      draft: { ...context.draft, languages: [...context.draft.languages, choiceAfter(event, "lang.") ?? ""] },
    })),
    onlyMine: assign(({ context }) => ({ draft: { ...context.draft, languages: [context.language] } })),
    askCourses: emit(({ context }) => {
      const picked = context.draft.courses;
      const titles = picked.map((id, i) =>
        msg("teaching.courseInOrder", {
          n: i + 1,
          title: context.courses.find((c) => c.id === id)?.title ?? id,
        }),
      );
      const lines = picked.length === 0 ? [msg("teaching.askFirstCourse")] : [titles, msg("teaching.askNextCourse")];
      const choices: ReplyChoice[] = [
        ...(picked.length > 0 ? [choice("courses.done", "teaching.done")] : []),
        ...context.courses
          .filter((c) => !picked.includes(c.id))
          .map((c) => ({ id: `course.${c.id}`, label: msg("common.raw", { text: c.title }) })),
      ];
      return { type: "bot.reply", reply: { kind: "choices", lines, choices, asList: true } };
    }),
    addCourse: assign(({ context, event }) => ({
      draft: { ...context.draft, courses: [...context.draft.courses, choiceAfter(event, "course.") ?? ""] },
    })),
    askCapacity: emit(() => askTyped([msg("teaching.askCapacity")], [choice("cap.none", "teaching.noLimit"), cancel])),
    setCapacity: assign(({ context, event }) => ({ draft: { ...context.draft, capacity: Number(typed(event)) } })),
    showDraft: emit(({ context }) => {
      const d = context.draft;
      return ask(
        [
          msg("teaching.check"),
          [
            msg("teaching.summary.name", { text: d.name }),
            msg("teaching.summary.city", { city: d.city ? msg(`cities.${d.city}`) : msg("teaching.online") }),
            msg("teaching.summary.languages", { names: d.languages.map(nameOf).join(", ") }),
            ...d.courses.map((id, i) =>
              msg("teaching.courseInOrder", { n: i + 1, title: context.courses.find((c) => c.id === id)?.title ?? id }),
            ),
            d.capacity === null
              ? msg("teaching.summary.noLimit")
              : msg("teaching.summary.capacity", { count: d.capacity }),
          ],
        ],
        [choice("teach.create", "teaching.create"), cancel],
      );
    }),
    create: emit(({ context }) => effect({ kind: "feature.teaching.create", data: { ...context.draft } })),
  },
}).createMachine({
  id: "teaching",
  output: exitOutput,
  context: ({ input }) => {
    const data = (input.data ?? noTeachingData) as TeachingData;
    return {
      allowed: data.allowed,
      classes: data.classes.map((c) => ({ id: c.id, name: c.name, code: c.code, learners: c.learners.length })),
      courses: data.courses,
      draft: { ...emptyDraft },
      language: input.user.language,
    };
  },
  initial: "entry",
  states: {
    entry: { always: [{ guard: "allowed", target: "home" }, { target: "denied" }] },
    denied: { entry: "onlyTeachers", always: "leaving" },
    home: {
      entry: "showHome",
      on: {
        "user.choice": [
          { guard: "pickedClass", target: "openClass" },
          { guard: { type: "picked", params: { id: "teach.new" } }, target: "name", actions: "startDraft" },
          { guard: { type: "picked", params: { id: "nav.menu" } }, target: "leaving" },
        ],
        "nav.back": "leaving",
      },
    },
    name: {
      entry: "askName",
      on: {
        "user.text": [
          { guard: "nameOk", target: "city", actions: "setName" },
          { actions: ["notUnderstood", "askName"] },
        ],
        "user.choice": { guard: { type: "picked", params: { id: "teach.cancel" } }, target: "home" },
        "nav.back": "home",
      },
    },
    city: {
      entry: "askCity",
      on: { "user.choice": { guard: "cityPicked", target: "languages", actions: "setCity" }, "nav.back": "name" },
    },
    languages: {
      entry: "askLanguages",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "langs.mine" } }, target: "courses", actions: "onlyMine" },
          { guard: "languagesDone", target: "courses" },
          { guard: "languagePicked", target: "languages", reenter: true, actions: "addLanguage" },
        ],
        "nav.back": "city",
      },
    },
    courses: {
      entry: "askCourses",
      on: {
        "user.choice": [
          { guard: "coursesDone", target: "capacity" },
          { guard: "coursePicked", target: "courses", reenter: true, actions: "addCourse" },
        ],
        "nav.back": "languages",
      },
    },
    capacity: {
      entry: "askCapacity",
      on: {
        "user.text": [
          { guard: "capacityOk", target: "confirm", actions: "setCapacity" },
          { actions: ["notUnderstood", "askCapacity"] },
        ],
        "user.choice": [
          { guard: { type: "picked", params: { id: "cap.none" } }, target: "confirm" },
          { guard: { type: "picked", params: { id: "teach.cancel" } }, target: "home" },
        ],
        "nav.back": "courses",
      },
    },
    confirm: {
      entry: "showDraft",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "teach.create" } }, target: "created", actions: "create" },
          { guard: { type: "picked", params: { id: "teach.cancel" } }, target: "home" },
        ],
        "nav.back": "capacity",
      },
    },
    // Started again, so the list shows the new class.
    created: { type: "final", output: { next: "teaching" } },
    openClass: {
      type: "final",
      output: ({ event }): FlowOutput => ({
        next: "teachingClass",
        params: { class: choiceAfter(event as FlowEvent, "class.") ?? "", show: "progress" },
      }),
    },
    leaving: { type: "final", output: { next: "menu" } },
  },
});

/**
 * The "My classes" flow; shown to people who are teachers or admins right now. A class's name is
 * taken as typed, even one such as "Hello Leipzig".
 */
export const teachingFlow: FlowDefinition = {
  id: "teaching",
  version: 1,
  machine,
  takesFreeText: true,
  menu: { order: 6, label: msg("teaching.menuEntry"), visible: (facts) => (facts.isTeacher ?? 0) > 0 },
};
