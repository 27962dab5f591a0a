/**
 * A person as Lotse knows them: an address and the few settings they chose.
 * Nothing else is needed, and nothing else is stored.
 */
import type { Address } from "./address.ts";

/** Whether the person agreed to what is stored; `pending` until they answer. */
export type Consent = "pending" | "given" | "refused";

/**
 * `active`: normal. `stopped`: said "stop", gets nothing proactive.
 * `unreachable`: the platform says the bot is blocked.
 */
export type UserStatus = "active" | "stopped" | "unreachable";

/** The stored user. */
export interface User {
  address: Address;
  /** A supported language code; `null` until chosen. */
  language: string | null;
  /** The language content comes in when `language` has none of its own; `null` means English. */
  secondLanguage: string | null;
  /** A city id such as `leipzig`, `other`, or `null` until chosen. */
  city: string | null;
  /** An IANA time zone such as `Europe/Berlin`. */
  timeZone: string;
  consent: Consent;
  status: UserStatus;
  createdAt: Date;
  lastInboundAt: Date | null;
}

/** The fields a flow may change. */
export type UserPatch = Partial<Pick<User, "language" | "secondLanguage" | "city" | "timeZone" | "consent" | "status">>;
