/**
 * Privacy: show everything stored about this address, or delete it all after
 * a confirmation. Reached from the menu and by the global words "my data" and
 * "delete my data". Someone with certificates is asked whether those stay valid
 * (kept without the address) or go with the rest.
 */
import { emit, setup } from "xstate";
import {
  ask,
  choice,
  effect,
  exitOutput,
  type FlowDefinition,
  flowTypes,
  msg,
  picked,
  type ReplyChoice,
  say,
} from "./kit.ts";

const pickChoices: ReplyChoice[] = [
  choice("privacy.show", "privacy.menu.show"),
  choice("privacy.delete", "privacy.menu.delete"),
  choice("nav.menu", "common.toMenu"),
];

const confirmChoices: ReplyChoice[] = [
  choice("privacy.confirmDelete", "privacy.confirm.yes"),
  choice("privacy.keep", "privacy.confirm.no"),
];

/** What the privacy flow reads when it starts (src/certificates/feature.ts adds the count). */
export interface PrivacyData {
  certificates?: number;
}

const certificateChoices: ReplyChoice[] = [
  choice("privacy.keepCertificates", "certificates.keepOnDelete.keep"),
  choice("privacy.deleteCertificates", "certificates.keepOnDelete.delete"),
];

const privacyMachine = setup({
  types: flowTypes<{ start: string; certificates: number }>(),
  guards: {
    picked,
    hasCertificates: ({ context }) => context.certificates > 0,
    startsAt: ({ context }, params: { step: string }) => context.start === params.step,
  },
  actions: {
    askWhat: emit(() => ask([msg("privacy.title")], pickChoices)),
    exportData: emit(() => effect({ kind: "privacy.export" })),
    askConfirm: emit(() => ask([msg("privacy.confirm.question")], confirmChoices)),
    kept: emit(() => say(msg("privacy.kept"))),
    erase: emit(() => effect({ kind: "privacy.erase" })),
    askCertificates: emit(({ context }) =>
      ask(
        [
          msg("certificates.keepOnDelete.question", { count: context.certificates }),
          msg("certificates.keepOnDelete.explain"),
        ],
        certificateChoices,
      ),
    ),
    // Before the erasure in the same turn: the rows lose the address, so the erasure leaves them.
    keepCertificates: emit(() => effect({ kind: "feature.certificates.keepOnErase", data: {} })),
    goodbye: emit(() => say(msg("privacy.deleted"))),
  },
}).createMachine({
  id: "privacy",
  output: exitOutput,
  context: ({ input }) => ({
    start: input.params.start ?? "",
    certificates: Number((input.data as PrivacyData | undefined)?.certificates ?? 0),
  }),
  initial: "entry",
  states: {
    entry: {
      always: [
        { guard: { type: "startsAt", params: { step: "export" } }, target: "what", actions: "exportData" },
        { guard: { type: "startsAt", params: { step: "delete" } }, target: "confirm" },
        { target: "what" },
      ],
    },
    what: {
      entry: "askWhat",
      on: {
        "user.choice": [
          {
            guard: { type: "picked", params: { id: "privacy.show" } },
            actions: "exportData",
            target: "what",
            reenter: true,
          },
          { guard: { type: "picked", params: { id: "privacy.delete" } }, target: "confirm" },
          { guard: { type: "picked", params: { id: "nav.menu" } }, target: "done" },
        ],
        "nav.back": "done",
      },
    },
    confirm: {
      entry: "askConfirm",
      on: {
        "user.choice": [
          {
            guard: { type: "picked", params: { id: "privacy.confirmDelete" } },
            // Only someone who has certificates is asked about them.
            target: "certificates",
          },
          { guard: { type: "picked", params: { id: "privacy.keep" } }, actions: "kept", target: "what" },
        ],
        "nav.back": "what",
      },
    },
    // No certificates: straight to the erasure.
    certificates: { always: [{ guard: "hasCertificates", target: "askCertificates" }, { target: "erased" }] },
    askCertificates: {
      entry: "askCertificates",
      on: {
        "user.choice": [
          {
            guard: { type: "picked", params: { id: "privacy.keepCertificates" } },
            actions: "keepCertificates",
            target: "erased",
          },
          { guard: { type: "picked", params: { id: "privacy.deleteCertificates" } }, target: "erased" },
        ],
        "nav.back": "what",
      },
    },
    erased: { type: "final", entry: ["goodbye", "erase"], output: { next: null } },
    done: { type: "final", output: { next: "menu" } },
  },
});

/** The privacy flow: see or delete what is stored. */
export const privacyFlow: FlowDefinition = {
  id: "privacy",
  // 2: the certificates question; a saved confirmation from before would erase certificates unasked.
  version: 2,
  machine: privacyMachine,
  menu: { order: 90, label: msg("privacy.menuEntry") },
};
