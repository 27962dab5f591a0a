/**
 * Staff and their roles, from `STAFF_ADDRESSES`: a comma-separated list of
 * addresses, each optionally with roles after "=" joined by "+", such as
 * `telegram:123=counsellor,whatsapp:4915112345678=staff+counsellor`. An
 * address without roles is plain staff.
 */
import { type Address, parseAddress } from "../domain/address.ts";
import { LotseError } from "../domain/errors.ts";

/** What a staff member may do. */
export const staffRoles = ["staff", "counsellor", "admin"] as const;
export type StaffRole = (typeof staffRoles)[number];

/** The staff directory. */
export interface StaffDirectory {
  rolesOf(address: Address): ReadonlySet<StaffRole>;
  withRole(role: StaffRole): Address[];
}

/**
 * Parses `STAFF_ADDRESSES`; throws `config.invalid` naming the bad entry.
 *
 * @example
 * parseStaff("telegram:1=counsellor").withRole("counsellor"); // ["telegram:1"]
 */
export function parseStaff(value: string | undefined): StaffDirectory {
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
    const set = new Set<StaffRole>(["staff"]);
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
  return {
    rolesOf: (address) => roles.get(address) ?? new Set(),
    withRole: (role) => [...roles].filter(([, r]) => r.has(role)).map(([a]) => a),
  };
}
