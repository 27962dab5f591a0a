/**
 * `/api/services`: the city services as people see them, and staff corrections of them (role staff
 * on every route): a changed phone number, website or opening hours, a closure, a note for people.
 * A correction is stored with who and when (src/services/overrides.ts), written to the audit log in
 * the same transaction, and applied at once in this process; `npm run content:overrides` exports it
 * back into `content/` for review. The console's pages (src/console/services.tsx) use the same
 * reading and actions below, so both refuse the same input with the same words.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../app.ts";
import { audit } from "../console/audit.ts";
import { actor, type StaffSession } from "../console/context.ts";
import { requireRole } from "../console/guard.ts";
import { ct } from "../console/text.ts";
import type { Service } from "../content/services-schema.ts";
import { cities, cityById } from "../domain/cities.ts";
import {
  listServiceOverrides,
  overrideLimits,
  refreshServiceOverrides,
  removeServiceOverride,
  type ServiceOverride,
  saveServiceOverride,
  withOverride,
} from "../services/overrides.ts";
import { type Api, commonErrors, errorBody, invalid, security } from "./kit.ts";

const staffOnly = [requireRole("staff")];
const tags = ["Services"];

/** The fields of a correction, in the order forms and messages name them. */
export const correctionFields = ["phone", "website", "hours", "closed", "note"] as const;
export type CorrectionField = (typeof correctionFields)[number];

/** What staff asked to change: null keeps the content's value. */
export interface Correction {
  phone: string | null;
  website: string | null;
  hours: string | null;
  closed: boolean;
  note: string | null;
}

/** A refused field: its name and the console text (with values) saying what is allowed. */
export interface CorrectionError {
  /** A field name, or `(body)` when the correction as a whole is refused. */
  field: CorrectionField | "(body)";
  key: string;
  params: Record<string, unknown>;
}

/** What staff typed (a form sends strings, the API strings or null). */
export interface CorrectionInput {
  phone?: string | null | undefined;
  website?: string | null | undefined;
  hours?: string | null | undefined;
  closed?: boolean | undefined;
  note?: string | null | undefined;
}

/** The content schema's phone rule: digits and spaces, optionally starting with +. */
const phonePattern = /^\+?[0-9 ]{3,20}$/;
const websiteRule = z.url({ protocol: /^https?$/ });

/** Trimmed text, or null when empty or absent. */
const textOrNull = (value: string | null | undefined): string | null => {
  const trimmed = value?.replace(/\r\n?/g, "\n").trim() ?? "";
  return trimmed === "" ? null : trimmed;
};

/**
 * Reads a correction: empty fields keep the content's value; each field is checked against what the
 * content allows, and a correction that changes nothing (no field, not closed) is refused.
 *
 * @example
 * readCorrection({ phone: "+49 6131 2626", hours: "" }); // { ok: true, correction: { phone: "+49 6131 2626", hours: null, ... } }
 */
export function readCorrection(
  input: CorrectionInput,
): { ok: true; correction: Correction } | { ok: false; errors: CorrectionError[] } {
  const correction: Correction = {
    phone: textOrNull(input.phone),
    website: textOrNull(input.website),
    hours: textOrNull(input.hours),
    closed: input.closed === true,
    note: textOrNull(input.note),
  };
  const errors: CorrectionError[] = [];
  const { phone, website, hours, note } = correction;
  if (phone !== null && (phone.length > overrideLimits.phone || !phonePattern.test(phone)))
    errors.push({ field: "phone", key: "services.errors.phone", params: { max: overrideLimits.phone } });
  if (website !== null && (website.length > overrideLimits.website || !websiteRule.safeParse(website).success))
    errors.push({ field: "website", key: "services.errors.website", params: { max: overrideLimits.website } });
  if (hours !== null && hours.length > overrideLimits.hours)
    errors.push({ field: "hours", key: "services.errors.tooLong", params: { max: overrideLimits.hours } });
  if (note !== null && note.length > overrideLimits.note)
    errors.push({ field: "note", key: "services.errors.tooLong", params: { max: overrideLimits.note } });
  if (errors.length > 0) return { ok: false, errors };
  if (phone === null && website === null && hours === null && note === null && !correction.closed)
    return { ok: false, errors: [{ field: "(body)", key: "services.errors.empty", params: {} }] };
  return { ok: true, correction };
}

