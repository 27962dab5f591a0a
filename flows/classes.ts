/**
 * A learner's class: joining with the code from the teacher (typed "join K7F2Q", a Telegram deep
 * link, WhatsApp's prefilled message), with what the teacher will see said plainly before the
 * learner agrees, and an optional name for the class; then "My class": the course the class is on,
 * the learner's own progress against it, the next session with an answer, the next lesson, a new
 * name, and leaving the class.
 *
 * Started with `{ start: "join", code }` (a code; without one it asks for it), `{ start: "name",
 * class }` (right after a join: the name question), or nothing ("My class").
 */
import { assign, emit, setup } from "xstate";
import type { ContentPack } from "../src/content/pack.ts";
import {
  type ClassesData,
  classCard,
  type JoinRefusal,
  joinRefusalLines,
  type MyClassView,
  seenAs,
  sessionLines,
} from "./classes-view.ts";
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
  say,
} from "./kit.ts";
import { rsvpAnswerTo, rsvpChoiceId } from "./meetings.ts";

/** The longest name a learner may choose for a class (the repository keeps 40 characters). */
const maxNameLength = 40;

interface ClassesContext {
  data: ClassesData;
  start: string;
  /** The code as typed or linked, for the join effect (the feature reads it again). */
  code: string;
  /** The class shown or just joined. */
  classId: number | null;
  language: string;
  timeZone: string;
}

const answers = ["yes", "maybe", "no"] as const;

const textOf = (event: FlowEvent): string => (event.type === "user.text" ? event.text.replace(/\s+/g, " ").trim() : "");

/** A name a learner typed, or undefined when it is too long to keep whole. */
const nameOf = (event: FlowEvent): string | undefined => {
  const name = textOf(event);
  return name.length > 0 && [...name].length <= maxNameLength ? name : undefined;
};

/**
 * Builds the learner's class flow over a content pack (for course and lesson titles).
 *
 * @example
 * registry.addFlow(createClassesFlow(pack));
 */
