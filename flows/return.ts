/**
 * Voluntary return: plain, neutral information (what counselling is, the
 * programmes, where to find a counselling centre) and, only if the person
 * asks, a referral to a counsellor, after a separate consent that says
 * exactly what is shared and who sees it. The person can withdraw the
 * referral at any time, which deletes it. No reason is asked for.
 */
import { assign, emit, setup } from "xstate";
import type { ContentPack } from "../src/content/pack.ts";
import { cityById } from "../src/domain/cities.ts";
import { languageByCode } from "../src/domain/languages.ts";
import {
  ask,
  choice,
  choiceAfter,
  effect,
  exitOutput,
  type FlowDefinition,
  flowTypes,
  type Line,
  type Msg,
  msg,
  picked,
  type ReplyChoice,
  say,
} from "./kit.ts";

/** The person's open referral, as stored (read when the flow starts). */
export interface ReturnData {
  referral: { createdAt: string; message: string | null } | null;
}

interface ReturnContext {
  page: string | null;
  referral: ReturnData["referral"];
  language: string;
  /** The person's city as shared, in the reader's language. */
  city: Msg | null;
}

/** A message for the counsellor is short; longer ones are asked to be shortened, never cut. */
export const maxReferralMessage = 300;

/**
 * Builds the return-information flow over the content pack.
 *
 * @example
 * registry.addFlow(createReturnFlow(pack));
 */