/** The fields that differ between two corrections (the first absent: every field the second sets). */
function changedFields(before: ServiceOverride | undefined, after: Correction): CorrectionField[] {
  if (!before) return correctionFields.filter((field) => (field === "closed" ? after.closed : after[field] !== null));
  return correctionFields.filter((field) => before[field] !== after[field]);
}

/**
 * Stores a service's correction with who and when, audits it (service and changed field names, never
 * what was typed) in the same transaction, and applies it at once in this process.
 *
 * @example
 * await saveCorrection(app, c.get("staff"), service, correction);
 */
export async function saveCorrection(
  app: App,
  staff: StaffSession,
  service: Service,
  correction: Correction,
): Promise<ServiceOverride> {
  const now = app.clock.now();
  const saved: ServiceOverride = {
    serviceId: service.id,
    ...correction,
    updatedBy: actor(staff),
    updatedAt: now.toISOString(),
  };
  await app.store.transaction(async (tx) => {
    const before = (await listServiceOverrides(tx.db)).find((o) => o.serviceId === service.id);
    await saveServiceOverride(tx.db, saved);
    await audit(
      tx.db,
      staff,
      "service.override",
      { serviceId: service.id, fields: changedFields(before, correction) },
      now,
    );
  });
  await refreshServiceOverrides(app.store.db, app.content);
  return saved;
}

/**
 * Removes a service's correction (the content's facts apply again) and audits it; false if there
 * was none (nothing is audited then).
 *
 * @example
 * await removeCorrection(app, c.get("staff"), "mainz-vhs");
 */
export async function removeCorrection(app: App, staff: StaffSession, serviceId: string): Promise<boolean> {
  const now = app.clock.now();
  const removed = await app.store.transaction(async (tx) => {
    const gone = await removeServiceOverride(tx.db, serviceId);
    if (gone) await audit(tx.db, staff, "service.override.remove", { serviceId }, now);
    return gone;
  });
  await refreshServiceOverrides(app.store.db, app.content);
  return removed;
}

/** The services of the content files (closed ones too), by id. */
export function contentService(app: App, id: string): Service | undefined {
  return app.content.contentServices.find((s) => s.id === id);
}

const overrideSchema = z
  .object({
    phone: z.string().nullable().openapi({ description: "The corrected number; null keeps the content's" }),
    website: z.string().nullable(),
    hours: z.string().nullable().openapi({ description: "Opening hours as staff wrote them, shown in every language" }),
    closed: z.boolean(),
    note: z.string().nullable().openapi({ description: "Shown to people on the service's card, as written" }),
    updatedBy: z
      .string()
      .nullable()
      .openapi({ description: "The staff member's address; null once they deleted their data" }),
    updatedAt: z.string(),
  })
  .openapi("ServiceOverride");

const serviceSchema = z
  .object({
    id: z.string().openapi({ example: "mainz-vhs" }),
    city: z.string().openapi({ example: "mainz" }),
    category: z.string().openapi({ example: "language" }),
    name: z.string(),
    phone: z.string().nullable().openapi({ description: "As people see it now (the correction's, if any)" }),
    website: z.string().nullable(),
    hours: z.string().nullable().openapi({ description: "Opening hours in English as people see them now" }),
    verified: z.boolean().openapi({ description: "Every fact of the content file was confirmed from its sources" }),
    lastVerified: z.string().nullable().openapi({ description: "The day the sources were read; null if never" }),
    override: overrideSchema.optional().openapi({ description: "The staff correction, if there is one" }),
  })
  .openapi("Service");

const correctionInput = z
  .object({
    phone: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: `Digits and spaces, optionally starting with +, at most ${overrideLimits.phone}` }),
    website: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: `An http(s) address, at most ${overrideLimits.website} characters` }),
    hours: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: `Opening hours in words, at most ${overrideLimits.hours} characters` }),
    closed: z.boolean().optional().openapi({ description: "The place is closed: people no longer find it" }),
    note: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: `A note shown to people as written, at most ${overrideLimits.note} characters` }),
  })
  .openapi("ServiceCorrection", {
    description: "Each field null or absent keeps the content's value; at least one field or closed is needed",
  });