export function createClassesFlow(pack: ContentPack): FlowDefinition {
  const current = (context: ClassesContext): MyClassView | undefined =>
    context.data.classes.find((c) => c.id === context.classId);

  const courseTitle = (view: MyClassView) => (view.course ? (pack.course(view.course)?.title ?? null) : null);

  /** The answers to the next session the learner has not given yet ("I will come", "Maybe", "I cannot come"). */
  const sessionChoices = (view: MyClassView | undefined): ReplyChoice[] => {
    const session = view?.session;
    if (!session || session.status === "cancelled") return [];
    return answers
      .filter((a) => a !== session.answer)
      .map((a) => choice(rsvpChoiceId(a, session.id), `classes.session.${a}`));
  };

  /** What the learner can do with a class: continue, answer the session, rename, leave, other classes, menu. */
  const actionChoices = (context: ClassesContext): ReplyChoice[] => {
    const view = current(context);
    if (!view) return [choice("nav.menu", "common.toMenu")];
    const lesson = pack.lesson(view.next ?? "");
    return [
      ...(lesson
        ? [
            {
              id: "class.continue",
              label: msg("classes.actions.continue"),
              description: msg("common.raw", { text: lesson.title }),
              role: "next" as const,
            },
          ]
        : []),
      ...sessionChoices(view),
      choice("class.rename", "classes.actions.rename"),
      choice("class.leave", "classes.actions.leave"),
      ...(context.data.classes.length > 1 ? [choice("class.list", "classes.actions.otherClasses")] : []),
      choice("nav.menu", "common.toMenu"),
    ];
  };

  const welcomeLines = (context: ClassesContext): Line[] => {
    const view = current(context);
    if (!view) return [msg("classes.joined", { name: "" })];
    return [
      msg("classes.joined", { name: view.name }),
      seenAs(view),
      sessionLines(view.session, context.language, context.timeZone),
      msg("classes.findIt", { entry: msg("classes.menuEntry") }),
    ];
  };

  const machine = setup({
    types: flowTypes<ClassesContext>(),
    guards: {
      picked,
      startsWith: ({ context }, params: { start: string }) => context.start === params.start,
      hasCode: ({ context }) => context.data.join !== null,
      joinIs: ({ context }, params: { kind: string }) => context.data.join?.kind === params.kind,
      isMember: ({ context }) => current(context) !== undefined,
      noClasses: ({ context }) => context.data.classes.length === 0,
      oneClass: ({ context }) => context.data.classes.length === 1,
      pickedClass: ({ context, event }) =>
        context.data.classes.some((c) => String(c.id) === choiceAfter(event, "class.id.")),
      answered: ({ context, event }) => rsvpAnswerTo(event, current(context)?.session?.id) !== undefined,
      typedName: ({ event }) => nameOf(event) !== undefined,
      typedTooLong: ({ event }) => textOf(event).length > 0 && nameOf(event) === undefined,
      typedCode: ({ event }) => textOf(event).length > 0,
    },
    actions: {
      // Joining.
      askCode: emit(() => ask([msg("classes.join.askCode")], [choice("nav.menu", "common.toMenu")])),
      askJoin: emit(({ context }) => {
        const name = context.data.join && "name" in context.data.join ? context.data.join.name : "";
        return ask(
          [
            msg("classes.join.title", { name }),
            msg("classes.join.teacherSees"),
            msg("classes.join.teacherNotSees"),
            msg("classes.join.question"),
          ],
          [
            { ...choice("join.yes", "classes.join.yes"), role: "yes" },
            { ...choice("join.no", "classes.join.no"), role: "no" },
          ],
        );
      }),
      join: emit(({ context }) => effect({ kind: "feature.classes.join", data: { code: context.code } })),
      notJoined: emit(() => say(msg("classes.join.notJoined"))),
      refuseJoin: emit(({ context }) => {
        const join = context.data.join;
        const kind: JoinRefusal = join && join.kind !== "open" && join.kind !== "already" ? join.kind : "unknown";
        return say(...joinRefusalLines(kind, join && "name" in join ? join.name : null));
      }),
      sayAlready: emit(({ context }) => {
        const join = context.data.join;
        return say(msg("classes.join.already", { name: join && "name" in join ? join.name : "" }));
      }),
      openPreviewClass: assign(({ context }) => {
        const join = context.data.join;
        return { classId: join && "classId" in join ? join.classId : null };
      }),
      askName: emit(() =>
        ask([msg("classes.name.question")], [{ ...choice("name.skip", "classes.name.skip"), role: "no" }]),
      ),
      welcome: emit(({ context }) =>
        ask(welcomeLines(context), [
          ...(pack.lesson(current(context)?.next ?? "")
            ? [{ ...choice("class.continue", "classes.actions.start"), role: "next" as const }]
            : []),
          ...sessionChoices(current(context)),
          choice("class.show", "classes.menuEntry"),
          choice("nav.menu", "common.toMenu"),
        ]),
      ),
      // My class.
      showList: emit(({ context }) =>
        ask(
          [msg("classes.list.title")],
          [
            ...context.data.classes.map((c) => ({
              id: `class.id.${c.id}`,
              label: msg("common.raw", { text: c.name }),
              description: msg("classes.list.progress", { done: c.done, total: c.total }),
            })),
            choice("nav.menu", "common.toMenu"),
          ],
        ),
      ),
      showNone: emit(() => ask([msg("classes.none")], [choice("nav.menu", "common.toMenu")])),
      pickOnly: assign(({ context }) => ({ classId: context.data.classes[0]?.id ?? null })),
      pickClass: assign(({ event }) => ({ classId: Number(choiceAfter(event, "class.id.")) })),
      showCard: emit(({ context }) => {
        const view = current(context);
        if (!view) return ask([msg("classes.gone")], [choice("nav.menu", "common.toMenu")]);
        return ask(
          [...classCard(view, courseTitle(view), context.language, context.timeZone), msg("classes.actions.question")],
          actionChoices(context),
        );
      }),
      showActions: emit(({ context }) => ask([msg("classes.actions.question")], actionChoices(context))),
      answer: emit(({ context, event }) =>
        effect({
          kind: "feature.meetings.rsvp",
          data: {
            meetingId: current(context)?.session?.id ?? null,
            answer: rsvpAnswerTo(event, current(context)?.session?.id) ?? "no",
          },
        }),
      ),
      rememberAnswer: assign(({ context, event }) => {
        const answer = rsvpAnswerTo(event, current(context)?.session?.id) ?? "no";
        return {
          data: {
            ...context.data,
            classes: context.data.classes.map((c) =>
              c.id === context.classId && c.session ? { ...c, session: { ...c.session, answer, waiting: false } } : c,
            ),
          },
        };
      }),
      askRename: emit(({ context }) => {
        const view = current(context);
        return ask(
          [...(view ? [seenAs(view)] : []), msg("classes.rename.question")],
          [choice("rename.none", "classes.rename.noName"), choice("rename.back", "classes.rename.back")],
        );
      }),
      saveName: emit(({ context, event }) =>
        effect({ kind: "feature.classes.name", data: { classId: context.classId, name: nameOf(event) ?? null } }),
      ),
      clearName: emit(({ context }) =>
        effect({ kind: "feature.classes.name", data: { classId: context.classId, name: null } }),
      ),
      rememberName: assign(({ context, event }) => {
        const name = event.type === "user.text" ? (nameOf(event) ?? null) : null;
        return {
          data: {
            ...context.data,
            classes: context.data.classes.map((c) => (c.id === context.classId ? { ...c, displayName: name } : c)),
          },
        };
      }),
      sayNameSaved: emit(({ context }) => {
        const view = current(context);
        return say(msg("classes.rename.saved"), ...(view ? [seenAs(view)] : []));
      }),
      tooLong: emit(() => say(msg("classes.name.tooLong", { max: maxNameLength }))),
      askLeave: emit(({ context }) =>
        ask(
          [msg("classes.leave.question", { name: current(context)?.name ?? "" }), msg("classes.leave.what")],
          [
            { ...choice("leave.yes", "classes.leave.yes"), role: "yes" },
            { ...choice("leave.no", "classes.leave.no"), role: "no" },
          ],
        ),
      ),
      leave: emit(({ context }) => effect({ kind: "feature.classes.leave", data: { classId: context.classId } })),
      stayed: emit(() => say(msg("classes.leave.stayed"))),
      forget: assign(({ context }) => ({
        data: { ...context.data, classes: context.data.classes.filter((c) => c.id !== context.classId) },
        classId: null,
      })),
    },
  }).createMachine({
    id: "classes",
    output: exitOutput,
    context: ({ input }) => ({
      data: (input.data ?? { join: null, classes: [] }) as ClassesData,
      start: input.params.start ?? "",
      code: input.params.code ?? "",
      classId: input.params.class ? Number(input.params.class) : null,
      language: input.user.language,
      timeZone: input.user.timeZone,
    }),
    initial: "entry",
    states: {
      entry: {
        always: [
          { guard: { type: "startsWith", params: { start: "join" } }, target: "joining" },
          { guard: { type: "startsWith", params: { start: "name" } }, target: "afterJoin" },
          { guard: "noClasses", target: "none" },
          { guard: "isMember", target: "card" },
          { guard: "oneClass", target: "card", actions: "pickOnly" },
          { target: "list" },
        ],
      },
      // Joining: the code's class, what the teacher sees, yes or no.
      joining: {
        always: [
          { guard: { type: "joinIs", params: { kind: "open" } }, target: "asking" },
          {
            guard: { type: "joinIs", params: { kind: "already" } },
            target: "card",
            actions: ["sayAlready", "openPreviewClass"],
          },
          { guard: "hasCode", target: "leaving", actions: "refuseJoin" },
          { target: "code" },
        ],
      },
      code: {
        entry: "askCode",
        on: {
          "user.text": { guard: "typedCode", target: "codeTyped" },
          "user.choice": { guard: { type: "picked", params: { id: "nav.menu" } }, target: "leaving" },
          "nav.back": "leaving",
        },
      },
      // The code is looked up when the flow starts again with it.
      codeTyped: {
        type: "final",
        output: ({ event }) => ({ next: "classes", params: { start: "join", code: textOf(event) } }),
      },
      asking: {
        entry: "askJoin",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "join.yes" } }, target: "joined", actions: "join" },
            { guard: { type: "picked", params: { id: "join.no" } }, target: "leaving", actions: "notJoined" },
          ],
          "nav.back": { target: "leaving", actions: "notJoined" },
        },
      },
      // Started again after the join effect, so the name question reads the membership as stored: a
      // code that stopped working since the question has had its answer from the effect instead.
      joined: {
        type: "final",
        output: ({ context }) => {
          const join = context.data.join;
          return {
            next: "classes",
            params: { start: "name", class: String(join && "classId" in join ? join.classId : "") },
          };
        },
      },
      afterJoin: { always: [{ guard: "isMember", target: "naming" }, { target: "leaving" }] },
      naming: {
        entry: "askName",
        on: {
          "user.text": [
            { guard: "typedName", target: "welcome", actions: ["saveName", "rememberName"] },
            { guard: "typedTooLong", target: "naming", reenter: true, actions: "tooLong" },
          ],
          "user.choice": { guard: { type: "picked", params: { id: "name.skip" } }, target: "welcome" },
          "nav.back": "welcome",
        },
      },
      welcome: {
        entry: "welcome",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "class.continue" } }, target: "lesson" },
            { guard: { type: "picked", params: { id: "class.show" } }, target: "card" },
            { guard: "answered", target: "actions", actions: ["answer", "rememberAnswer"] },
            { guard: { type: "picked", params: { id: "nav.menu" } }, target: "leaving" },
          ],
          "nav.back": "leaving",
        },
      },
      // My class.
      none: {
        entry: "showNone",
        on: {
          "user.choice": { guard: { type: "picked", params: { id: "nav.menu" } }, target: "leaving" },
          "nav.back": "leaving",
        },
      },
      list: {
        entry: "showList",
        on: {
          "user.choice": [
            { guard: "pickedClass", target: "card", actions: "pickClass" },
            { guard: { type: "picked", params: { id: "nav.menu" } }, target: "leaving" },
          ],
          "nav.back": "leaving",
        },
      },
      card: {
        entry: "showCard",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "class.continue" } }, target: "lesson" },
            { guard: "answered", target: "actions", actions: ["answer", "rememberAnswer"] },
            { guard: { type: "picked", params: { id: "class.rename" } }, target: "renaming" },
            { guard: { type: "picked", params: { id: "class.leave" } }, target: "leavingClass" },
            { guard: { type: "picked", params: { id: "class.list" } }, target: "list" },
            { guard: { type: "picked", params: { id: "nav.menu" } }, target: "leaving" },
          ],
          "nav.back": [{ guard: "oneClass", target: "leaving" }, { target: "list" }],
        },
      },
      actions: {
        entry: "showActions",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "class.continue" } }, target: "lesson" },
            { guard: "answered", target: "actions", reenter: true, actions: ["answer", "rememberAnswer"] },
            { guard: { type: "picked", params: { id: "class.rename" } }, target: "renaming" },
            { guard: { type: "picked", params: { id: "class.leave" } }, target: "leavingClass" },
            { guard: { type: "picked", params: { id: "class.list" } }, target: "list" },
            { guard: { type: "picked", params: { id: "nav.menu" } }, target: "leaving" },
          ],
          "nav.back": "card",
        },
      },
      renaming: {
        entry: "askRename",
        on: {
          "user.text": [
            { guard: "typedName", target: "actions", actions: ["saveName", "rememberName", "sayNameSaved"] },
            { guard: "typedTooLong", target: "renaming", reenter: true, actions: "tooLong" },
          ],
          "user.choice": [
            {
              guard: { type: "picked", params: { id: "rename.none" } },
              target: "actions",
              actions: ["clearName", "rememberName", "sayNameSaved"],
            },
            { guard: { type: "picked", params: { id: "rename.back" } }, target: "actions" },
          ],
          "nav.back": "actions",
        },
      },
      leavingClass: {
        entry: "askLeave",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "leave.yes" } }, target: "leaving", actions: ["leave", "forget"] },
            { guard: { type: "picked", params: { id: "leave.no" } }, target: "actions", actions: "stayed" },
          ],
          "nav.back": { target: "actions", actions: "stayed" },
        },
      },
      lesson: {
        type: "final",
        output: ({ context }) => ({ next: "lessons", params: { lesson: current(context)?.next ?? "" } }),
      },
      leaving: { type: "final", output: { next: "menu" } },
    },
  });

  return {
    id: "classes",
    // 2: answer buttons name their session (rsvp.yes.12).
    version: 2,
    machine,
    menu: {
      order: 9,
      label: (facts) => msg((facts.learnerClasses ?? 0) > 1 ? "classes.menuEntryMany" : "classes.menuEntry"),
      visible: (facts) => (facts.learnerClasses ?? 0) > 0,
    },
  };
}
