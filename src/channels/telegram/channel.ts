/**
 * The Telegram channel: updates in (webhook with a secret, or long polling),
 * replies out through the outbox, the command menu in every language, and the
 * person's reachability kept in step with blocking and unblocking.
 */
import { timingSafeEqual } from "node:crypto";
import { Api, Bot } from "grammy";
import type { Update } from "grammy/types";
import { Hono } from "hono";
import type { App } from "../../app.ts";
import { holdLeadership, type Leadership } from "../../cluster/leadership.ts";
import type { RedisClient } from "../../cluster/redis.ts";
import type { Address } from "../../domain/address.ts";
import { languages } from "../../domain/languages.ts";
import { bodyText } from "../../http/node-body.ts";
import { hashAddress } from "../../log.ts";
import type { ChannelSender } from "../../outbox/channel-sender.ts";
import { isStorageUnavailable, storageCode } from "../../storage/unavailable.ts";
import { callbackIdStore, keyvCallbackIds } from "./callback-ids.ts";
import { parseUpdate } from "./parse.ts";
import { type Polling, startPolling } from "./polling.ts";
import { safeTelegramError } from "./redact.ts";
import type { CallbackIds } from "./render.ts";
import { keepTrying, type Retrying } from "./retrying.ts";
import { telegramRate, telegramSender } from "./sender.ts";
import { untilStored } from "./until-stored.ts";
import { webhookSecretFor } from "./webhook-secret.ts";

/** Telegram settings from the configuration. */
export interface TelegramOptions {
  token: string;
  apiRoot: string;
  /** Set: webhook mode at `PUBLIC_URL/webhooks/telegram`. Unset: long polling. */
  publicUrl?: string | undefined;
  /** `TELEGRAM_WEBHOOK_SECRET`; derived from the token when unset, so every process expects the same one. */
  secret?: string | undefined;
  /** Given: callback tokens are shared through Redis by every process. Else kept in this process's memory. */
  redis?: RedisClient | undefined;
  callbackIds?: CallbackIds;
  /**
   * Where processes agree on who registers the webhook and menus and who polls (one at a time):
   * the app's Postgres. Without a database URL (SQLite) this process always does.
   */
  cluster?: { databaseUrl: string | undefined; pgSchema?: string | undefined } | undefined;
  /** Wait before trying again: taking over leadership, a failed set-up call, a polling conflict. 5 s by default. */
  retryMs?: number;
  /** Messages a second in all (`TELEGRAM_RATE`); Telegram's 30 by default. */
  perSecond?: number;
  /** Broadcasts carry `allow_paid_broadcast` (`TELEGRAM_PAID_BROADCAST`). */
  paidBroadcast?: boolean;
}

/** Each send request ends after this long: shorter than the outbox's send timeout and its lease. */
const sendTimeoutSeconds = 10;

/** A running Telegram channel. */
export interface TelegramChannel {
  sender: ChannelSender;
  /** The webhook route (webhook mode only). */
  routes: Hono | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The update types Lotse reads; everything else is not even sent. */
export const allowedUpdates = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

const commandNames = ["start", "menu", "help", "language", "mydata", "delete", "stop"] as const;

/** A spinner left turning is harmless; a request left open is not. */
const callbackAnswerTimeoutMs = 5_000;

/** Node's AbortSignal, typed as grammY's (it declares a shim's; its client only listens for "abort"). */
const timeoutSignal = (ms: number) => AbortSignal.timeout(ms) as unknown as Parameters<Api["answerCallbackQuery"]>[2];

/**
 * Handles one update: stops the button's spinner, hands the message to the
 * engine, and keeps reachability in step with blocking.
 *
 * @example
 * await handleTelegramUpdate(app, api, ids, update);
 */
export async function handleTelegramUpdate(app: App, api: Api, ids: CallbackIds, update: Update): Promise<void> {
  const event = parseUpdate(update, app.clock.now());
  if (event.kind === "ignored") {
    // Malformed can never be processed: acknowledged (Telegram would retry anything else), but said louder.
    if (event.malformed) return malformed(app, event.reason);
    return app.logger.debug("telegram.ignored", { reason: event.reason });
  }
  if (event.kind === "blocked" || event.kind === "unblocked")
    return setReachable(app, event.address, event.kind === "unblocked");
  if (event.callbackQueryId) {
    // Stops the button's spinner; what the press does comes as a message. Not awaited: with the Bot API slow
    // or hanging, the person's message (and the webhook's answer) must not wait for it.
    void api
      .answerCallbackQuery(event.callbackQueryId, undefined, timeoutSignal(callbackAnswerTimeoutMs))
      .catch((error: unknown) =>
        app.logger.warn("telegram.callback_answer_failed", { error: safeTelegramError(error, api.token) }),
      );
  }
  let inbound = event.inbound;
  if (inbound.kind === "choice") {
    // A token whose entry expired is a stale button: the engine answers it kindly.
    inbound = { ...inbound, choiceId: (await ids.decode(inbound.choiceId)) ?? "expired" };
  }
  await app.engine.handle(inbound);
}

/** An update that can never be processed: logged and counted, then acknowledged by the caller. */
function malformed(app: App, reason: string): void {
  app.metrics.messagesIn.inc({ channel: "telegram", result: "malformed" });
  app.logger.warn("telegram.malformed", { reason });
}

async function setReachable(app: App, address: Address, reachable: boolean): Promise<void> {
  await app.store.transaction(async (tx) => {
    const user = await tx.getUser(address);
    if (!user) return;
    if (!reachable) await tx.updateUser(address, { status: "unreachable" }, app.clock.now());
    else if (user.status === "unreachable") await tx.updateUser(address, { status: "active" }, app.clock.now());
  });
  app.logger.info(reachable ? "telegram.unblocked" : "telegram.blocked", { who: hashAddress(address) });
}

/**
 * Sets the command menu in every language (and English as the default).
 * Telegram takes two-letter ISO 639-1 codes: Dari is listed first, so it
 * serves `fa`; Kurmanji serves `ku`.
 */
export async function setCommands(app: App, api: Api): Promise<void> {
  const commands = (lang: string) =>
    commandNames.map((command) => ({ command, description: app.translator.t(lang, `telegram.commands.${command}`) }));
  await api.setMyCommands(commands("en"));
  const byTelegramCode = new Map<string, string>();
  for (const { code, telegramCode } of languages)
    if (!byTelegramCode.has(telegramCode)) byTelegramCode.set(telegramCode, code);
  for (const [telegramCode, code] of byTelegramCode) {
    await api.setMyCommands(commands(code), {
      language_code: telegramCode as NonNullable<Parameters<Api["setMyCommands"]>[1]>["language_code"],
    });
  }
}

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? "");
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isUpdate(value: unknown): value is Update {
  return (
    typeof value === "object" && value !== null && typeof (value as { update_id?: unknown }).update_id === "number"
  );
}

