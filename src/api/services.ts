/**
 * `/api/services`: the city services as people see them, and staff corrections of them (role staff
 * on every route): a changed phone number, website or opening hours, a closure, a note for people.
 * A correction is stored with who and when (src/services/overrides.ts), written to the audit log in
 * the same transaction, and applied at once in this process; `npm run content:overrides` exports it
 * back into `content/` for review. The console's pages (src/console/services.tsx) use the same
 * reading and actions below, so both refuse the same input with the same words.
 *
 * A correction outlives its service's content file (removed or renamed): it is listed apart
 * (`orphaned`) and removable by id, lest it apply again unseen when a file with that id comes back.
 * Who corrected is named as the console names them; their chat address only to admins.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../app.ts";
import { audit } from "../console/audit.ts";
import { actor, type ConsoleLanguage, hasRole, type StaffSession } from "../console/context.ts";
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
import { listStaff } from "../staff/members.ts";
import { staffRoles } from "../staff/roles.ts";
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

/**
 * The stored corrections whose service is no longer in the content (its file removed or renamed):
 * people do not see them, but one would apply again if a file with its id came back, so staff can
 * list and remove them.
 *
 * @example
 * (await orphanedCorrections(app)).map((o) => o.serviceId); // ["mainz-old-office"]
 */
export async function orphanedCorrections(app: App): Promise<ServiceOverride[]> {
  const known = new Set(app.content.contentServices.map((s) => s.id));
  return (await listServiceOverrides(app.store.db)).filter((o) => !known.has(o.serviceId));
}

/** The roles of a staff member as the Staff page names them. */
const rolesText = (lang: ConsoleLanguage, roles: Iterable<string>) => {
  const held = new Set(roles);
  return staffRoles
    .filter((r) => held.has(r))
    .map((r) => ct(lang, `people.role.${r}`))
    .join(", ");
};

/**
 * Who made corrections, as staff read it: the name an admin gave them on the Staff page, else
 * "you" with the roles when it is the signed-in person, else "a colleague" with their roles; never
 * a chat address. Reads the Staff page once; the function it gives names each correction's author.
 *
 * @example
 * const by = await correctorNames(app, staff, "en");
 * by("telegram:100"); // "Jana Berger", or "a colleague (Staff)"
 */
export async function correctorNames(
  app: App,
  staff: StaffSession,
  lang: ConsoleLanguage,
): Promise<(address: string | null) => string> {
  const members = await listStaff(app.store.reader, app.staff);
  return (address) => {
    if (address === null) return ct(lang, "services.who.deleted");
    const me = address === staff.address;
    const member = members.find((m) => m.address === address);
    if (member?.name) return me ? ct(lang, "services.who.namedYou", { name: member.name }) : member.name;
    if (me)
      return staff.address === "admin-token"
        ? ct(lang, "services.who.youAdminToken")
        : ct(lang, "services.who.you", { roles: rolesText(lang, member?.roles ?? staff.roles) });
    if (address === "admin-token") return ct(lang, "services.who.adminToken");
    if (member) return ct(lang, "services.who.colleague", { roles: rolesText(lang, member.roles) });
    return ct(lang, "services.who.former");
  };
}

/** Who made a correction as the API shows it: a name for staff, the chat address too for admins. */
type ShownBy = (address: string | null) => { updatedBy: string; updatedByAddress?: string | null };

/**
 * How the API names correctors to the caller: as the console does (in English), and with the raw
 * chat address (possibly a phone number) only when the caller is an admin.
 *
 * @example
 * const by = await shownBy(app, c.get("staff"));
 */
export async function shownBy(app: App, staff: StaffSession): Promise<ShownBy> {
  const name = await correctorNames(app, staff, "en");
  const admin = hasRole(staff, "admin");
  return (address) => ({ updatedBy: name(address), ...(admin ? { updatedByAddress: address } : {}) });
}

