/**
 * Addresses say where a person is reached: `telegram:<chat id>`,
 * `whatsapp:<wa id>`, `web:<session>` or `console:<name>`. They are the only
 * identity Lotse keeps; no names are needed.
 */
import { LotseError } from "./errors.ts";

/** The channels Lotse speaks on. */
export const channels = ["telegram", "whatsapp", "web", "console"] as const;
export type Channel = (typeof channels)[number];

/** A channel-qualified address such as `telegram:12345`. */
export type Address = `${Channel}:${string}`;

const idPattern = /^[A-Za-z0-9_.@+-]{1,64}$/;

/**
 * Builds an address from its channel and the channel's own id.
 *
 * @example
 * toAddress("telegram", "12345"); // "telegram:12345"
 */
export function toAddress(channel: Channel, id: string): Address {
  if (!idPattern.test(id)) throw new LotseError("address.invalid", `not a valid ${channel} id`);
  return `${channel}:${id}`;
}

/**
 * Splits an address into channel and id; throws `address.invalid` on anything else.
 *
 * @example
 * parseAddress("whatsapp:4915112345678"); // { channel: "whatsapp", id: "4915112345678" }
 */
export function parseAddress(raw: string): { channel: Channel; id: string } {
  const colon = raw.indexOf(":");
  const channel = raw.slice(0, colon) as Channel;
  const id = raw.slice(colon + 1);
  if (colon < 1 || !channels.includes(channel) || !idPattern.test(id)) {
    throw new LotseError("address.invalid", "not an address of the form <channel>:<id>");
  }
  return { channel, id };
}

/**
 * The channel part of an address.
 *
 * @example
 * channelOf("web:abc"); // "web"
 */
export function channelOf(address: Address): Channel {
  return parseAddress(address).channel;
}
