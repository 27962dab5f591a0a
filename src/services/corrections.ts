/**
 * Staff corrections of city services as actions both the console and the API take: reading what
 * staff typed against the content's own rules, saving and removing a correction with its audit
 * entry in the same transaction (and applying it at once in this process), corrections whose
 * service left the content, and how correctors are named (never by a chat address to non-admins).
 * The console (src/console/services.tsx) and the API (src/api/services.ts) call the same functions,
 * so both refuse the same input with the same words.
 */
import { z } from "zod";
import type { App } from "../app.ts";
import { audit } from "../console/audit.ts";
import { actor, type ConsoleLanguage, hasRole, type StaffSession } from "../console/context.ts";
import { ct } from "../console/text.ts";
import type { Service } from "../content/services-schema.ts";
import { listStaff } from "../staff/members.ts";
import { staffRoles } from "../staff/roles.ts";
import {
  listServiceOverrides,
  overrideLimits,
  refreshServiceOverrides,
  removeServiceOverride,
  type ServiceOverride,
  saveServiceOverride,
} from "./overrides.ts";

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
export type ShownBy = (address: string | null) => { updatedBy: string; updatedByAddress?: string | null };

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
