/**
 * The push channels the configuration turns on: Telegram with a bot token,
 * WhatsApp with its Cloud API credentials. Each brings its webhook routes (if
 * any) and its outbox sender.
 */
import type { Hono } from "hono";
import type { App } from "../app.ts";
import type { RedisClient } from "../cluster/redis.ts";
import type { Config } from "../config.ts";
import type { ChannelSender } from "../outbox/channel-sender.ts";
import { createTelegramChannel } from "./telegram/channel.ts";
import { createWhatsAppChannel } from "./whatsapp/channel.ts";

/** A push channel as the server runs it. */
export interface PushChannel {
  sender: ChannelSender;
  routes: Hono | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What processes share when several serve one bot. */
export interface SharedResources {
  /** `REDIS_URL`'s client: callback tokens live there, so any process can read any button. */
  redis?: RedisClient | undefined;
}

/**
 * The configured push channels (none without tokens: then the local web chat serves).
 *
 * @example
 * const channels = pushChannelsFrom(config, app, { redis: redis?.client });
 */
export function pushChannelsFrom(config: Config, app: App, shared: SharedResources = {}): PushChannel[] {
  const channels: PushChannel[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    channels.push(
      createTelegramChannel(app, {
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        publicUrl: config.PUBLIC_URL,
        // Unset: derived from the token, the same in every process (see telegram/webhook-secret.ts).
        secret: config.TELEGRAM_WEBHOOK_SECRET,
        redis: shared.redis,
        // Webhook registration, command menus and long polling: one process at a time, agreed on Postgres.
        cluster: { databaseUrl: config.DATABASE_URL, pgSchema: config.DATABASE_SCHEMA },
        perSecond: config.TELEGRAM_RATE,
        paidBroadcast: config.TELEGRAM_PAID_BROADCAST === "on",
      }),
    );
  }
  if (config.WHATSAPP_TOKEN) {
    channels.push(
      createWhatsAppChannel(app, {
        token: config.WHATSAPP_TOKEN,
        phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID ?? "",
        appSecret: config.WHATSAPP_APP_SECRET ?? "",
        verifyToken: config.WHATSAPP_VERIFY_TOKEN ?? "",
        apiUrl: config.WHATSAPP_API_URL,
        apiVersion: config.WHATSAPP_API_VERSION,
        rate: { perSecond: config.WHATSAPP_RATE, perChatIntervalMs: 1000 },
        templates: {
          nudge: config.WHATSAPP_TEMPLATE_NUDGE,
          reminder: config.WHATSAPP_TEMPLATE_REMINDER,
          broadcast: config.WHATSAPP_TEMPLATE_BROADCAST,
          notice: config.WHATSAPP_TEMPLATE_NOTICE,
        },
      }),
    );
  }
  return channels;
}
