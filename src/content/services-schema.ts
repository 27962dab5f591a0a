/**
 * City services and voluntary-return information, one item a file:
 * `content/cities/<city>/<service>.yaml` and `content/return/<country>/<item>.yaml`.
 * Facts carry their official sources; `lastVerified` is the day someone read
 * those sources (absent when nobody has), and `verified` is true only when
 * every fact was confirmed there. Anything else makes the bot say "please
 * check before you go", and `npm run content:stale` lists it for staff.
 */
import { z } from "zod";
import { cities } from "../domain/cities.ts";
import { itemId, languageCode, localizedText, translationStatus } from "./schema.ts";

/** Service categories, in the order the services menu shows them. */
export const serviceCategories = [
  "emergency",
  "health",
  "residence",
  "asylum",
  "work",
  "language",
  "education",
  "housing",
  "legal",
  "counselling",
  "women-children",
  "digital",
] as const;

export type ServiceCategory = (typeof serviceCategories)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2026-11-01");

/** Official pages the facts come from. */
const officialSources = z.array(z.url({ protocol: /^https$/ })).min(1, "at least one official source");

/** The countries whose return information the pack has, and "other" for everywhere else. */
export const returnCountries = ["DE", "SE", "IT", "GR", "TR", "NO", "other"] as const;
export type ReturnCountry = (typeof returnCountries)[number];

/** What was checked against which source, for the next person who checks it. */
const verificationNote = z.string().trim().min(1).max(1000).optional();

/** `verified` means someone read the sources on `lastVerified`: it cannot stand without that date. */
function verifiedHasDate(item: { verified: boolean; lastVerified?: string | undefined }): boolean {
  return !item.verified || item.lastVerified !== undefined;
}
const verifiedNeedsDate = {
  message: "an item marked verified needs the date its sources were read (lastVerified)",
  path: ["lastVerified"],
};

/** A place or office people can go to or call. */
export const service = z
  .object({
    id: itemId,
    version: z.number().int().positive(),
    city: z.enum(cities.map((c) => c.id) as [string, ...string[]]),
    category: z.enum(serviceCategories),
    /** The name as written on signs and letters, in the local language. */
    name: z.string().trim().min(2).max(100),
    /** A short name per language for a list row or button: at most 24 characters (WhatsApp's list row). */
    shortName: z.union([
      z
        .string()
        .trim()
        .min(2)
        .transform((en) => ({ en })),
      localizedText,
    ]),
    /** What it helps with, in plain words. */
    helpsWith: localizedText,
    /** Street address, or absent for a phone line. */
    address: z.string().trim().max(200).optional(),
    coordinates: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
    /** In international form, such as "+49 341 123456", or a short number such as "112". */
    phone: z
      .string()
      .regex(/^\+?[0-9 ]{3,20}$/, "digits and spaces, optionally starting with +")
      .optional(),
    website: z.url({ protocol: /^https?$/ }).optional(),
    /** Opening hours in words, or absent when `byAppointment`. */
    hours: localizedText.optional(),
    byAppointment: z.boolean().default(false),
    /** Languages spoken there, as language codes. */
    languages: z.array(languageCode).default([]),
    cost: z.enum(["free", "fee", "varies"]),
    /** Search words and synonyms per language (doctor, Arzt, طبيب ...), beside the category's own. */
    keywords: z.record(languageCode, z.array(z.string().min(2))).default({}),
    /**
     * Not in the city: a national line, an online service, or an office in another town that serves
     * it. Only such a service may have coordinates far from the city's centre.
     */
    remote: z.boolean().default(false),
    /** Where the facts come from. */
    sources: officialSources,
    /** The day the sources were read; absent when nobody has checked them yet. */
    lastVerified: isoDate.optional(),
    /** True only when every fact was confirmed from `sources` on `lastVerified`. */
    verified: z.boolean(),
    verification: verificationNote,
    translations: z.record(languageCode, translationStatus),
  })
  .refine(verifiedHasDate, verifiedNeedsDate)
  // An online service (a registration portal, a clinic that answers through its website) has a
  // website only: a made-up address would put a pin in the city centre.
  .refine((s) => s.address !== undefined || s.phone !== undefined || s.website !== undefined, {
    message: "a service needs an address, a phone number or a website",
    path: ["address"],
  })
  .refine((s) => s.address === undefined || s.coordinates !== undefined, {
    message: "a service with an address needs coordinates (for the nearest-service search)",
    path: ["coordinates"],
  });

export type Service = z.infer<typeof service>;

/** A page of voluntary-return information (what counselling is, a programme) for one country. */
export const returnInfo = z
  .object({
    id: itemId,
    version: z.number().int().positive(),
    /** The country of residence the page is about; a person's city decides which pages they see. */
    country: z.enum(returnCountries),
    /**
     * Where a page is for part of a country only (counselling in one German federal state), the
     * ISO 3166-2 codes of those parts; people in other parts of the country do not see it.
     */
    regions: z
      .array(z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, "an ISO 3166-2 code such as DE-RP"))
      .min(1)
      .optional(),
    /** Position in the return-information menu; lower first. */
    order: z.number().int().min(0),
    /** A short title for a button or list row (at most 24 characters). */
    title: localizedText,
    /** The text, plain and neutral (at most 1000 characters in every language). */
    body: localizedText,
    /** Official sources for the facts in the body. */
    sources: officialSources,
    lastVerified: isoDate.optional(),
    verified: z.boolean(),
    verification: verificationNote,
    translations: z.record(languageCode, translationStatus),
  })
  .refine(verifiedHasDate, verifiedNeedsDate);

export type ReturnInfo = z.infer<typeof returnInfo>;

/** Limits of these texts, in characters, in every language. */
export const serviceLimits = {
  shortName: 24,
  helpsWith: 300,
  hours: 200,
  returnTitle: 24,
  returnBody: 1000,
} as const;
