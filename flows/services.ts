/**
 * "Where do I go for ...?": browse the city's services by category, type what
 * you are looking for in any language, or share your location for the nearest
 * ones. Emergency numbers are always the first choice. Facts that nobody has
 * confirmed yet come with "please check before you go".
 */
import { assign, emit, setup } from "xstate";
import type { ContentPack } from "../src/content/pack.ts";
import { serviceCategories } from "../src/content/services-schema.ts";
import { cities, cityById } from "../src/domain/cities.ts";
import { type DirectoryService, isClosed } from "../src/services/overrides.ts";
import {
  answerScore,
  distanceMetres,
  formatDistance,
  nearestServices,
  searchServices,
} from "../src/services/search.ts";
import { defaultSearchWords, type SearchWords } from "../src/services/search-words.ts";
import {
  ask,
  choice,
  choiceAfter,
  exitOutput,
  type FlowDefinition,
  flowTypes,
  type Line,
  msg,
  picked,
  type ReplyChoice,
  say,
} from "./kit.ts";
import { serviceCard } from "./service-card.ts";

interface ServicesContext {
  city: string | null;
  /** The category browsed, if any (a shared location then searches in it). */
  category: string | null;
  results: { id: string; distance?: number }[];
  /** Whether the results are sorted by distance from a shared location. */
  located: boolean;
  /** What the results answer, to title them. */
  heading: { key: string; params: Record<string, string> };
  serviceId: string | null;
  /** A location shared outside this flow, answered at start and then forgotten. */
  sharedAt: { lat: number; lon: number } | null;
}

const maxResults = 8;

