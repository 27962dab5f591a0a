/**
 * `/api/services`: the city services as people see them, and staff corrections of them (role staff
 * on every route): a changed phone number, website or opening hours, a closure, a note for people.
 * A correction is stored with who and when (src/services/overrides.ts), written to the audit log in
 * the same transaction, and applied at once in this process; `npm run content:overrides` exports it
 * back into `content/` for review. The reading and the actions are src/services/corrections.ts,
 * shared with the console's pages, so both refuse the same input with the same words.
 *
 * A correction outlives its service's content file (removed or renamed): it is listed apart
 * (`orphaned`) and removable by id, lest it apply again unseen when a file with that id comes back.
 * Who corrected is named as the console names them; their chat address only to admins.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../app.ts";
import { requireRole } from "../console/guard.ts";
import { ct } from "../console/text.ts";
import type { Service } from "../content/services-schema.ts";
import { cities, cityById } from "../domain/cities.ts";
import {
  type CorrectionError,
  contentService,
  readCorrection,
  removeCorrection,
  type ShownBy,
  saveCorrection,
  shownBy,
} from "../services/corrections.ts";
import { listServiceOverrides, overrideLimits, type ServiceOverride, withOverride } from "../services/overrides.ts";
import { type Api, commonErrors, errorBody, invalid, json, security } from "./kit.ts";

const staffOnly = [requireRole("staff")];
const tags = ["Services"];

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
