/**
 * The cities Lotse serves from the start, with the time zone a user there gets
 * by default. "other" is for anyone elsewhere; they pick a time zone in settings.
 */

export interface City {
  id: string;
  /** The city's name in its own country, as signs and letters show it. */
  name: string;
  /** ISO 3166-1 alpha-2: decides which voluntary-return information a person sees. */
  country: string;
  /** ISO 3166-2 (a German federal state, a Swedish county ...): return counselling is organised by it in places. */
  region: string;
  timeZone: string;
  /** The centre, for "near me" when a person would rather not share their location. */
  centre: { lat: number; lon: number };
}

/** The seven starter cities in onboarding order. */
export const cities: readonly City[] = [
  {
    id: "mainz",
    name: "Mainz",
    country: "DE",
    region: "DE-RP",
    timeZone: "Europe/Berlin",
    centre: { lat: 49.9993, lon: 8.2736 },
  },
  {
    id: "leipzig",
    name: "Leipzig",
    country: "DE",
    region: "DE-SN",
    timeZone: "Europe/Berlin",
    centre: { lat: 51.3406, lon: 12.3747 },
  },
  {
    id: "lund",
    name: "Lund",
    country: "SE",
    region: "SE-M",
    timeZone: "Europe/Stockholm",
    centre: { lat: 55.7058, lon: 13.1932 },
  },
  {
    id: "palermo",
    name: "Palermo",
    country: "IT",
    region: "IT-82",
    timeZone: "Europe/Rome",
    centre: { lat: 38.1157, lon: 13.3615 },
  },
  {
    id: "trikala",
    name: "Trikala",
    country: "GR",
    region: "GR-E",
    timeZone: "Europe/Athens",
    centre: { lat: 39.5556, lon: 21.7679 },
  },
  {
    id: "aydin",
    name: "Aydın",
    country: "TR",
    region: "TR-09",
    timeZone: "Europe/Istanbul",
    centre: { lat: 37.8444, lon: 27.8458 },
  },
  {
    id: "sandefjord",
    name: "Sandefjord",
    country: "NO",
    region: "NO-39",
    timeZone: "Europe/Oslo",
    centre: { lat: 59.1311, lon: 10.2167 },
  },
];

/** The id for "somewhere else". */
export const otherCity = "other";

/**
 * The city with this id, if it is one of ours.
 *
 * @example
 * cityById("lund")?.timeZone; // "Europe/Stockholm"
 */
export function cityById(id: string | null): City | undefined {
  return cities.find((c) => c.id === id);
}

/** Lower case, without accents or dotless i, for comparing what staff type with our names. */
function folded(text: string): string {
  return text.trim().toLocaleLowerCase("en").replace(/ı/g, "i").normalize("NFD").replace(/\p{M}/gu, "");
}

/**
 * The city staff mean by what they typed: its id or its name, in any case and with or without
 * accents ("Mainz", "mainz", "Aydin" and "Aydın" all count).
 *
 * @example
 * cityNamed("Mainz")?.id; // "mainz"
 */
export function cityNamed(typed: string | null | undefined): City | undefined {
  if (!typed) return undefined;
  const wanted = folded(typed);
  return cities.find((c) => c.id === wanted || folded(c.name) === wanted);
}

/**
 * Whether `zone` is an IANA time zone this runtime knows.
 *
 * @example
 * isTimeZone("Europe/Kyiv"); // true
 */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
}