/** A point from start parameters (`lat`, `lon`), when both are numbers on the earth. */
function sharedPoint(params: Readonly<Record<string, string>>): { lat: number; lon: number } | null {
  const lat = Number(params.lat);
  const lon = Number(params.lon);
  if (!params.lat || !params.lon || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : null;
}

/** Farther than this from every service of a city, a shared location is "not in one of our cities". */
const farAwayMetres = 60_000;

/**
 * Builds the services flow over the content pack's directory.
 *
 * @example
 * registry.addFlow(createServicesFlow(pack));
 */
export function createServicesFlow(pack: ContentPack, words: SearchWords = defaultSearchWords()): FlowDefinition {
  const inCity = (city: string | null) => pack.services.filter((s) => s.city === city);

  const homeChoices = (context: ServicesContext): ReplyChoice[] => {
    const present = new Set(inCity(context.city).map((s) => s.category));
    // "Near me" right after emergencies: on WhatsApp a list shows 9 rows before "More".
    return [
      choice("svc.emergency", "services.emergency"),
      choice("svc.nearMe", "services.nearMe"),
      ...serviceCategories
        .filter((c) => c !== "emergency" && present.has(c))
        .map((c) => choice(`cat.${c}`, `services.categories.${c}`)),
    ];
  };

  const resultChoices = (context: ServicesContext): ReplyChoice[] => [
    ...context.results.map((r) => {
      const service = pack.service(r.id) as DirectoryService;
      const where = isClosed(service)
        ? msg("services.closedRow")
        : r.distance !== undefined
          ? msg("common.raw", { text: formatDistance(r.distance) })
          : context.located && !service.coordinates
            ? msg("services.remote")
            : msg(`services.categories.${service.category}`);
      return { id: `svc.${r.id}`, label: msg("common.raw", { text: service.shortName }), description: where };
    }),
    choice("svc.home", "services.searchAgain"),
  ];

  /** The services of the same city and category as one service, that one first. */
  const openedCategory = (id: string | undefined): { id: string }[] => {
    const service = pack.service(id ?? "");
    if (!service) return [];
    const same = inCity(service.city).filter((s) => s.category === service.category && s.id !== service.id);
    return [service, ...same].slice(0, maxResults).map((s) => ({ id: s.id }));
  };

  const cityName = (context: ServicesContext) => (cityById(context.city) ? msg(`cities.${context.city}`) : "");

  /** The nearest of our cities to a point, from its services' coordinates, and how far it is. */
  const nearestCity = (from: { lat: number; lon: number }) => {
    let best: { city: string; distance: number } | undefined;
    for (const s of pack.services) {
      // An office in another town that serves a city (Trikala's asylum office is in Thessaloniki) says nothing of where the city is.
      if (!s.coordinates || s.remote) continue;
      const distance = distanceMetres(from, s.coordinates);
      if (!best || distance < best.distance) best = { city: s.city, distance };
    }
    return best;
  };

  const machine = setup({
    types: flowTypes<ServicesContext>(),
    guards: {
      picked,
      hasCity: ({ context }) => inCity(context.city).length > 0,
      pickedCity: ({ event }) => inCity(choiceAfter(event, "city.") ?? null).length > 0,
      pickedCategory: ({ event }) =>
        (serviceCategories as readonly string[]).includes(choiceAfter(event, "cat.") ?? ""),
      pickedService: ({ event }) => pack.service(choiceAfter(event, "svc.") ?? "") !== undefined,
      foundByText: ({ context, event }) =>
        event.type === "user.text" &&
        searchServices(pack.allServices, context.city ?? "", event.text, words).some((f) => f.score >= answerScore),
      typed: ({ event }) => event.type === "user.text",
      openedOnService: ({ context }) => context.serviceId !== null && pack.service(context.serviceId) !== undefined,
      /** A location far from every city we know: say so rather than list services 400 km away. */
      farAway: ({ context, event }) => {
        const from = event.type === "user.location" ? { lat: event.latitude, lon: event.longitude } : context.sharedAt;
        return from !== null && (nearestCity(from)?.distance ?? Number.POSITIVE_INFINITY) > farAwayMetres;
      },
      sharedElsewhere: ({ context }) => context.sharedAt !== null,
      sharedLocation: ({ event }) => event.type === "user.location",
    },
    actions: {
      askCity: emit(() =>
        ask(
          [msg("services.pickCity")],
          cities.map((c) => ({ id: `city.${c.id}`, label: msg(`cities.${c.id}`) })),
        ),
      ),
      chooseCity: assign(({ event }) => ({ city: choiceAfter(event, "city.") ?? null })),
      showHome: emit(({ context }) =>
        ask([msg("services.title", { city: cityName(context) }), msg("services.howTo")], homeChoices(context)),
      ),
      showEmergency: emit(({ context }) => {
        const lines: Line[] = inCity(context.city)
          .filter((s) => s.category === "emergency")
          .map((s) => msg("services.emergencyLine", { name: s.name, text: s.helpsWith }));
        // The city's own numbers; the list for every country only where the city has none.
        return ask(
          [msg("services.emergencyTitle"), ...(lines.length > 0 ? lines : [msg("emergency.numbers")])],
          homeChoices(context),
        );
      }),
      byCategory: assign(({ context, event }) => {
        const category = choiceAfter(event, "cat.") ?? "";
        return {
          category,
          results: inCity(context.city)
            .filter((s) => s.category === category)
            .sort((a, b) => Number(b.verified) - Number(a.verified) || a.name.localeCompare(b.name))
            .slice(0, maxResults)
            .map((s) => ({ id: s.id })),
          heading: { key: `services.categories.${category}`, params: {} },
          located: false,
        };
      }),
      byText: assign(({ context, event }) => {
        const text = event.type === "user.text" ? event.text : "";
        return {
          category: null,
          // Closed places too, last: someone looking for the library learns it is closed, not "nothing found".
          results: searchServices(pack.allServices, context.city ?? "", text, words)
            .filter((f) => f.score >= answerScore)
            .sort((a, b) => Number(isClosed(a.service)) - Number(isClosed(b.service)))
            .slice(0, maxResults)
            .map((f) => ({ id: f.service.id })),
          heading: { key: "services.resultsFor", params: { query: text.trim().slice(0, 40) } },
          located: false,
        };
      }),
      byLocation: assign(({ context, event }) => {
        const from = event.type === "user.location" ? { lat: event.latitude, lon: event.longitude } : context.sharedAt;
        if (!from) return {};
        // Someone visiting another of our cities (or with no city set) gets the services where they are.
        const here = nearestCity(from);
        const city = here && here.distance <= farAwayMetres ? here.city : (context.city ?? "");
        return {
          city,
          results: nearestServices(pack.services, city, from, context.category ?? undefined)
            .slice(0, maxResults)
            .map((f) => ({ id: f.service.id, ...(f.distance !== undefined ? { distance: f.distance } : {}) })),
          heading: { key: "services.nearest", params: {} },
          located: true,
          sharedAt: null,
        };
      }),
      clearCategory: assign(() => ({ category: null })),
      askLocation: emit(() => ({
        type: "bot.reply",
        reply: { kind: "location_request", lines: [msg("services.shareLocation")] },
      })),
      nothingFound: emit(({ context, event }) =>
        ask(
          [
            msg("services.nothingFound", { query: event.type === "user.text" ? event.text.trim().slice(0, 40) : "" }),
            msg("engine.emergencyHint"),
            msg("services.howTo"),
          ],
          homeChoices(context),
        ),
      ),
      showResults: emit(({ context }) => {
        const heading = msg(context.heading.key, context.heading.params);
        if (context.results.length === 0) {
          return ask([heading, msg("services.noneWithAddress")], [choice("svc.home", "services.searchAgain")]);
        }
        const lines: Line[] = [heading];
        if (context.category && !context.located) lines.push(msg("services.nearestTip"));
        const reply = {
          kind: "choices" as const,
          lines,
          choices: resultChoices(context),
          asList: true,
          ephemeral: context.located,
        };
        return { type: "bot.reply", reply };
      }),
      // The location is not kept: distances (which would reveal it) leave the saved state once shown.
      forgetDistances: assign(({ context }) => ({ results: context.results.map((r) => ({ id: r.id })) })),
      chooseService: assign(({ event }) => ({ serviceId: choiceAfter(event, "svc.") ?? null })),
      showService: emit(({ context }) => {
        const service = pack.service(context.serviceId ?? "");
        const card = service ? serviceCard(service) : [msg("services.gone")];
        return ask(card, [
          choice("svc.results", "services.backToResults"),
          choice("svc.home", "services.otherServices"),
        ]);
      }),
      noCityNote: emit(() => say(msg("services.noCity"))),
      farAwayNote: emit(() => say(msg("services.farAway"))),
      forgetSharedPoint: assign(() => ({ sharedAt: null })),
    },
  }).createMachine({
    id: "services",
    output: exitOutput,
    context: ({ input }) => ({
      city: input.user.city,
      category: null,
      // Opened on one service (a search answer, a link): "back" leads to that service's category.
      results: openedCategory(input.params.service),
      located: false,
      heading: {
        key: pack.service(input.params.service ?? "")
          ? `services.categories.${pack.service(input.params.service ?? "")?.category}`
          : "services.nearest",
        params: {},
      },
      serviceId: input.params.service ?? null,
      sharedAt: sharedPoint(input.params),
    }),
    initial: "entry",
    states: {
      entry: {
        always: [
          { guard: "openedOnService", target: "service" },
          { guard: "farAway", target: "city", actions: ["forgetSharedPoint", "farAwayNote"] },
          { guard: "sharedElsewhere", target: "results", actions: "byLocation" },
          { guard: "hasCity", target: "home" },
          { target: "city", actions: "noCityNote" },
        ],
      },
      city: {
        entry: "askCity",
        on: {
          "user.choice": { guard: "pickedCity", actions: "chooseCity", target: "home" },
          "nav.back": "leaving",
        },
      },
      home: {
        entry: "showHome",
        on: {
          "user.choice": [
            { guard: { type: "picked", params: { id: "svc.emergency" } }, actions: "showEmergency" },
            { guard: { type: "picked", params: { id: "svc.nearMe" } }, target: "locating", actions: "clearCategory" },
            { guard: "pickedCategory", target: "results", actions: "byCategory" },
          ],
          "user.text": [
            { guard: "foundByText", target: "results", actions: "byText" },
            { guard: "typed", actions: "nothingFound" },
          ],
          "user.location": [
            { guard: "farAway", target: "city", actions: "farAwayNote" },
            { target: "results", actions: ["clearCategory", "byLocation"] },
          ],
          "nav.back": "leaving",
        },
      },
      locating: {
        entry: "askLocation",
        on: {
          "user.location": [
            { guard: "farAway", target: "city", actions: "farAwayNote" },
            { target: "results", actions: "byLocation" },
          ],
          "nav.back": "home",
        },
      },
      results: {
        entry: ["showResults", "forgetDistances"],
        on: {
          "nav.repeat": { target: "results", reenter: true },
          "user.choice": [
            { guard: "pickedService", target: "service", actions: "chooseService" },
            { guard: { type: "picked", params: { id: "svc.home" } }, target: "home" },
          ],
          "user.location": [
            { guard: "farAway", target: "city", actions: "farAwayNote" },
            { target: "results", reenter: true, actions: "byLocation" },
          ],
          "user.text": { guard: "foundByText", target: "results", reenter: true, actions: "byText" },
          "nav.back": "home",
        },
      },
      service: {
        entry: "showService",
        on: {
          // Asked again: the card as staff left it (a phone changed, "closed"), not as first shown.
          "nav.repeat": { target: "service", reenter: true },
          "user.choice": [
            { guard: { type: "picked", params: { id: "svc.results" } }, target: "results" },
            { guard: { type: "picked", params: { id: "svc.home" } }, target: "home" },
          ],
          "nav.back": "results",
        },
      },
      leaving: { type: "final", output: { next: "menu" } },
    },
  });

  return {
    id: "services",
    version: 2,
    machine,
    asksAgainFresh: true,
    menu: { order: 40, label: msg("services.menuEntry") },
  };
}
