/**
 * The port every push channel (Telegram, WhatsApp) implements for the outbox:
 * send one message and say plainly what happened, keeping "the platform said
 * no" apart from "try again later".
 */
import type { Address, Channel } from "../domain/address.ts";
import type { Outbound } from "../domain/outbound.ts";

/** What became of one send. */
export type SendResult =
  /** Accepted by the platform; `platformId` matches later delivery and read statuses. */
  | { kind: "sent"; platformId?: string }
  /** Try again: 429 (with the platform's wait), 5xx or a network failure. */
  | { kind: "retry"; reason: string; afterMs?: number }
  /** The person blocked the bot (Telegram 403): stop sending, mark them unreachable. */
  | { kind: "blocked"; reason: string }
  /** The platform refused this message for good (a bad request): record why, go on. */
  | { kind: "failed"; reason: string };

/** How fast a channel may be sent to. */
export interface ChannelRate {
  /** Messages a second to all chats together. */
  perSecond: number;
  /** Least time between two messages to the same chat. */
  perChatIntervalMs: number;
}

/** A push channel as the outbox sees it. */
export interface ChannelSender {
  channel: Channel;
  rate: ChannelRate;
  send(address: Address, outbound: Outbound): Promise<SendResult>;
}
