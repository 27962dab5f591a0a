/**
 * The zod schemas of `/api/meetings` (they validate requests and become the OpenAPI document) and the
 * small translations between the API's input and the console's form fields (src/api/meetings.ts).
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ct } from "../console/text.ts";
import { type FieldError, type MeetingFields, onlineCity } from "../meetings/console-input.ts";
import { errorBody } from "./kit.ts";

const texts = z.record(z.string(), z.string()).openapi({
  description: "Text per language code",
  example: { en: "Digital help café", ar: "مقهى المساعدة الرقمية" },
});

const fieldsInput = {
  description: texts.optional(),
  date: z.string().optional().openapi({ description: "Local day in the city's time zone", example: "2026-12-10" }),
  time: z.string().optional().openapi({ description: "Local start, 24-hour clock", example: "18:00" }),
  endTime: z.string().optional().openapi({ description: "Local end the same day", example: "19:30" }),
  minutes: z.number().int().optional().openapi({ description: "Length when no endTime is given (default 60)" }),
  startsAt: z.string().optional().openapi({
    description: "Alternative to date and time: an instant with offset",
    example: "2026-12-10T18:00:00+01:00",
  }),
  endsAt: z.string().optional().openapi({ description: "Alternative to endTime: an instant with offset" }),
  timeZone: z.string().optional().openapi({
    description: "Online meetings only (a city's meeting is in the city's zone); default DEFAULT_TIME_ZONE",
  }),
  place: z.string().nullable().optional().openapi({ example: "Stadtbibliothek, Wilhelm-Leuschner-Platz 10" }),
  onlineUrl: z.string().nullable().optional().openapi({ description: "https link of an online meeting" }),
  mapUrl: z.string().nullable().optional(),
  capacity: z.number().int().nullable().optional().openapi({ description: "Places; null for no limit" }),
  languages: z
    .array(z.string())
    .optional()
    .openapi({ description: "Languages spoken, by name", example: ["Deutsch", "العربية"] }),
};

const cityInput = z
  .string()
  .nullable()
  .openapi({
    description: `A city id (see GET /meetings/reach) or "${onlineCity}" (null too) for everyone`,
    example: "leipzig",
  });

export const meetingInput = z
  .object({
    title: texts,
    city: cityInput,
    ...fieldsInput,
    announce: z
      .boolean()
      .optional()
      .openapi({ description: "Announce it now to news subscribers of the city (all for online); default true" }),
  })
  .openapi("MeetingInput");

export const meetingPatch = z
  .object({
    title: texts.optional(),
    city: cityInput.optional(),
    ...fieldsInput,
    status: z.enum(["cancelled"]).optional().openapi({ description: "Cancel (alone, without other changes)" }),
  })
  .openapi("MeetingPatch");

export const counts = z
  .object({ yes: z.number(), maybe: z.number(), no: z.number(), waiting: z.number(), attended: z.number() })
  .openapi("GuestCounts");

export const meetingSchema = z
  .object({
    id: z.number(),
    title: z.record(z.string(), z.string()),
    description: z.record(z.string(), z.string()),
    startsAt: z.string(),
    endsAt: z.string(),
    local: z.object({ date: z.string(), time: z.string(), endTime: z.string(), timeZone: z.string() }),
    city: z.string().nullable(),
    place: z.string().nullable(),
    mapUrl: z.string().nullable(),
    onlineUrl: z.string().nullable(),
    languages: z.array(z.string()),
    capacity: z.number().nullable(),
    status: z.enum(["planned", "moved", "cancelled"]),
    counts,
    announcementId: z.number().nullable(),
  })
  .openapi("Meeting");

export const guestSchema = z
  .object({
    ref: z.string().openapi({ description: "This guest's reference at this meeting" }),
    label: z
      .string()
      .openapi({ description: "Messenger and the end of the chat id, never the address", example: "telegram …123" }),
    language: z.string().nullable(),
    answer: z.enum(["yes", "maybe", "no"]),
    waiting: z.boolean(),
    waitingPosition: z.number().nullable().openapi({ description: "Place on the waiting list" }),
    attended: z.boolean(),
  })
  .openapi("Guest");

export const idParam = z.object({
  id: z
    .string()
    .regex(/^\d+$/, "a meeting id (a number)")
    .openapi({ param: { name: "id", in: "path" }, example: "12" }),
});

export const notFound = {
  404: { description: "No such meeting", content: { "application/json": { schema: errorBody } } },
};

/**
 * Field errors as the API says them: in English, naming each field and what is allowed. Typed as
 * never (as kit.ts's `invalid`) so any route may return it whatever its declared responses.
 */
export function refused(c: Context, errors: readonly FieldError[]): never {
  return c.json(
    { error: "invalid input", errors: errors.map((e) => ({ field: e.field, message: ct("en", e.key, e.params) })) },
    400,
  ) as never;
}

/** API input as form fields (numbers and nulls as the strings a form would send). */
export function toFields(input: Partial<z.infer<typeof meetingPatch>>): Partial<MeetingFields> {
  const text = (v: string | null | undefined) => (v === undefined ? undefined : (v ?? ""));
  const number = (v: number | null | undefined) => (v === undefined ? undefined : v === null ? "" : String(v));
  const fields: Partial<MeetingFields> = {
    title: input.title,
    description: input.description,
    date: input.date,
    time: input.time,
    endTime: input.endTime,
    minutes: number(input.minutes),
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    city: input.city === null ? onlineCity : input.city,
    timeZone: input.timeZone,
    place: text(input.place),
    onlineUrl: text(input.onlineUrl),
    mapUrl: text(input.mapUrl),
    capacity: number(input.capacity),
    languages: input.languages,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<MeetingFields>;
}
