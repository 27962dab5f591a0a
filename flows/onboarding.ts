/**
 * Onboarding: language, then city, then consent with a plain explanation of
 * what is stored, then a short welcome. Nothing but the language is stored
 * before consent; a refusal stores only the refusal itself.
 */
import { assign, emit, setup } from "xstate";
import { cities, cityById, otherCity } from "../src/domain/cities.ts";
import { languages } from "../src/domain/languages.ts";
import {
  ask,
  choice,
  choiceAfter,
  effect,
  exitOutput,
  type FlowDefinition,
  flowTypes,
  msg,
  picked,
  type ReplyChoice,
  say,
} from "./kit.ts";

interface OnboardingContext {
  city: string | null;
  timeZone: string;
  /** A deep link the person came with, opened once they are set up. */
  link: string | null;
}

const languageChoices: ReplyChoice[] = languages.map((l) => ({
  id: `lang.${l.code}`,
  label: msg("common.raw", { text: l.nativeName }),
}));

const cityChoices: ReplyChoice[] = [
  ...cities.map((c) => ({ id: `city.${c.id}`, label: msg(`cities.${c.id}`) })),
  choice(`city.${otherCity}`, "cities.other"),
];

const consentChoices: ReplyChoice[] = [
  choice("consent.yes", "onboarding.consent.yes"),
  choice("consent.no", "onboarding.consent.no"),
  choice("consent.more", "onboarding.consent.more"),
];

export const onboardingMachine = setup({
  types: flowTypes<OnboardingContext>(),
  guards: {
    pickedLanguage: ({ event }) => choiceAfter(event, "lang.") !== undefined,
    pickedCity: ({ event }) => choiceAfter(event, "city.") !== undefined,
    picked,
  },
  actions: {
    askLanguage: emit(() => ask([msg("onboarding.hello"), msg("onboarding.language")], languageChoices)),
    saveLanguage: emit(({ event }) =>
      effect({ kind: "user.update", patch: { language: choiceAfter(event, "lang.") } }),
    ),
    askCity: emit(() => ask([msg("onboarding.city")], cityChoices)),
    rememberCity: assign(({ event, context }) => {
      const id = choiceAfter(event, "city.") ?? otherCity;
      return { city: id, timeZone: cityById(id)?.timeZone ?? context.timeZone };
    }),
    askConsent: emit(() => ask([msg("onboarding.consent.what"), msg("onboarding.consent.question")], consentChoices)),
    explainMore: emit(() =>
      ask([msg("onboarding.consent.details"), msg("onboarding.consent.question")], consentChoices),
    ),
    saveConsent: emit(({ context }) =>
      effect({
        kind: "user.update",
        patch: { consent: "given", city: context.city, timeZone: context.timeZone },
      }),
    ),
    welcome: emit(({ context }) =>
      say(msg(context.city === otherCity ? "onboarding.welcomeOther" : "onboarding.welcome")),
    ),
    askNews: emit(() =>
      ask(
        [msg("onboarding.news.question")],
        [choice("news.yes", "onboarding.news.yes"), choice("news.no", "onboarding.news.no")],
      ),
    ),
    wantNews: emit(() => effect({ kind: "feature.news.set", data: { wanted: true } })),
    saveRefusal: emit(() => effect({ kind: "user.update", patch: { consent: "refused", city: null } })),
  },
}).createMachine({
  id: "onboarding",
  output: exitOutput,
  context: ({ input }) => ({ city: null, timeZone: input.user.timeZone, link: input.params.link ?? null }),
  initial: "language",
  states: {
    language: {
      entry: "askLanguage",
      on: {
        "user.choice": { guard: "pickedLanguage", actions: "saveLanguage", target: "city" },
        "nav.back": { target: "language", reenter: true },
      },
    },
    city: {
      entry: "askCity",
      on: {
        "user.choice": { guard: "pickedCity", actions: "rememberCity", target: "consent" },
        "nav.back": "language",
      },
    },
    consent: {
      entry: "askConsent",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "consent.yes" } }, target: "news", actions: "saveConsent" },
          { guard: { type: "picked", params: { id: "consent.no" } }, target: "refused" },
          { guard: { type: "picked", params: { id: "consent.more" } }, actions: "explainMore" },
        ],
        "nav.back": "city",
      },
    },
    news: {
      entry: "askNews",
      on: {
        "user.choice": [
          { guard: { type: "picked", params: { id: "news.yes" } }, target: "welcomed", actions: "wantNews" },
          { guard: { type: "picked", params: { id: "news.no" } }, target: "welcomed" },
        ],
        "nav.back": "consent",
      },
    },
    welcomed: {
      type: "final",
      entry: ["welcome"],
      output: ({ context }) => ({ next: "menu", params: context.link ? { link: context.link } : {} }),
    },
    refused: { type: "final", entry: "saveRefusal", output: { next: "refused" } },
  },
});

/** The onboarding flow: the first thing every new address sees. */
export const onboardingFlow: FlowDefinition = { id: "onboarding", version: 1, machine: onboardingMachine };
