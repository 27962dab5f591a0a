/**
 * Finding services: by typed words in any language (tolerant of small typos,
 * German compounds and the Arabic article), and by distance from a shared
 * location. Pure functions over the content pack. German compounds people
 * type often (Kinderarzt, Zahnarzt) are listed as category words.
 */
import type { Service } from "../content/services-schema.ts";
import { wordsOf } from "../engine/normalize.ts";
import { defaultSearchWords, type SearchWords } from "./search-words.ts";
import { type Term, TermIndex, wordMatch } from "./term-index.ts";

/** A service with how well it matched or how far it is. */
export interface Found {
  service: Service;
  score: number;
  /** Metres from the shared location, when searching by location. */
  distance?: number;
}

/** Strips the Arabic article and its prefixed prepositions from long words (الطبيب -> طبيب). */
function stem(word: string): string {
  const stripped = word.replace(/^(وال|بال|فال|كال|لل|ال)/, "");
  return stripped.length >= 3 && stripped !== word ? stripped : word;
}

function termsOf(service: Service, words: SearchWords): Term[] {
  const terms: Term[] = [];
  const add = (text: string, weight: number) => {
    for (const word of wordsOf(text)) terms.push({ word: stem(word), weight });
  };
  // A category's words fit all its services alike; a service's own keywords say which one is meant
  // ("ambulance" is Sandefjord's 113, though police 112 and fire 110 are emergencies too).
  for (const word of words.categories[service.category]) add(word, 2.5);
  // A phrase ("my child fell") weighs less per word than a keyword of one word: "child" alone must
  // not bring up the emergency numbers for "school for my child".
  for (const words of Object.values(service.keywords))
    for (const word of words) add(word, wordsOf(word).length > 1 ? 1.5 : 3);
  // Someone typing "113" means the service with that number, not the ones whose texts mention it.
  if (service.phone) add(service.phone.replace(/\s+/g, ""), 3);
  add(service.name, 2);
  for (const text of Object.values(service.shortName)) add(text, 2);
  for (const text of Object.values(service.helpsWith)) add(text, 1);
  return terms;
}

/** The service index of a city, built once per service list, city and word lists (search runs on every free question). */
const indexes = new WeakMap<readonly Service[], Map<string, { words: SearchWords; index: TermIndex<Service> }>>();

function cityIndex(services: readonly Service[], city: string, words: SearchWords): TermIndex<Service> {
  let byCity = indexes.get(services);
  if (byCity === undefined) {
    byCity = new Map();
    indexes.set(services, byCity);
  }
  const cached = byCity.get(city);
  if (cached && cached.words === words) return cached.index;
  const index = new TermIndex(
    services.filter((s) => s.city === city).map((service) => ({ item: service, terms: termsOf(service, words) })),
  );
  byCity.set(city, { words, index });
  return index;
}

/**
 * The words of a query that carry meaning: normalised, Arabic articles
 * stripped, stop words of every language dropped.
 *
 * @example
 * queryWords("where is a doctor?", words); // ["doctor"]
 */
export function queryWords(query: string, words: SearchWords = defaultSearchWords()): string[] {
  const typed = wordsOf(query);
  // Accents are dropped for matching, but not for stop words: Turkish "iş" (work) is not English "is".
  const exact = query
    .toLocaleLowerCase()
    .normalize("NFC")
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter(Boolean);
  const sameTokens = exact.length === typed.length;
  return typed
    .filter((w, i) => !(words.stopWords.has(w) && (!sameTokens || words.exactStopWords.has(exact[i] ?? ""))))
    .map(stem)
    .filter((w) => w.length >= 2);
}

/**
 * How well typed words match weighted terms: for each word its best match.
 *
 * @example
 * scoreTerms(["doctor"], [{ word: "doctor", weight: 3 }]); // 3
 */
export function scoreTerms(typed: readonly string[], terms: readonly Term[]): number {
  let sum = 0;
  for (const word of typed) {
    let best = 0;
    for (const term of terms) best = Math.max(best, wordMatch(word, term.word) * term.weight);
    sum += best;
  }
  return sum;
}

/**
 * Weighted terms of texts, for scoring other things than services (lessons, return pages).
 *
 * @example
 * termsOfTexts([["Strong passwords", 2]]);
 */
export function termsOfTexts(texts: readonly (readonly [string, number])[]): Term[] {
  return texts.flatMap(([text, weight]) => wordsOf(text).map((word) => ({ word: stem(word), weight })));
}

/**
 * Services of one city matching typed words, best first.
 *
 * @example
 * searchServices(services, "leipzig", "Arzt")[0]?.service.category; // "health"
 */
export function searchServices(
  services: readonly Service[],
  city: string,
  query: string,
  words: SearchWords = defaultSearchWords(),
): Found[] {
  const typed = queryWords(query, words);
  if (typed.length === 0) return [];
  const found: Found[] = cityIndex(services, city, words)
    .score(typed)
    .filter((f) => f.score > 0)
    .map(({ item, score }) => ({ service: item, score }));
  const best = Math.max(0, ...found.map((f) => f.score));
  // Keep the clearly relevant ones: a stray match in a description should not bury the answer.
  return found
    .filter((f) => f.score >= best * 0.5)
    .sort(
      (a, b) =>
        b.score - a.score ||
        Number(b.service.verified) - Number(a.service.verified) ||
        a.service.name.localeCompare(b.service.name),
    );
}

/** The least score of an answer: a category word, keyword or name matched, not a stray word of a description. */
export const answerScore = 2;

/**
 * Metres between two points on the earth (haversine).
 *
 * @example
 * distanceMetres({ lat: 51.34, lon: 12.37 }, { lat: 51.35, lon: 12.38 }); // about 1,300
 */
export function distanceMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/**
 * Services of a city with an address, nearest first. With a category, the
 * ones of that category without an office to visit (phone lines, online
 * services) follow, so a search never comes back empty when help exists.
 *
 * @example
 * nearestServices(services, "lund", { lat: 55.7047, lon: 13.191 }, "work");
 */
export function nearestServices(
  services: readonly Service[],
  city: string,
  from: { lat: number; lon: number },
  category?: string,
): Found[] {
  const candidates = services.filter((s) => s.city === city && (!category || s.category === category));
  const located = candidates
    .filter((s) => s.coordinates)
    .map((service) => ({ service, score: 0, distance: distanceMetres(from, service.coordinates ?? from) }))
    .sort((a, b) => a.distance - b.distance);
  const remote = category ? candidates.filter((s) => !s.coordinates).map((service) => ({ service, score: 0 })) : [];
  return [...located, ...remote];
}

/**
 * A distance as people say it: "350 m", "1.2 km", "14 km".
 *
 * @example
 * formatDistance(1234); // "1.2 km"
 */
export function formatDistance(metres: number): string {
  if (metres < 1000) return `${Math.max(10, Math.round(metres / 10) * 10)} m`;
  if (metres < 10_000) return `${(metres / 1000).toFixed(1)} km`;
  return `${Math.round(metres / 1000)} km`;
}
