/**
 * The port every push channel (Telegram, WhatsApp) implements for the outbox:
 * send one message and say plainly what happened, keeping "the platform said
 * no" apart from "try again later".
 */
import type { Address, Channel } from "../domain/address.ts";
import type { Outbound } from "../domain/outbound.ts";

/** What became of one send. `partsSent` counts parts of a multi-part message the platform accepted. */
export type SendResult =
  /** Accepted by the platform; `platformId` matches later delivery and read statuses. */
  | { kind: "sent"; platformId?: string }
  /**
   * Try again: 429 (with the platform's wait), 5xx, a timeout or a network failure. `scope: "chat"`
   * means only this chat must wait (WhatsApp's pair rate limit); otherwise the whole channel does.
   */
  | { kind: "retry"; reason: string; afterMs?: number; scope?: "chat" | "channel"; partsSent?: number }
  /** The person blocked the bot (Telegram 403): stop sending, mark them unreachable. */
  | { kind: "blocked"; reason: string }
  /** The platform refused this message for good (a bad request): record why, go on. */
  | { kind: "failed"; reason: string; partsSent?: number };

/** How fast a channel may be sent to: the platform's ceilings. */
export interface ChannelRate {
  /** Messages a second to all chats together. */
  perSecond: number;
  /** Least time between two messages to the same chat. */
  perChatIntervalMs: number;
  /** Least time between two messages to a group chat (Telegram: 20 a minute), where groups exist. */
  perGroupIntervalMs?: number;
  /** Whether an address is a group chat (Telegram: a negative chat id). */
  isGroup?: (address: Address) => boolean;
}

/** Where a send starts: a retry of a multi-part message resumes after the parts already accepted. */
export interface SendOptions {
  fromPart: number;
}

/** A push channel as the outbox sees it. */
export interface ChannelSender {
  channel: Channel;
  /** Which bot or number of the channel (Telegram's bot id, WhatsApp's phone number id): ceilings are per account. */
  account?: string;
  rate: ChannelRate;
  send(address: Address, outbound: Outbound, options?: SendOptions): Promise<SendResult>;
}
