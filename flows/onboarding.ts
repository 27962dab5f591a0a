/**
 * Onboarding: language, then city, then consent with a plain explanation of
 * what is stored, then a short welcome. Nothing but the language is stored
 * before consent; a refusal stores only the refusal itself.
 */
import { and, assign, emit, setup } from "xstate";
import { cities, cityById, otherCity } from "../src/domain/cities.ts";
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
import { languageChoices, needsSecondLanguage, secondLanguageChoices } from "./language-choices.ts";

interface OnboardingContext {
  /** The language guessed from the platform or the first message's script, offered first. */
  suggested: string | null;
  city: string | null;
  timeZone: string;
  /** A deep link the person came with, opened once they are set up. */
  link: string | null;
  /**
   * Where it starts: at the language, or at the city for someone whose language is already stored
   * (they said no to storing data, then "I agree now": asked their language again, in a list now led
   * by English, a Pashto speaker tapped 1 as before and got English).
   */
  startAt?: "language" | "city";
}

const cityChoices: ReplyChoice[] = [
  ...cities.map((c) => ({ id: `city.${c.id}`, label: msg(`cities.${c.id}`) })),
  choice(`city.${otherCity}`, "cities.other"),
];

const consentChoices: ReplyChoice[] = [
  { ...choice("consent.yes", "onboarding.consent.yes"), role: "yes", consent: true },
  { ...choice("consent.no", "onboarding.consent.no"), role: "no" },
  choice("consent.more", "onboarding.consent.more"),
];

export const onboardingMachine = setup({
  types: flowTypes<OnboardingContext>(),
  guards: {
    pickedLanguage: ({ event }) => choiceAfter(event, "lang.") !== undefined,
    needsSecondLanguage: ({ event }) => needsSecondLanguage(choiceAfter(event, "lang.")),
    pickedSecondLanguage: ({ event }) => choiceAfter(event, "second.") !== undefined,
    pickedCity: ({ event }) => choiceAfter(event, "city.") !== undefined,
    /** They chose "I agree now" after saying no: they were asked to agree, and said so, already. */
    agreedAlready: ({ context }) => context.startAt === "city",
    picked,
  },
  actions: {
    askLanguage: emit(({ context }) => ({
      type: "bot.reply",
      reply: {
        kind: "choices",
        lines: [msg("onboarding.hello"), msg("onboarding.language")],
        choices: languageChoices(context.suggested),
        greets: true,
      },
    })),
    saveLanguage: emit(({ event }) =>
      effect({ kind: "user.update", patch: { language: choiceAfter(event, "lang."), secondLanguage: null } }),
    ),
    askSecondLanguage: emit(() => ask([msg("onboarding.secondLanguage")], secondLanguageChoices())),
    saveSecondLanguage: emit(({ event }) =>
      effect({ kind: "user.update", patch: { secondLanguage: choiceAfter(event, "second.") } }),
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
        [
          { ...choice("news.yes", "onboarding.news.yes"), role: "yes" },
          { ...choice("news.no", "onboarding.news.no"), role: "no" },
        ],
      ),
    ),
    wantNews: emit(() => effect({ kind: "feature.news.set", data: { wanted: true } })),
    saveRefusal: emit(() => effect({ kind: "user.update", patch: { consent: "refused", city: null } })),
  },
}).createMachine({
  id: "onboarding",
  output: exitOutput,
  context: ({ input }) => ({
    suggested: input.params.suggest ?? null,
    city: null,
    timeZone: input.user.timeZone,
    link: input.params.link ?? null,
    startAt: input.params.start === "city" ? "city" : "language",
  }),
  initial: "starting",
  states: {
    starting: {
      always: [{ guard: "agreedAlready", target: "city" }, { target: "language" }],
    },
    language: {
      entry: "askLanguage",
      on: {
        "user.choice": [
          { guard: "needsSecondLanguage", actions: "saveLanguage", target: "secondLanguage" },
          { guard: "pickedLanguage", actions: "saveLanguage", target: "city" },
        ],
        "nav.back": { target: "language", reenter: true },
      },
    },
    secondLanguage: {
      entry: "askSecondLanguage",
      on: {
        "user.choice": { guard: "pickedSecondLanguage", actions: "saveSecondLanguage", target: "city" },
        "nav.back": "language",
      },
    },
    city: {
      entry: "askCity",
      on: {
        "user.choice": [
          // Asked to agree a second time right after "I agree now" felt like going in a circle (web chat
          // trial in Pashto): they had read what is stored before they said no.
          { guard: and(["pickedCity", "agreedAlready"]), actions: ["rememberCity", "saveConsent"], target: "news" },
          { guard: "pickedCity", actions: "rememberCity", target: "consent" },
        ],
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
      // The menu then points to the placement check first (flows/menu.ts), unless a link opens something.
      output: ({ context }) => ({
        next: "menu",
        params: context.link ? { link: context.link } : { after: "onboarding" },
      }),
    },
    refused: { type: "final", entry: "saveRefusal", output: { next: "refused" } },
  },
});

/** The onboarding flow: the first thing every new address sees. */
export const onboardingFlow: FlowDefinition = {
  id: "onboarding",
  version: 2,
  machine: onboardingMachine,
  sharesSteps: true,
};
