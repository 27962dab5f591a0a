/**
 * City services and voluntary-return information, one item a file:
 * `content/cities/<city>/<service>.yaml` and `content/return/<item>.yaml`.
 * Facts carry a source link and a last-verified date; anything not confirmed
 * from an official source stays `verified: false`, and the bot then says
 * "please check before you go".
 */
import { z } from "zod";
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

/** A place or office people can go to or call. */
export const service = z
  .object({
    id: itemId,
    version: z.number().int().positive(),
    city: z.enum(["mainz", "leipzig", "lund", "palermo", "trikala", "aydin", "sandefjord"]),
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
    /** Where the facts come from. */
    source: z.url({ protocol: /^https$/ }),
    lastVerified: isoDate,
    /** True only when every fact was confirmed from `source` on `lastVerified`. */
    verified: z.boolean(),
    translations: z.record(languageCode, translationStatus),
  })
  .refine((s) => s.address !== undefined || s.phone !== undefined, {
    message: "a service needs an address or a phone number",
    path: ["address"],
  })
  .refine((s) => s.address === undefined || s.coordinates !== undefined, {
    message: "a service with an address needs coordinates (for the nearest-service search)",
    path: ["coordinates"],
  });

export type Service = z.infer<typeof service>;

/** A page of voluntary-return information (what counselling is, a programme). */
export const returnInfo = z.object({
  id: itemId,
  version: z.number().int().positive(),
  /** Position in the return-information menu; lower first. */
  order: z.number().int().min(0),
  /** A short title for a button or list row (at most 24 characters). */
  title: localizedText,
  /** The text, plain and neutral (at most 1000 characters in every language). */
  body: localizedText,
  /** Official sources for the facts in the body. */
  sources: z.array(z.url({ protocol: /^https$/ })).min(1),
  lastVerified: isoDate,
  verified: z.boolean(),
  translations: z.record(languageCode, translationStatus),
});

export type ReturnInfo = z.infer<typeof returnInfo>;

/** Limits of these texts, in characters, in every language. */
export const serviceLimits = {
  shortName: 24,
  helpsWith: 300,
  hours: 200,
  returnTitle: 24,
  returnBody: 1000,
} as const;