/**
 * The webhook route: only requests with the right secret header are read.
 *
 * @example
 * http.route("/", telegramWebhookRoutes(app, api, ids, secret));
 */
export function telegramWebhookRoutes(app: App, api: Api, ids: CallbackIds, secret: string): Hono {
  const routes = new Hono();
  routes.post("/webhooks/telegram", async (c) => {
    if (!sameSecret(c.req.header("x-telegram-bot-api-secret-token"), secret)) {
      return c.json({ error: "wrong or missing secret token" }, 401);
    }
    let body: unknown;
    try {
      body = JSON.parse(await bodyText(c));
    } catch {
      body = undefined;
    }
    // From Telegram (the secret matched) but unreadable: it can never be processed, and Telegram retries any
    // answer but 2xx, so it is acknowledged with a log line.
    if (!isUpdate(body)) {
      malformed(app, body === undefined ? "not JSON" : "not a Telegram update");
      return c.json({ ok: true });
    }
    try {
      await handleTelegramUpdate(app, api, ids, body);
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error;
      // Not stored: Telegram sends the update again, and it is processed then like a new one.
      app.logger.error("telegram.storage_unavailable", { error, dbCode: storageCode(error) });
      return c.json({ error: "storage unavailable: send again later" }, 503);
    }
    return c.json({ ok: true });
  });
  return routes;
}

/**
 * Builds the channel in webhook mode (with `publicUrl`) or long-polling mode.
 * Every process serves the webhook and sends; registering the webhook and the
 * command menus, and long polling, run only in the leader.
 *
 * @example
 * const telegram = createTelegramChannel(app, { token, apiRoot, publicUrl, redis, cluster: { databaseUrl } });
 * await telegram.start();
 */
export function createTelegramChannel(app: App, options: TelegramOptions): TelegramChannel {
  const { token } = options;
  const { logger } = app;
  const ids = options.callbackIds ?? keyvCallbackIds(callbackIdStore(options.redis));
  const retryMs = options.retryMs ?? 5_000;
  const bot = new Bot(token, { client: { apiRoot: options.apiRoot } });
  const secret = webhookSecretFor(token, options.secret);
  const url = options.publicUrl ? `${options.publicUrl.replace(/\/+$/, "")}/webhooks/telegram` : undefined;
  if (!url) {
    // grammY's polling moves past an update whose handler failed: one that hit a storage failure is tried again.
    bot.use(untilStored(bot, (update) => handleTelegramUpdate(app, bot.api, ids, update), { logger }));
    bot.catch((error) => logger.error("telegram.update_failed", { error: error.error }));
  }

  /** The once-per-bot set-up: menus, and the webhook in webhook mode. */
  const setUp = async () => {
    await setCommands(app, bot.api);
    if (!url) return;
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...allowedUpdates] });
    logger.info("telegram.webhook_set", { url });
  };
  let setting: Retrying | undefined;
  let polling: Polling | undefined;
  let leadership: Leadership | undefined;
  return {
    // Its own client, so sends time out quickly while long polling keeps its long requests.
    sender: telegramSender(
      new Api(token, { apiRoot: options.apiRoot, timeoutSeconds: sendTimeoutSeconds }),
      ids,
      { ...telegramRate, perSecond: options.perSecond ?? telegramRate.perSecond },
      { paidBroadcast: options.paidBroadcast === true, account: token.split(":")[0] ?? "" },
    ),
    routes: url ? telegramWebhookRoutes(app, bot.api, ids, secret) : undefined,
    async start() {
      leadership = holdLeadership({
        databaseUrl: options.cluster?.databaseUrl,
        pgSchema: options.cluster?.pgSchema,
        // The bot's id, not its token: processes of one bot compete, two bots on one database do not.
        name: `telegram:${token.split(":")[0]}`,
        logger,
        retryMs,
        onGain: async () => {
          setting = keepTrying(setUp, retryMs, (error) =>
            logger.error("telegram.setup_failed", { error: safeTelegramError(error, token), retryInMs: retryMs }),
          );
          await setting.firstTry;
          if (!url) polling = startPolling(bot, { token, logger, allowedUpdates, retryMs });
        },
        onLose: async () => {
          setting?.stop();
          await polling?.stop();
          polling = undefined;
        },
      });
      await leadership.ready;
    },
    async stop() {
      await leadership?.stop();
    },
  };
}
