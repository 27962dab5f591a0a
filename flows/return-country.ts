/**
 * Where a person lives, for the return pages: the country their city is in (or "other"), the
 * region for pages about one German federal state, and country names in every language we speak.
 */
import { type ReturnCountry, type ReturnInfo, returnCountries } from "../src/content/services-schema.ts";
import { cityById } from "../src/domain/cities.ts";
import { dateLocale, languages } from "../src/domain/languages.ts";
import { type Msg, msg } from "./kit.ts";

/** Where the person lives, as the return flow keeps it. */
export interface Residence {
  country: ReturnCountry | null;
  region: string | null;
}

const countryNames = new Map<string, Msg>();

/** A country's name in every language we speak ("Italien", "إيطاليا"), from the runtime's CLDR data. */
export function countryName(code: string): Msg {
  const known = countryNames.get(code);
  if (known) return known;
  const names: Record<string, string> = {};
  for (const { code: language } of languages) {
    try {
      const name = new Intl.DisplayNames([dateLocale(language)], { type: "region", fallback: "none" }).of(code);
      if (name) names[language] = name;
    } catch {
      // A runtime without this language's data shows the English name.
    }
  }
  const name = msg("common.raw", { text: { en: code, ...names } });
  countryNames.set(code, name);
  return name;
}

/** The countries a person elsewhere can pick: those with pages of their own, in the order of our cities. */
export const pickableCountries = returnCountries.filter((c) => c !== "other");

/** The country whose pages a person in this city sees: its own when we have pages for it, else "other". */
export function countryOfCity(cityId: string | null): ReturnCountry | null {
  const city = cityById(cityId);
  if (!city) return null;
  return (returnCountries as readonly string[]).includes(city.country) ? (city.country as ReturnCountry) : "other";
}

/** Whether a page is for where this person lives (its country, and its region where it names regions). */
export function isFor(page: ReturnInfo, context: Residence): boolean {
  if (page.country !== context.country) return false;
  return page.regions === undefined || (context.region !== null && page.regions.includes(context.region));
}
