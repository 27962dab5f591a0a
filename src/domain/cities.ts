/**
 * The cities Lotse serves from the start, with the time zone a user there gets
 * by default. "other" is for anyone elsewhere; they pick a time zone in settings.
 */

export interface City {
  id: string;
  /** The city's name in its own country, as signs and letters show it. */
  name: string;
  country: string;
  timeZone: string;
}

/** The seven starter cities in onboarding order. */
export const cities: readonly City[] = [
  { id: "mainz", name: "Mainz", country: "DE", timeZone: "Europe/Berlin" },
  { id: "leipzig", name: "Leipzig", country: "DE", timeZone: "Europe/Berlin" },
  { id: "lund", name: "Lund", country: "SE", timeZone: "Europe/Stockholm" },
  { id: "palermo", name: "Palermo", country: "IT", timeZone: "Europe/Rome" },
  { id: "trikala", name: "Trikala", country: "GR", timeZone: "Europe/Athens" },
  { id: "aydin", name: "Aydın", country: "TR", timeZone: "Europe/Istanbul" },
  { id: "sandefjord", name: "Sandefjord", country: "NO", timeZone: "Europe/Oslo" },
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
