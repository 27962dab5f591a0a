/**
 * Voluntary return: plain, neutral information (what counselling is, the
 * programmes, where to find a counselling centre) and, only if the person
 * asks and a counsellor exists, a referral to a counsellor of the
 * organisation (ORG_NAME), after a separate consent that says exactly what the
 * counsellor sees: language, city, the name the person chooses and their
 * messages, never their phone number or chat id unless they choose to share
 * it. "My request" shows its status and whether a conversation is open. The
 * person can withdraw the referral at any time, which deletes it. No reason
 * is asked for.
 */
import { assign, emit, setup } from "xstate";
import type { ContentPack } from "../src/content/pack.ts";
import { type ReturnCountry, type ReturnInfo, returnCountries } from "../src/content/services-schema.ts";
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
import { countryName, countryOfCity, isFor, pickableCountries } from "./return-country.ts";

/** The person's referral as stored, for "My request". */
export interface ReturnReferral {
  id: number;
  createdAt: string;
  message: string | null;
  status: "new" | "contacted" | "closed";
  conversationOpen: boolean;
  displayName: string | null;
  shareContact: boolean;
}

/** What the flow reads when it starts: the person's referral, and whether anyone could answer one. */
export interface ReturnData {
  referral: ReturnReferral | null;
  /** Whether anybody has the counsellor role now; without one, no referral is offered. */
  counsellors: boolean;
}

interface ReturnContext {
  page: string | null;
  /**
   * The country the person lives in, which decides the pages shown: their city's, or the one they
   * picked when their city is not one of ours (asked each time, never stored).
   */
  country: ReturnCountry | null;
  /** Their city's ISO 3166-2 region, for pages about one German federal state. */
  region: string | null;
  /** Whether the country was picked here (then it can be changed here too). */
  countryPicked: boolean;
  referral: ReturnReferral | null;
  counsellors: boolean;
  language: string;
  /** The person's city as shared, in the reader's language. */
  city: Msg | null;
  /** The request being made: whether the person shares their contact, and the name they chose. */
  shareContact: boolean;
  name: string | null;
}

/** What the flow is built with. */
export interface ReturnOptions {
  /** The organisation whose counsellors see a referral (ORG_NAME), named in the consent. */
  orgName: string;
}

/** A message for the counsellor is short; longer ones are asked to be shortened, never cut. */
export const maxReferralMessage = 300;

/** The name a person chooses for the counsellor to use. */
export const maxReferralName = 40;

const length = (event: { type: string; text?: string }) =>
  event.type === "user.text" ? [...(event.text ?? "").trim()].length : 0;

/**
 * Builds the return-information flow over the content pack.
 *
 * @example
 * registry.addFlow(createReturnFlow(pack, { orgName: "Lotse" }));
 */
