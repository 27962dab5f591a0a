/**
 * Staff and their roles, from `STAFF_ADDRESSES`: a comma-separated list of
 * addresses, each optionally with roles after "=" joined by "+", such as
 * `telegram:123=counsellor,whatsapp:4915112345678=staff+counsellor`. An
 * address without roles is plain staff; one with roles has exactly those.
 *
 * The directory can be replaced while the bot runs ({@link StaffDirectory.replace}):
 * rights are read from it each time an action runs (src/staff/rights.ts), so
 * someone removed loses them at once, even in the middle of a staff flow.
 */
import { type Address, parseAddress } from "../domain/address.ts";
import { LotseError } from "../domain/errors.ts";

/** What a staff member may do. */
/**
 * `staff`: meetings, broadcasts, statistics. `counsellor`: return referrals only. `admin`: staff and
 * settings (and everything `staff` and `teacher` may). `translator`: review of texts. `teacher`: their
 * own classes. An address given roles has exactly those: `=counsellor` is a counsellor only.
 */
export const staffRoles = ["staff", "counsellor", "admin", "translator", "teacher"] as const;
export type StaffRole = (typeof staffRoles)[number];

type Roles = ReadonlyMap<Address, ReadonlySet<StaffRole>>;

/**
 * The configured staff, replaceable while running.
 *
 * @example
 * const staff = parseStaff("telegram:1=counsellor");
 * staff.rolesOf("telegram:1"); // Set { "counsellor" }
 * staff.replace(""); // telegram:1 is no longer staff, from the next action on
 */
export class StaffDirectory {
  constructor(private roles: Roles = new Map()) {}

  /** The roles this address has now; empty when it is not configured staff. */
  rolesOf(address: Address): ReadonlySet<StaffRole> {
    return this.roles.get(address) ?? new Set();
  }

  /** Every address that has `role` now, in configured order. */
  withRole(role: StaffRole): Address[] {
    return [...this.roles].filter(([, r]) => r.has(role)).map(([a]) => a);
  }

  /**
   * Replaces the whole directory with a new `STAFF_ADDRESSES` value (or
   * another directory's contents). A value that does not parse throws
   * `config.invalid` and leaves the directory as it was.
   *
   * @example
   * staff.replace(process.env.STAFF_ADDRESSES);
   */
  replace(next: string | undefined | StaffDirectory): void {
    this.roles = next instanceof StaffDirectory ? next.roles : parseRoles(next);
  }
}

/**
 * Parses `STAFF_ADDRESSES`; throws `config.invalid` naming the bad entry.
 *
 * @example
 * parseStaff("telegram:1=counsellor").withRole("counsellor"); // ["telegram:1"]
 */
export function parseStaff(value: string | undefined): StaffDirectory {
  return new StaffDirectory(parseRoles(value));
}

function parseRoles(value: string | undefined): Roles {
  const roles = new Map<Address, Set<StaffRole>>();
  for (const entry of (value ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [rawAddress = "", rawRoles = "staff"] = entry.split("=");
    try {
      parseAddress(rawAddress);
    } catch (error) {
      throw new LotseError(
        "config.invalid",
        `STAFF_ADDRESSES: "${rawAddress}" is not an address such as telegram:123`,
        { cause: error },
      );
    }
    const set = new Set<StaffRole>();
    for (const role of rawRoles.split("+").map((r) => r.trim())) {
      if (!(staffRoles as readonly string[]).includes(role)) {
        throw new LotseError(
          "config.invalid",
          `STAFF_ADDRESSES: unknown role "${role}" (use ${staffRoles.join(", ")})`,
        );
      }
      set.add(role as StaffRole);
    }
    roles.set(rawAddress as Address, set);
  }
  return roles;
}