const overrideSchema = z
  .object({
    phone: z.string().nullable().openapi({ description: "The corrected number; null keeps the content's" }),
    website: z.string().nullable(),
    hours: z.string().nullable().openapi({ description: "Opening hours as staff wrote them, shown in every language" }),
    closed: z.boolean(),
    note: z.string().nullable().openapi({ description: "Shown to people on the service's card, as written" }),
    updatedBy: z.string().openapi({
      description:
        "Who corrected it, as the console names them: their name from the Staff page, else their roles; never a chat address",
      example: "Jana Berger",
    }),
    updatedByAddress: z.string().nullable().optional().openapi({
      description: "Admins only: the staff member's chat address; null once they deleted their data",
    }),
    updatedAt: z.string(),
  })
  .openapi("ServiceOverride");

const orphanSchema = overrideSchema
  .extend({ serviceId: z.string().openapi({ example: "mainz-old-office" }) })
  .openapi("OrphanedServiceOverride");

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
const noCorrection = {
  404: {
    description: "No such service, and no correction stored for the id",
    content: { "application/json": { schema: errorBody } },
  },
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

/** A correction as the API shows it, naming its author as the caller may see them. */
function correctionView(override: ServiceOverride, by: ShownBy): z.infer<typeof overrideSchema> {
  return {
    phone: override.phone,
    website: override.website,
    hours: override.hours,
    closed: override.closed,
    note: override.note,
    ...by(override.updatedBy),
    updatedAt: override.updatedAt,
  };
}

/**
 * A service as the API shows it: as people see it now, with the correction if there is one.
 *
 * @example
 * serviceView(service, override, await shownBy(app, staff)).phone; // the corrected number
 */
export function serviceView(
  service: Service,
  override: ServiceOverride | undefined,
  by: ShownBy,
): z.infer<typeof serviceSchema> {
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
    ...(override ? { override: correctionView(override, by) } : {}),
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
      summary:
        "City services as people see them now, with staff corrections (closed ones too), and corrections of services no longer in the content",
      security,
      middleware: staffOnly,
      request: {
        query: z.object({ city: z.string().optional().openapi({ description: "A city id", example: "mainz" }) }),
      },
      responses: {
        200: json(
          z.object({
            services: z.array(serviceSchema),
            orphaned: z.array(orphanSchema).openapi({
              description:
                "Corrections whose service is no longer in the content (file removed or renamed), whatever the city: people do not see them, but one applies again if a file with its id comes back; remove them with DELETE",
            }),
          }),
          "The services",
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { city } = c.req.valid("query");
      if (city !== undefined && !cityById(city))
        return invalid(c, "city", `unknown city; known: ${cities.map((known) => known.id).join(", ")}`);
      const by = await shownBy(app, c.get("staff"));
      const stored = await listServiceOverrides(app.store.db);
      const overrides = new Map(stored.map((o) => [o.serviceId, o]));
      const services = app.content.contentServices
        .filter((s) => city === undefined || s.city === city)
        .map((s) => serviceView(s, overrides.get(s.id), by));
      const known = new Set(app.content.contentServices.map((s) => s.id));
      const orphaned = stored
        .filter((o) => !known.has(o.serviceId))
        .map((o) => ({ serviceId: o.serviceId, ...correctionView(o, by) }));
      return c.json({ services, orphaned }, 200);
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
      return c.json({ service: serviceView(service, saved, await shownBy(app, c.get("staff"))) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/services/{id}/override",
      tags,
      summary:
        "Remove a service's correction: the content's facts apply again (also a correction of a service no longer in the content)",
      security,
      middleware: staffOnly,
      request: { params: idParam },
      responses: {
        200: json(
          z.object({
            removed: z.boolean().openapi({ description: "Whether there was a correction" }),
            service: serviceSchema
              .optional()
              .openapi({ description: "The service as people see it now; absent when it is no longer in the content" }),
          }),
          "Removed",
        ),
        ...noCorrection,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const service = contentService(app, id);
      // A correction outlives its service's file: removable by id, so it cannot apply again unseen.
      const removed = await removeCorrection(app, c.get("staff"), id);
      if (!service) return removed ? c.json({ removed }, 200) : missing(c);
      return c.json({ removed, service: serviceView(service, undefined, await shownBy(app, c.get("staff"))) }, 200);
    },
  );
}