export function createReturnFlow(pack: ContentPack, options: ReturnOptions): FlowDefinition {
  const org = options.orgName;
  // The request the person has, else the offer to make one, only while someone could answer it.
  const offer = (context: ReturnContext): ReplyChoice[] =>
    context.referral
      ? [choice("ret.myRequest", "return.myRequest")]
      : context.counsellors
        ? [choice("ret.contact", "return.contact")]
        : [];
  const pagesFor = (context: ReturnContext): ReturnInfo[] => pack.returnInfo.filter((p) => isFor(p, context));
  const homeChoices = (context: ReturnContext): ReplyChoice[] => [
    ...pagesFor(context).map((p) => ({ id: `page.${p.id}`, label: msg("common.raw", { text: p.title }) })),
    ...offer(context),
    ...(context.countryPicked ? [choice("ret.country", "return.changeCountry")] : []),
  ];
  /** "For people who live in Italy": every page says whose situation it describes. */
  const whereLine = (context: ReturnContext): Msg =>
    context.country === null || context.country === "other"
      ? msg("return.forOtherCountries")
      : msg("return.forCountry", { country: countryName(context.country) });

  const pageLines = (context: ReturnContext): Line[] => {
    const page = pagesFor(context).find((p) => p.id === context.page);
    if (!page) return [msg("return.gone")];
    const trust =
      page.lastVerified === undefined
        ? msg("return.neverChecked")
        : msg(page.verified ? "return.checked" : "return.unchecked", { date: page.lastVerified });
    return [
      msg("common.raw", { text: page.title }),
      whereLine(context),
      msg("common.raw", { text: page.body }),
      [msg("return.sources", { urls: page.sources.join(" ") }), trust],
    ];
  };

  const requestLines = (context: ReturnContext): Line[] => {
    const referral = context.referral;
    if (!referral) return [msg("return.gone")];
    return [
      msg("return.request.heading", { id: referral.id }),
      [
        msg(`return.request.status.${referral.status}`),
        msg(referral.conversationOpen ? "return.request.conversationOpen" : "return.request.conversationNone"),
      ],
      msg("return.request.shares"),
      [
        msg("return.share.language", { language: context.language }),
        msg("return.share.city", { city: context.city ?? "-" }),
        referral.displayName
          ? msg("return.request.name", { name: referral.displayName })
          : msg("return.request.noName", { id: referral.id }),
        msg(referral.shareContact ? "return.request.contactShared" : "return.request.contactPrivate"),
        referral.message ? msg("return.request.message", { text: referral.message }) : msg("return.request.noMessage"),
      ],
      msg("return.request.question"),
    ];
  };

  const machine = setup({
    types: flowTypes<ReturnContext>(),
    guards: {
      picked,
      pickedPage: ({ context, event }) => pagesFor(context).some((p) => p.id === choiceAfter(event, "page.")),
      pickedCountry: ({ event }) =>
        (returnCountries as readonly string[]).includes(choiceAfter(event, "country.") ?? ""),
      shortMessage: ({ event }) => length(event) > 0 && length(event) <= maxReferralMessage,
      longMessage: ({ event }) => length(event) > maxReferralMessage,
      shortName: ({ event }) => length(event) > 0 && length(event) <= maxReferralName,
      longName: ({ event }) => length(event) > maxReferralName,
    },
    actions: {
      showHome: emit(({ context }) => ask([msg("return.intro"), whereLine(context)], homeChoices(context))),
      askCountry: emit(() =>
        ask(
          [msg("return.askCountry")],
          [
            ...pickableCountries.map((c) => ({ id: `country.${c}`, label: countryName(c) })),
            choice("country.other", "return.otherCountry"),
          ],
        ),
      ),
      chooseCountry: assign(({ event }) => ({
        country: (choiceAfter(event, "country.") ?? "other") as ReturnCountry,
        region: null,
        countryPicked: true,
      })),
      choosePage: assign(({ event }) => ({ page: choiceAfter(event, "page.") ?? null })),
      showPage: emit(({ context }) =>
        ask(pageLines(context), [...offer(context), choice("ret.home", "return.otherTopics")]),
      ),
      explainSharing: emit(({ context }) =>
        ask(
          [
            msg("return.share.intro", { org }),
            [
              msg("return.share.language", { language: context.language }),
              msg("return.share.city", { city: context.city ?? "-" }),
              msg("return.share.nameLine"),
              msg("return.share.messages"),
            ],
            msg("return.share.private"),
            msg("return.share.whoOrg", { org }),
            msg("return.share.question"),
          ],
          [
            // "yes" picks the private choice: sharing the contact needs its own words or button.
            { ...choice("ret.consent", "return.share.yes"), role: "yes" },
            choice("ret.consentContact", "return.share.yesContact"),
            { ...choice("ret.refuse", "return.share.no"), role: "no" },
          ],
        ),
      ),
      keepContactPrivate: assign(() => ({ shareContact: false })),
      shareContact: assign(() => ({ shareContact: true })),
      askName: emit(() =>
        ask([msg("return.askName", { max: maxReferralName })], [choice("ret.noName", "return.noName")]),
      ),
      nameTooLong: emit(({ event }) =>
        ask(
          [msg("return.nameTooLong", { max: maxReferralName, length: length(event) })],
          [choice("ret.noName", "return.noName")],
        ),
      ),
      rememberName: assign(({ event }) => ({ name: event.type === "user.text" ? event.text.trim() : null })),
      forgetName: assign(() => ({ name: null })),
      askMessage: emit(() =>
        ask([msg("return.askNote", { max: maxReferralMessage })], [choice("ret.noMessage", "return.noMessage")]),
      ),
      tooLong: emit(({ event }) =>
        ask(
          [msg("return.tooLong", { max: maxReferralMessage, length: length(event) })],
          [choice("ret.noMessage", "return.noMessage")],
        ),
      ),
      refer: emit(({ context, event }) =>
        effect({
          kind: "feature.return.refer",
          data: {
            message: event.type === "user.text" ? event.text.trim() : null,
            name: context.name,
            shareContact: context.shareContact,
          },
        }),
      ),
      rememberReferral: assign(({ context, event }) => ({
        // Shown again only as "My request": that restarts the flow, which reads it as stored.
        referral: {
          id: 0,
          createdAt: "",
          message: event.type === "user.text" ? event.text.trim() : null,
          status: "new" as const,
          conversationOpen: false,
          displayName: context.name,
          shareContact: context.shareContact,
        },
      })),
      confirmSent: emit(() => say(msg("return.sentOrg", { org }))),
      nothingShared: emit(() => say(msg("return.nothingShared"))),
      showRequest: emit(({ context }) =>
        ask(requestLines(context), [
          ...(context.referral?.conversationOpen ? [choice("ret.write", "return.request.write")] : []),
          choice("ret.withdraw", "return.request.withdraw"),
          choice("ret.keep", "return.request.keep"),
        ]),
      ),
      withdraw: emit(() => effect({ kind: "feature.return.withdraw", data: {} })),
      forgetReferral: assign(() => ({ referral: null })),
      confirmWithdrawn: emit(() => say(msg("return.withdrawn"))),
    },
  }).createMachine({
    id: "return",
    output: exitOutput,
    context: ({ input }) => {
      const data = (input.data ?? { referral: null, counsellors: false }) as ReturnData;
      const where = { country: countryOfCity(input.user.city), region: cityById(input.user.city)?.region ?? null };
      // A link to a page for another country (or before the country is known) opens the topics instead.
      const linked = pack.returnInfo.find((p) => p.id === input.params.page && isFor(p, where));
      return {
        page: linked?.id ?? null,
        ...where,
        countryPicked: false,
        referral: data.referral,
        counsellors: data.counsellors,
        // Shown in the consent text exactly as they will be shared.
        language: languageByCode(input.user.language)?.nativeName ?? input.user.language,
        city: cityById(input.user.city) ? msg(`cities.${input.user.city}`) : null,
        shareContact: false,
        name: null,
        // "My request" (from the menu or this flow) opens the request itself.
        ...(input.params.start === "request" && data.referral ? { page: "request" } : {}),
      };
    },
    initial: "entry",
    states: {
      entry: {
        always: [
          { guard: ({ context }) => context.page === "request", target: "request" },
          { guard: ({ context }) => context.page !== null, target: "page" },
          { guard: ({ context }) => context.country === null, target: "country" },
          { target: "home" },
        ],
      },
      country: {
        entry: "askCountry",
        on: {
          "user.choice": { guard: "pickedCountry", target: "home", actions: "chooseCountry" },
          "nav.back": "leaving",
        },
      },
      home: {
        entry: "showHome",
        on: {
          "user.choice": [
            { guard: "pickedPage", target: "page", actions: "choosePage" },
            { guard: { type: "picked", params: { id: "ret.country" } }, target: "country" },
            { guard: { type: "picked", params: { id: "ret.contact" } }, target: "sharing" },
            { guard: { type: "picked", params: { id: "ret.myRequest" } }, target: "reopenRequest" },
          ],
          "nav.back": "leaving",
        },
      },
      page: {
        entry: "showPage",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "ret.contact" } }, target: "sharing" },
            { guard: { type: "picked", params: { id: "ret.myRequest" } }, target: "reopenRequest" },
            { guard: { type: "picked", params: { id: "ret.home" } }, target: "home" },
          ],
          "nav.back": "home",
        },
      },
      sharing: {
        entry: "explainSharing",
        on: {
          "user.choice": [
            {
              guard: { type: "picked", params: { id: "ret.consent" } },
              target: "name",
              actions: "keepContactPrivate",
            },
            {
              guard: { type: "picked", params: { id: "ret.consentContact" } },
              target: "name",
              actions: "shareContact",
            },
            { guard: { type: "picked", params: { id: "ret.refuse" } }, target: "home", actions: "nothingShared" },
          ],
          "nav.back": { target: "home", actions: "nothingShared" },
        },
      },
      name: {
        entry: "askName",
        on: {
          "user.choice": {
            guard: { type: "picked", params: { id: "ret.noName" } },
            target: "message",
            actions: "forgetName",
          },
          "user.text": [
            { guard: "shortName", target: "message", actions: "rememberName" },
            { guard: "longName", actions: "nameTooLong" },
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
            { guard: { type: "picked", params: { id: "ret.write" } }, target: "toCounsel" },
            {
              guard: { type: "picked", params: { id: "ret.withdraw" } },
              target: "topics",
              actions: ["withdraw", "forgetReferral", "confirmWithdrawn"],
            },
            { guard: { type: "picked", params: { id: "ret.keep" } }, target: "topics" },
          ],
          "nav.back": "topics",
        },
      },
      // "My request" opens straight at the request: someone elsewhere has not picked a country yet.
      topics: {
        always: [{ guard: ({ context }) => context.country === null, target: "country" }, { target: "home" }],
      },
      // "My request" starts the flow again, so it shows the request as stored now (status, conversation).
      reopenRequest: { type: "final", output: { next: "return", params: { start: "request" } } },
      toCounsel: { type: "final", output: { next: "counsel" } },
      leaving: { type: "final", output: { next: "menu" } },
    },
  });

  return { id: "return", version: 4, machine, menu: { order: 50, label: msg("return.menuEntry") } };
}

/**
 * "My counselling request" in the main menu, shown only to someone with a
 * request (fact `referral`): it opens the request in the return flow, which
 * shows its status and whether a conversation is open.
 *
 * @example
 * registry.addFlow(myRequestFlow);
 */
export const myRequestFlow: FlowDefinition = {
  id: "myRequest",
  version: 1,
  machine: setup({ types: flowTypes<Record<string, never>>() }).createMachine({
    id: "myRequest",
    output: exitOutput,
    context: {},
    initial: "open",
    states: { open: { type: "final", output: { next: "return", params: { start: "request" } } } },
  }),
  menu: {
    order: 51,
    label: msg("return.menuRequest"),
    visible: (facts) => (facts.referral ?? 0) > 0,
  },
};
