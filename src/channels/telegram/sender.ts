/**
 * Sending through the Bot API for the outbox, with the platform's answers
 * kept apart: 429 means wait `retry_after`, 5xx and network failures mean
 * try again, 403 means the person blocked the bot, other 4xx mean this
 * message can never be sent.
 */
import { type Api, GrammyError, HttpError } from "grammy";
import { parseAddress } from "../../domain/address.ts";
import { isLotseError } from "../../domain/errors.ts";
import type { ChannelRate, ChannelSender, SendResult } from "../../outbox/channel-sender.ts";
import { type CallbackIds, renderForTelegram, type TelegramCall } from "./render.ts";

/**
 * Telegram's documented rates: about 30 messages a second in all, 1 a second to one chat, 20 a
 * minute to one group (groups have negative chat ids).
 */
export const telegramRate: ChannelRate = {
  perSecond: 30,
  perChatIntervalMs: 1000,
  perGroupIntervalMs: 3000,
  isGroup: (address) => parseAddress(address).id.startsWith("-"),
};

/** What the Telegram sender may do beyond sending. */
export interface TelegramSenderOptions {
  /**
   * Broadcasts carry `allow_paid_broadcast`: Telegram then allows up to 1,000 messages a second and
   * charges Stars for those above the free limit (the operator turns this on, and the rate with it).
   */
  paidBroadcast?: boolean;
  /** The bot's id (the token up to its colon): processes of one bot share its ceilings, two bots do not. */
  account?: string;
}

type RawCall = (payload: Record<string, unknown>) => Promise<{ message_id?: number }>;

async function call(api: Api, { method, payload }: TelegramCall): Promise<{ message_id?: number }> {
  const raw = api.raw as unknown as Record<TelegramCall["method"], RawCall>;
  return raw[method](payload);
}

/**
 * What a failed call means for the outbox.
 *
 * @example
 * classifyTelegramError(new GrammyError(...429...)); // { kind: "retry", afterMs: 3000, ... }
 */
export function classifyTelegramError(error: unknown): SendResult {
  if (error instanceof GrammyError) {
    const reason = `${error.error_code} ${error.description}`;
    if (error.error_code === 429) return { kind: "retry", reason, afterMs: (error.parameters.retry_after ?? 1) * 1000 };
    if (error.error_code === 403) return { kind: "blocked", reason };
    if (error.error_code >= 500) return { kind: "retry", reason };
    return { kind: "failed", reason };
  }
  if (error instanceof HttpError) return { kind: "retry", reason: `network: ${error.message}` };
  // Neither the API's answer nor the network: a local refusal, which retrying cannot cure.
  return {
    kind: "failed",
    reason: `refused before sending: ${error instanceof Error ? error.message : String(error)}`,
  };
}

/**
 * The Telegram channel sender.
 *
 * @example
 * new OutboxSender(store, [telegramSender(bot.api, callbackIds)], clock, logger).start();
 */
export function telegramSender(
  api: Api,
  ids: CallbackIds,
  rate: ChannelRate = telegramRate,
  options: TelegramSenderOptions = {},
): ChannelSender {
  return {
    channel: "telegram",
    ...(options.account ? { account: options.account } : {}),
    rate,
    async send(address, outbound, sendOptions) {
      let calls: TelegramCall[];
      try {
        calls = await renderForTelegram(parseAddress(address).id, outbound, ids);
      } catch (error) {
        // The shared callback token store (Redis) is away: nothing was sent, try again later.
        if (isLotseError(error, "redis.unreachable")) return { kind: "retry", reason: error.message };
        throw error;
      }
      const paid = options.paidBroadcast === true && outbound.purpose === "broadcast";
      let last: { message_id?: number } = {};
      // A retry resumes after the parts Telegram already accepted: a long text is never sent twice in part.
      let part = Math.min(sendOptions?.fromPart ?? 0, calls.length - 1);
      try {
        for (; part < calls.length; part++) {
          const c = calls[part] as TelegramCall;
          last = await call(api, paid ? { ...c, payload: { ...c.payload, allow_paid_broadcast: true } } : c);
        }
      } catch (error) {
        const result = classifyTelegramError(error);
        return result.kind === "retry" || result.kind === "failed" ? { ...result, partsSent: part } : result;
      }
      return {
        kind: "sent",
        ...(last.message_id !== undefined ? { platformId: `${parseAddress(address).id}:${last.message_id}` } : {}),
      };
    },
  };
}