const idParam = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "a service id such as mainz-vhs")
    .openapi({ param: { name: "id", in: "path" }, example: "mainz-vhs" }),
});

const notFound = {
  404: { description: "No such service", content: { "application/json": { schema: errorBody } } },
};

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/**
 * Refused fields as the API says them: in English, naming each field and what is allowed. Typed as
 * never (as kit.ts's `invalid`) so the route may return it whatever its declared responses.
 */
function refused(c: Context, errors: readonly CorrectionError[]): never {
  const messages = errors.map((e) => ({ field: e.field, message: ct("en", e.key, e.params) }));
  return c.json({ error: "invalid input", errors: messages }, 400) as never;
}

/**
 * A service as the API shows it: as people see it now, with the correction if there is one.
 *
 * @example
 * serviceView(service, override).phone; // the corrected number
 */
export function serviceView(service: Service, override: ServiceOverride | undefined): z.infer<typeof serviceSchema> {
  const shown = override ? withOverride(service, override) : service;
  return {
    id: service.id,
    city: service.city,
    category: service.category,
    name: service.name,
    phone: shown.phone ?? null,
    website: shown.website ?? null,
    hours: shown.hours?.en ?? null,
    verified: service.verified,
    lastVerified: service.lastVerified ?? null,
    ...(override
      ? {
          override: {
            phone: override.phone,
            website: override.website,
            hours: override.hours,
            closed: override.closed,
            note: override.note,
            updatedBy: override.updatedBy,
            updatedAt: override.updatedAt,
          },
        }
      : {}),
  };
}

/**
 * Registers the services routes.
 *
 * @example
 * registerServicesApi(api, app);
 */
export function registerServicesApi(api: Api, app: App): void {
  const missing = (c: Context): never => c.json({ error: "no such service" }, 404) as never;

  api.openapi(
    createRoute({
      method: "get",
      path: "/services",
      tags,
      summary: "City services as people see them now, with staff corrections (closed ones too)",
      security,
      middleware: staffOnly,
      request: {
        query: z.object({ city: z.string().optional().openapi({ description: "A city id", example: "mainz" }) }),
      },
      responses: { 200: json(z.object({ services: z.array(serviceSchema) }), "The services"), ...commonErrors },
    }),
    async (c) => {
      const { city } = c.req.valid("query");
      if (city !== undefined && !cityById(city))
        return invalid(c, "city", `unknown city; known: ${cities.map((known) => known.id).join(", ")}`);
      const overrides = new Map((await listServiceOverrides(app.store.db)).map((o) => [o.serviceId, o]));
      const services = app.content.contentServices
        .filter((s) => city === undefined || s.city === city)
        .map((s) => serviceView(s, overrides.get(s.id)));
      return c.json({ services }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "put",
      path: "/services/{id}/override",
      tags,
      summary: "Correct a service (replaces its correction); people see it at once",
      security,
      middleware: staffOnly,
      request: {
        params: idParam,
        body: { content: { "application/json": { schema: correctionInput } }, required: true },
      },
      responses: { 200: json(z.object({ service: serviceSchema }), "Saved"), ...notFound, ...commonErrors },
    }),
    async (c) => {
      const service = contentService(app, c.req.valid("param").id);
      if (!service) return missing(c);
      const read = readCorrection(c.req.valid("json"));
      if (!read.ok) return refused(c, read.errors);
      const saved = await saveCorrection(app, c.get("staff"), service, read.correction);
      return c.json({ service: serviceView(service, saved) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/services/{id}/override",
      tags,
      summary: "Remove a service's correction: the content's facts apply again",
      security,
      middleware: staffOnly,
      request: { params: idParam },
      responses: {
        200: json(
          z.object({
            removed: z.boolean().openapi({ description: "Whether there was a correction" }),
            service: serviceSchema,
          }),
          "Removed",
        ),
        ...notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const service = contentService(app, c.req.valid("param").id);
      if (!service) return missing(c);
      const removed = await removeCorrection(app, c.get("staff"), service.id);
      return c.json({ removed, service: serviceView(service, undefined) }, 200);
    },
  );
}