export function createReturnFlow(pack: ContentPack): FlowDefinition {
  const homeChoices = (context: ReturnContext): ReplyChoice[] => [
    ...pack.returnInfo.map((p) => ({ id: `page.${p.id}`, label: msg("common.raw", { text: p.title }) })),
    context.referral ? choice("ret.myRequest", "return.myRequest") : choice("ret.contact", "return.contact"),
  ];

  const pageLines = (context: ReturnContext): Line[] => {
    const page = pack.returnInfo.find((p) => p.id === context.page);
    if (!page) return [msg("return.gone")];
    const trust = page.verified ? "return.checked" : "return.unchecked";
    return [
      msg("common.raw", { text: page.title }),
      msg("common.raw", { text: page.body }),
      [msg("return.sources", { urls: page.sources.join(" ") }), msg(trust, { date: page.lastVerified })],
    ];
  };

  const machine = setup({
    types: flowTypes<ReturnContext>(),
    guards: {
      picked,
      pickedPage: ({ event }) => pack.returnInfo.some((p) => p.id === choiceAfter(event, "page.")),
      hasReferral: ({ context }) => context.referral !== null,
      shortMessage: ({ event }) => event.type === "user.text" && [...event.text.trim()].length <= maxReferralMessage,
      longMessage: ({ event }) => event.type === "user.text" && [...event.text.trim()].length > maxReferralMessage,
    },
    actions: {
      showHome: emit(({ context }) => ask([msg("return.intro")], homeChoices(context))),
      choosePage: assign(({ event }) => ({ page: choiceAfter(event, "page.") ?? null })),
      showPage: emit(({ context }) =>
        ask(pageLines(context), [
          context.referral ? choice("ret.myRequest", "return.myRequest") : choice("ret.contact", "return.contact"),
          choice("ret.home", "return.otherTopics"),
        ]),
      ),
      explainSharing: emit(({ context }) =>
        ask(
          [
            msg("return.share.what"),
            [
              msg("return.share.address"),
              msg("return.share.language", { language: context.language }),
              msg("return.share.city", { city: context.city ?? "-" }),
              msg("return.share.message"),
            ],
            msg("return.share.who"),
            msg("return.share.question"),
          ],
          [choice("ret.consent", "return.share.yes"), choice("ret.refuse", "return.share.no")],
        ),
      ),
      askMessage: emit(() =>
        ask([msg("return.askMessage", { max: maxReferralMessage })], [choice("ret.noMessage", "return.noMessage")]),
      ),
      tooLong: emit(({ event }) =>
        ask(
          [
            msg("return.tooLong", {
              max: maxReferralMessage,
              length: event.type === "user.text" ? [...event.text.trim()].length : 0,
            }),
          ],
          [choice("ret.noMessage", "return.noMessage")],
        ),
      ),
      refer: emit(({ event }) =>
        effect({
          kind: "feature.return.refer",
          data: { message: event.type === "user.text" ? event.text.trim() : null },
        }),
      ),
      rememberReferral: assign(({ event }) => ({
        referral: { createdAt: "", message: event.type === "user.text" ? event.text.trim() : null },
      })),
      confirmSent: emit(() => say(msg("return.sent"))),
      nothingShared: emit(() => say(msg("return.nothingShared"))),
      showRequest: emit(({ context }) =>
        ask(
          [
            msg("return.request.title"),
            [
              msg("return.share.address"),
              msg("return.share.language", { language: context.language }),
              msg("return.share.city", { city: context.city ?? "-" }),
              context.referral?.message
                ? msg("return.request.message", { text: context.referral.message })
                : msg("return.request.noMessage"),
            ],
            msg("return.request.question"),
          ],
          [choice("ret.withdraw", "return.request.withdraw"), choice("ret.keep", "return.request.keep")],
        ),
      ),
      withdraw: emit(() => effect({ kind: "feature.return.withdraw", data: {} })),
      forgetReferral: assign(() => ({ referral: null })),
      confirmWithdrawn: emit(() => say(msg("return.withdrawn"))),
    },
  }).createMachine({
    id: "return",
    output: exitOutput,
    context: ({ input }) => ({
      page: pack.returnInfo.some((p) => p.id === input.params.page) ? (input.params.page ?? null) : null,
      referral: ((input.data ?? { referral: null }) as ReturnData).referral,
      // Shown in the consent text exactly as they will be shared.
      language: languageByCode(input.user.language)?.nativeName ?? input.user.language,
      city: cityById(input.user.city) ? msg(`cities.${input.user.city}`) : null,
    }),
    initial: "entry",
    states: {
      entry: { always: [{ guard: ({ context }) => context.page !== null, target: "page" }, { target: "home" }] },
      home: {
        entry: "showHome",
        on: {
          "user.choice": [
            { guard: "pickedPage", target: "page", actions: "choosePage" },
            { guard: { type: "picked", params: { id: "ret.contact" } }, target: "sharing" },
            { guard: { type: "picked", params: { id: "ret.myRequest" } }, target: "request" },
          ],
          "nav.back": "leaving",
        },
      },
      page: {
        entry: "showPage",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "ret.contact" } }, target: "sharing" },
            { guard: { type: "picked", params: { id: "ret.myRequest" } }, target: "request" },
            { guard: { type: "picked", params: { id: "ret.home" } }, target: "home" },
          ],
          "nav.back": "home",
        },
      },
      sharing: {
        entry: "explainSharing",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "ret.consent" } }, target: "message" },
            { guard: { type: "picked", params: { id: "ret.refuse" } }, target: "home", actions: "nothingShared" },
          ],
          "nav.back": { target: "home", actions: "nothingShared" },
        },
      },
      message: {
        entry: "askMessage",
        on: {
          "user.choice": {
            guard: { type: "picked", params: { id: "ret.noMessage" } },
            target: "home",
            actions: ["refer", "rememberReferral", "confirmSent"],
          },
          "user.text": [
            { guard: "shortMessage", target: "home", actions: ["refer", "rememberReferral", "confirmSent"] },
            { guard: "longMessage", actions: "tooLong" },
          ],
          "nav.back": { target: "home", actions: "nothingShared" },
        },
      },
      request: {
        entry: "showRequest",
        on: {
          "user.choice": [
            {
              guard: { type: "picked", params: { id: "ret.withdraw" } },
              target: "home",
              actions: ["withdraw", "forgetReferral", "confirmWithdrawn"],
            },
            { guard: { type: "picked", params: { id: "ret.keep" } }, target: "home" },
          ],
          "nav.back": "home",
        },
      },
      leaving: { type: "final", output: { next: "menu" } },
    },
  });

  return { id: "return", version: 2, machine, menu: { order: 50, label: msg("return.menuEntry") } };
}
