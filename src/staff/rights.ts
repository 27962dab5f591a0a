/**
 * Rights at the moment of action: whether someone may do a staff thing is
 * asked when the thing runs (an effect, a loader), against the staff
 * directory and the `staff_members` table as they are then, never only when
 * a staff flow opened. A staff member removed in the middle of the broadcast
 * flow therefore cannot press "send" any more.
 */
import { msg, type Reply } from "../../flows/kit.ts";
import type { Address } from "../domain/address.ts";
import type { User } from "../domain/user.ts";
import type { EffectHandler } from "../engine/registry.ts";
import { hashAddress, type Logger } from "../log.ts";
import { staffRolesOf } from "../meetings/repository.ts";
import type { StoreTx } from "../storage/store.ts";
import { type StaffDirectory, type StaffRole, staffRoles } from "./roles.ts";

/** The refusal a person reads when an action needs a role they do not have (any more). */
export const deniedReply: Reply = { kind: "text", lines: [msg("staff.denied")] };

/**
 * Role checks over the configured directory and the roles admins added.
 *
 * @example
 * const rights = new StaffRights(staff, logger);
 * registry.onEffect("feature.broadcast.create", rights.guard("staff", "feature.broadcast.create", send));
 */
export class StaffRights {
  constructor(
    private readonly directory: StaffDirectory,
    private readonly logger: Logger,
  ) {}

  /**
   * Every role the address has right now: configured, or added by an admin
   * (console or API). `admin` brings staff, teacher and translator with it, never counsellor.
   */
  async rolesOf(tx: StoreTx, address: Address): Promise<ReadonlySet<StaffRole>> {
    const roles = new Set<StaffRole>(this.directory.rolesOf(address));
    for (const role of await staffRolesOf(tx.db, address)) if (isRole(role)) roles.add(role);
    // An admin may do what staff and teachers may; a counsellor-only account stays counsellor only.
    if (roles.has("admin")) for (const implied of ["staff", "teacher", "translator"] as const) roles.add(implied);
    return roles;
  }

  /** Whether the address has `role` right now. */
  async has(tx: StoreTx, address: Address, role: StaffRole): Promise<boolean> {
    return (await this.rolesOf(tx, address)).has(role);
  }

  /** Every address that has `role` right now: configured first, then those added by an admin. */
  async holders(tx: StoreTx, role: StaffRole): Promise<Address[]> {
    const found = new Set<Address>(this.directory.withRole(role));
    const added = await tx.db.selectFrom("staff_members").select(["address", "roles"]).orderBy("address").execute();
    for (const row of added) {
      const roles = row.roles.split("+");
      if (roles.includes(role) || (role !== "counsellor" && roles.includes("admin"))) found.add(row.address as Address);
    }
    return [...found];
  }

  /**
   * Whether `user` may do `action`, which needs `role`; a refusal is logged
   * as `staff.denied` with the role needed (the address only as its hash).
   */
  async allows(tx: StoreTx, user: User, role: StaffRole, action: string): Promise<boolean> {
    if (await this.has(tx, user.address, role)) return true;
    this.logger.warn("staff.denied", { who: hashAddress(user.address), role, action });
    return false;
  }

  /**
   * Wraps an effect handler so it runs only if the person has `role` when the
   * effect runs; otherwise it does nothing and tells them plainly.
   *
   * @example
   * registry.onEffect("feature.meetings.cancel", rights.guard("staff", "feature.meetings.cancel", cancel));
   */
  guard(role: StaffRole, action: string, handler: EffectHandler): EffectHandler {
    return async (tx, user, effect, now) => {
      if (!(await this.allows(tx, user, role, action))) return [deniedReply];
      return handler(tx, user, effect, now);
    };
  }
}

function isRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}
