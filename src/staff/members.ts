/**
 * Staff management for admins: everyone with a role, from `STAFF_ADDRESSES` (changed only in the
 * configuration, shown as such) and from the `staff_members` table (added, changed and removed in
 * the console or the API). Removing someone ends their console sessions at once; their chat loses
 * staff rights at their next action (src/staff/rights.ts).
 */
import { withdrawBroadcastsOf } from "../broadcasts/creator.ts";
import type { Address } from "../domain/address.ts";
import type { StoreTx } from "../storage/store.ts";
import { type StaffDirectory, type StaffRole, staffRoles } from "./roles.ts";

/** One staff member as the staff page lists them. */
export interface StaffMember {
  address: Address;
  name: string | null;
  roles: StaffRole[];
  /** `config` for STAFF_ADDRESSES (change it there), `added` for those an admin added here. */
  source: "config" | "added";
  /** For added ones. */
  addedAt: string | null;
}

function ordered(roles: Iterable<string>): StaffRole[] {
  const set = new Set(roles);
  return staffRoles.filter((r) => set.has(r));
}

/**
 * Everyone with a role: configured first, then added ones by address. An address in both shows once,
 * as configured, with the roles of both.
 *
 * @example
 * const members = await listStaff(app.store.reader, app.staff);
 */
export async function listStaff(tx: StoreTx, directory: StaffDirectory): Promise<StaffMember[]> {
  const members = new Map<Address, StaffMember>();
  for (const role of staffRoles) {
    for (const address of directory.withRole(role)) {
      const member = members.get(address) ?? {
        address,
        name: null,
        roles: [],
        source: "config" as const,
        addedAt: null,
      };
      member.roles = ordered([...member.roles, role]);
      members.set(address, member);
    }
  }
  const rows = await tx.db.selectFrom("staff_members").selectAll().orderBy("address").execute();
  for (const row of rows) {
    const address = row.address as Address;
    const known = members.get(address);
    const roles = row.roles.split("+");
    if (known) {
      known.roles = ordered([...known.roles, ...roles]);
      known.name = row.name ?? null;
    } else {
      members.set(address, {
        address,
        name: row.name ?? null,
        roles: ordered(roles),
        source: "added",
        addedAt: row.created_at,
      });
    }
  }
  return [...members.values()];
}

/** Why a change to someone's roles is refused: a text key of the console (people.*). */
export type StaffChangeProblem = "people.configured" | "people.notYourself" | "people.notYourCounsellor";

/**
 * Whether `by` may give `target` these roles (or remove them, `roles` empty). Refused: changing someone
 * configured in STAFF_ADDRESSES (changed there), dropping one's own admin role, and an admin giving
 * themselves the counsellor role (what people tell counsellors stays with counsellors: another admin
 * must decide that, and it shows in the audit log).
 *
 * @example
 * const problem = await staffChangeProblem(tx, app.staff, staff.address, "telegram:42", ["counsellor"]);
 */
export async function staffChangeProblem(
  tx: StoreTx,
  directory: StaffDirectory,
  by: string,
  target: Address,
  roles: readonly StaffRole[],
): Promise<StaffChangeProblem | undefined> {
  const added = await tx.db
    .selectFrom("staff_members")
    .select("roles")
    .where("address", "=", target)
    .executeTakeFirst();
  if (directory.rolesOf(target).size > 0 && !added) return "people.configured";
  if (target === by && !roles.includes("admin")) return "people.notYourself";
  const had = new Set(added?.roles.split("+") ?? []);
  if (target === by && roles.includes("counsellor") && !had.has("counsellor")) return "people.notYourCounsellor";
  return undefined;
}

/**
 * Adds a staff member or replaces the roles and name of one added before.
 *
 * @example
 * await saveStaffMember(tx, "telegram:42", { roles: ["counsellor"], name: "Amal" }, now);
 */
export async function saveStaffMember(
  tx: StoreTx,
  address: Address,
  values: { roles: StaffRole[]; name?: string | null | undefined },
  now: Date,
): Promise<void> {
  const row = { roles: ordered(values.roles).join("+"), name: values.name?.trim() || null };
  // Someone who may no longer send broadcasts: what they left unfinished does not go out (a teacher's
  // class messages stay; they are checked against the class when they go out).
  if (!values.roles.includes("staff") && !values.roles.includes("admin"))
    await withdrawBroadcastsOf(tx, address, now, { keepClassMessages: values.roles.includes("teacher") });
  await tx.db
    .insertInto("staff_members")
    .values({ address, ...row, created_at: now.toISOString() })
    .onConflict((oc) => oc.column("address").doUpdateSet(row))
    .execute();
}

/**
 * Removes roles an admin gave, ends the person's console sessions and cancels their unfinished
 * broadcasts; false if there were no roles to remove.
 *
 * @example
 * await removeStaffMember(tx, "telegram:42", now);
 */
export async function removeStaffMember(tx: StoreTx, address: Address, now: Date): Promise<boolean> {
  const result = await tx.db.deleteFrom("staff_members").where("address", "=", address).executeTakeFirst();
  await tx.db.deleteFrom("staff_sessions").where("address", "=", address).execute();
  // Their unfinished broadcasts stop now, also the rows already in the outbox.
  await withdrawBroadcastsOf(tx, address, now);
  return Number(result.numDeletedRows ?? 0) > 0;
}
