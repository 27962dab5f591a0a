/**
 * A course certificate: offered when a person finishes a course (every lesson's quiz passed) and from
 * their progress. It asks the name to print (kept only for certificates, deletable with "delete my
 * data"), shows it back for a yes, and the certificate feature (src/certificates/feature.ts) issues and
 * sends it: a PDF and a link to its public verification page. Asked again, it sends the same one.
 */
import { assign, emit, setup } from "xstate";
import {
  ask,
  choice,
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

/** What the certificate flow reads when it starts (src/certificates/feature.ts). */
export interface CertificateData {
  /** The course's title in every language, or absent when there is no such course. */
  courseTitle?: Readonly<Record<string, string>>;
  /** Lessons of the course done, and how many it has. */
  done: number;
  total: number;
  /** The id of the certificate already issued for this course, if any. */
  issued?: string;
  /** The name on the person's last certificate, offered again. */
  lastName?: string;
  /** The team withdrew this course's certificate and no new one may be issued: the person asks them. */
  blocked?: boolean;
}

interface CertificateContext {
  course: string;
  data: CertificateData;
  name: string;
}

/**
 * Letters of the scripts the certificate's fonts hold (Latin with its accents, Cyrillic, Greek, Arabic
 * with Persian, Pashto and Urdu letters, Ethiopic, Bengali), their combining marks, spaces, joiners and a
 * name's punctuation.
 */
const printableScripts =
  /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Ethiopic}\p{Script=Bengali}\p{M}\s'’.,\-\u200C\u200D]+$/u;

/** Shortest and longest name accepted, in characters. */
const nameLength = { min: 2, max: 80 } as const;

/**
 * The name as it will be printed, or undefined when it cannot be a name: too short or long, no letter,
 * or a link. Spaces are folded; letters of every script count.
 *
 * @example
 * printableName("  Mariam   Ahmadi "); // "Mariam Ahmadi"
 * printableName("https://x.y"); // undefined
 */
export function printableName(typed: string): string | undefined {
  const name = typed.replace(/\s+/g, " ").trim();
  const length = [...name].length;
  if (length < nameLength.min || length > nameLength.max) return undefined;
  if (!/\p{L}/u.test(name) || /https?:|www\.|[<>{}@]/i.test(name)) return undefined;
  // Only scripts the certificate's fonts can draw (a Georgian or Chinese name, or an emoji, would print
  // as empty boxes): the person is asked for another spelling.
  if (!printableScripts.test(name)) return undefined;
  return name;
}

const typedName = (event: FlowEvent) => (event.type === "user.text" ? printableName(event.text) : undefined);

const afterChoices: ReplyChoice[] = [choice("nav.lessons", "learning.allLessons"), choice("nav.menu", "common.toMenu")];

const certificateMachine = setup({
  types: flowTypes<CertificateContext>(),
  guards: {
    picked,
    noCourse: ({ context }) => !context.data.courseTitle,
    notFinished: ({ context }) => context.data.total === 0 || context.data.done < context.data.total,
    issued: ({ context }) => Boolean(context.data.issued),
    blocked: ({ context }) => context.data.blocked === true,
    validName: ({ event }) => typedName(event) !== undefined,
    typedSomething: ({ event }) => event.type === "user.text",
  },
  actions: {
    sayNotFinished: emit(({ context }) =>
      say(
        msg("certificates.notYet", {
          course: context.data.courseTitle ?? { en: context.course },
          done: context.data.done,
          total: context.data.total,
        }),
      ),
    ),
    sayBlocked: emit(({ context }) =>
      say(msg("certificates.blocked", { course: context.data.courseTitle ?? { en: context.course } })),
    ),
    askName: emit(({ context }) =>
      ask(
        [
          msg("certificates.intro", { course: context.data.courseTitle ?? { en: context.course } }),
          msg("certificates.nameQuestion"),
          msg("certificates.nameKept"),
        ],
        [
          ...(context.data.lastName
            ? [
                {
                  id: "certificate.lastName",
                  label: msg("certificates.useName", { name: context.data.lastName }),
                  // "ok" or "بلی" to the name offered takes it (typed, it would have become the name).
                  role: "yes" as const,
                },
              ]
            : []),
          choice("nav.menu", "certificates.notNow"),
        ],
      ),
    ),
    sayInvalidName: emit(() => say(msg("certificates.nameInvalid", { min: nameLength.min, max: nameLength.max }))),
    takeTyped: assign(({ event }) => ({ name: typedName(event) ?? "" })),
    takeLast: assign(({ context }) => ({ name: context.data.lastName ?? "" })),
    askConfirm: emit(({ context }) =>
      ask(
        [msg("certificates.confirm", { name: context.name })],
        [
          { ...choice("certificate.yes", "certificates.confirmYes"), role: "yes" as const },
          { ...choice("certificate.change", "certificates.confirmChange"), role: "no" as const },
        ],
      ),
    ),
    issue: emit(({ context }) =>
      effect({ kind: "feature.certificates.issue", data: { course: context.course, name: context.name } }),
    ),
    resend: emit(({ context }) => effect({ kind: "feature.certificates.send", data: { id: context.data.issued } })),
    offerNext: emit(() => ask([msg("certificates.whatNext")], afterChoices)),
  },
}).createMachine({
  id: "certificate",
  output: exitOutput,
  context: ({ input }) => ({
    course: input.params.course ?? "",
    data: (input.data as CertificateData | undefined) ?? { done: 0, total: 0 },
    name: "",
  }),
  initial: "entry",
  states: {
    entry: {
      always: [
        { guard: "noCourse", target: "toMenu" },
        { guard: "notFinished", actions: "sayNotFinished", target: "toLessons" },
        { guard: "issued", actions: "resend", target: "sent" },
        { guard: "blocked", actions: "sayBlocked", target: "toLessons" },
        { target: "askingName" },
      ],
    },
    askingName: {
      entry: "askName",
      on: {
        "user.choice": [
          {
            guard: { type: "picked", params: { id: "certificate.lastName" } },
            actions: "takeLast",
            target: "confirming",
          },
          { guard: { type: "picked", params: { id: "nav.menu" } }, target: "toMenu" },
        ],
        "user.text": [
          { guard: "validName", actions: "takeTyped", target: "confirming" },
          { guard: "typedSomething", actions: "sayInvalidName" },
        ],
        "nav.back": "toMenu",
      },
    },
    confirming: {
      entry: "askConfirm",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "certificate.yes" } }, actions: "issue", target: "sent" },
          { guard: { type: "picked", params: { id: "certificate.change" } }, target: "askingName" },
        ],
        // Typed words are not a new name here: "ok" or "تمام" meant yes, and would have been printed.
        "nav.back": "askingName",
      },
    },
    sent: {
      entry: "offerNext",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "nav.lessons" } }, target: "toLessons" },
          { guard: { type: "picked", params: { id: "nav.menu" } }, target: "toMenu" },
        ],
        "nav.back": "toMenu",
      },
    },
    toLessons: {
      type: "final",
      output: ({ context }) => ({ next: "lessons", params: context.course ? { course: context.course } : {} }),
    },
    toMenu: { type: "final", output: { next: "menu" } },
  },
});

/** The certificate flow; start it with `{ course }`. */
export const certificateFlow: FlowDefinition = {
  id: "certificate",
  version: 1,
  machine: certificateMachine,
  // Not free text: at the confirmation "ok", "yes" or "بله" must pick yes (as everyday words do), not
  // become the printed name; a name typed at the question still reaches the flow.
};
