/** The staff tables: members, sign-in codes and sessions, the audit log, and corrections of city services. (See `../schema.ts` for how times and booleans are stored.) */
import type { Generated } from "kysely";

/** Staff added by an admin (beside STAFF_ADDRESSES). */
export interface StaffMembersTable {
  address: string;
  /** Roles joined by "+". */
  roles: string;
  created_at: string;
  /** How colleagues know them in the console (optional). */
  name?: string | null;
}

/** A sign-in code sent to a staff member's chat: one per address, 10 minutes, 5 tries, then a lock. */
export interface StaffLoginCodesTable {
  address: string;
  code_hash: string | null;
  expires_at: string | null;
  tries: number;
  locked_until: string | null;
  updated_at: string;
}

/** A signed-in browser: the cookie's hash, who, the form token and the console language. */
export interface StaffSessionsTable {
  id_hash: string;
  address: string;
  csrf: string;
  language: string;
  created_at: string;
  expires_at: string;
}

/** Every staff action: who, what, when (detail is JSON without anyone's chat address or words). */
export interface AuditLogTable {
  id: Generated<number>;
  actor: string | null;
  /** The staff member the action was done to, if any. */
  subject?: string | null;
  action: string;
  detail: string;
  created_at: string;
}

/** A staff correction of a city service; null columns keep the content pack's value. */
export interface ServiceOverridesTable {
  service_id: string;
  phone: string | null;
  website: string | null;
  hours: string | null;
  closed: number;
  note: string | null;
  updated_by: string | null;
  updated_at: string;
}
