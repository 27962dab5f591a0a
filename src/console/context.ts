/**
 * What every console page and API route knows about the request: who is signed in, with which
 * roles right now, in which language the console speaks to them, and the form token for this session.
 *
 * The roles are read again on every request (src/console/session.ts), never kept from sign-in, so
 * someone removed or demoted loses the right at their next click.
 */
import type { Address } from "../domain/address.ts";
import type { StaffRole } from "../staff/roles.ts";

/** The languages the console's own pages are written in. */
export const consoleLanguages = ["en", "de"] as const;
export type ConsoleLanguage = (typeof consoleLanguages)[number];

/** The signed-in staff member, as of this request. */
export interface StaffSession {
  /** The chat address they signed in with; `admin-token` for the bootstrap admin (ADMIN_TOKEN). */
  address: Address | "admin-token";
  /** Roles now (configured in STAFF_ADDRESSES or added by an admin); empty means no access. */
  roles: ReadonlySet<StaffRole>;
  language: ConsoleLanguage;
  /** The CSRF token every form of this session carries (`_csrf`); empty for bearer-token API calls. */
  csrf: string;
  /** The session's id (hashed in storage), null for bearer-token API calls. */
  sessionId: string | null;
}

/** Hono environment of console pages and API routes: `c.get("staff")`. */
export type ConsoleEnv = { Variables: { staff: StaffSession } };

/**
 * Whether the session has the role. `admin` includes staff, translator and teacher (all classes), but
 * not counsellor: what people tell a counsellor stays with counsellors.
 */
export function hasRole(staff: StaffSession, role: StaffRole): boolean {
  return staff.roles.has(role) || (role !== "counsellor" && staff.roles.has("admin"));
}

/** Who did it, for the audit log and `created_by` columns. */
export function actor(staff: StaffSession): string {
  return staff.address;
}

/**
 * The first page a person's roles allow: the overview for staff, the inbox for a counsellor.
 *
 * @example
 * homeFor(new Set(["counsellor"])); // "/staff/referrals"
 */
export function homeFor(roles: ReadonlySet<string>): string {
  if (roles.has("staff") || roles.has("admin")) return "/staff";
  if (roles.has("counsellor")) return "/staff/referrals";
  if (roles.has("translator")) return "/staff/texts";
  if (roles.has("teacher")) return "/staff/classes";
  return "/staff";
}
