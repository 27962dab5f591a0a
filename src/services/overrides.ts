/**
 * Staff corrections of city services: a changed phone number, website or opening hours, a closure,
 * or a note for people ("closed until 6 January"). They are stored in the database, applied over the
 * content pack at once (the next card anyone opens shows them), and exported back into `content/`
 * as a file change for review (`npm run content:overrides`), after which the row can be removed.
 */
import type { Kysely, Transaction } from "kysely";
import type { Service } from "../content/services-schema.ts";
import type { Database } from "../storage/schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** One service's correction; a null field keeps the content pack's value. */
export interface ServiceOverride {
  serviceId: string;
  phone: string | null;
  website: string | null;
  /** Opening hours as staff wrote them: shown as written in every language. */
  hours: string | null;
  closed: boolean;
  note: string | null;
  /** The staff member's address, or null once they deleted their data. */
  updatedBy: string | null;
  /** ISO timestamp. */
  updatedAt: string;
}

/** What a card shows of a correction: when, whether the place is closed, and the note. */
export interface StaffUpdate {
  /** The day of the correction, `YYYY-MM-DD`. */
  on: string;
  closed: boolean;
  note: string | null;
}

/** A service as people see it: the content pack's, with the staff's correction where there is one. */
export type DirectoryService = Service & { staffUpdate?: StaffUpdate };

/** Limits of what staff type, in characters. */
export const overrideLimits = { phone: 20, website: 300, hours: 200, note: 200 } as const;

/**
 * Every stored correction.
 *
 * @example
 * pack.applyServiceOverrides(await listServiceOverrides(store.db));
 */
export async function listServiceOverrides(db: Db): Promise<ServiceOverride[]> {
  const rows = await db.selectFrom("service_overrides").selectAll().orderBy("service_id").execute();
  return rows.map((r) => ({
    serviceId: r.service_id,
    phone: r.phone,
    website: r.website,
    hours: r.hours,
    closed: r.closed === 1,
    note: r.note,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  }));
}

/**
 * Stores a service's correction, replacing the one before.
 *
 * @example
 * await saveServiceOverride(tx, { serviceId: "mainz-vhs", phone: "+49 6131 2626", ... });
 */
export async function saveServiceOverride(db: Db, override: ServiceOverride): Promise<void> {
  const row = {
    phone: override.phone,
    website: override.website,
    hours: override.hours,
    closed: override.closed ? 1 : 0,
    note: override.note,
    updated_by: override.updatedBy,
    updated_at: override.updatedAt,
  };
  await db
    .insertInto("service_overrides")
    .values({ service_id: override.serviceId, ...row })
    .onConflict((oc) => oc.column("service_id").doUpdateSet(row))
    .execute();
}

/**
 * Removes a service's correction (the content pack's facts apply again); true if there was one.
 *
 * @example
 * await removeServiceOverride(db, "mainz-vhs");
 */
export async function removeServiceOverride(db: Db, serviceId: string): Promise<boolean> {
  const result = await db.deleteFrom("service_overrides").where("service_id", "=", serviceId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * The service with a correction applied: the corrected facts replace the pack's, and the card can
 * say when staff changed it and whether the place is closed.
 *
 * @example
 * withOverride(service, override).phone; // the number staff typed
 */
export function withOverride(service: Service, override: ServiceOverride): DirectoryService {
  return {
    ...service,
    ...(override.phone !== null ? { phone: override.phone } : {}),
    ...(override.website !== null ? { website: override.website } : {}),
    // Staff write hours once, in their words; everyone reads those rather than outdated translations.
    ...(override.hours !== null ? { hours: { en: override.hours } } : {}),
    staffUpdate: { on: override.updatedAt.slice(0, 10), closed: override.closed, note: override.note },
  };
}

/**
 * Reads the corrections from the database and applies them over the pack: at start, after a change,
 * and now and then in every process, so a correction made through another process shows there too.
 *
 * @example
 * await refreshServiceOverrides(app.store.db, app.content);
 */
export async function refreshServiceOverrides(
  db: Db,
  pack: { applyServiceOverrides(overrides: readonly ServiceOverride[]): void },
): Promise<void> {
  // On Postgres two reads may overlap (the 30 s refresh and the one after a save): a read that
  // started earlier must not put back what a later one already applied.
  const ticket = (readsStarted.get(pack) ?? 0) + 1;
  readsStarted.set(pack, ticket);
  const overrides = await listServiceOverrides(db);
  if (ticket < (readsApplied.get(pack) ?? 0)) return;
  readsApplied.set(pack, ticket);
  pack.applyServiceOverrides(overrides);
}

const readsStarted = new WeakMap<object, number>();
const readsApplied = new WeakMap<object, number>();

/** How often each process reads the corrections again (one made elsewhere shows within this). */
export const overrideRefreshMs = 30_000;

/**
 * Whether staff marked the place closed.
 *
 * @example
 * pack.allServices.filter((s) => !isClosed(s));
 */
export function isClosed(service: DirectoryService): boolean {
  return service.staffUpdate?.closed === true;
}
