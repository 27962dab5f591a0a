/**
 * Long polling that survives what the Bot API answers: grammY's `bot.start()`
 * rejects on 409 Conflict (another process polls with the same token, or a
 * webhook is set) and on 401; left alone that is an unhandled rejection and
 * the bot goes deaf. Here it is logged (without the token) and polling starts
 * again after a wait. Only the leader polls (see src/cluster/leadership.ts),
 * so a 409 means someone outside this deployment uses the token too, or the
 * previous leader's last request is still open.
 */
import { type Bot, GrammyError } from "grammy";
import type { Logger } from "../../log.ts";
import { safeTelegramError } from "./redact.ts";
import { createPause } from "./retrying.ts";

const stopWaitMs = 5_000;

/** What polling needs besides the bot. */
export interface PollingOptions {
  token: string;
  logger: Logger;
  allowedUpdates: readonly string[];
  /** Wait after a failed start or a conflict before polling again. */
  retryMs: number;
}

/** Polling in progress. */
export interface Polling {
  stop(): Promise<void>;
}

/**
 * Starts long polling and keeps it going until stopped.
 *
 * @example
 * const polling = startPolling(bot, { token, logger, allowedUpdates: ["message"], retryMs: 5_000 });
 * await polling.stop();
 */
export function startPolling(bot: Bot, options: PollingOptions): Polling {
  const { logger, token } = options;
  const pause = createPause();
  void (async () => {
    while (!pause.stopped) {
      try {
        await bot.start({
          allowed_updates: options.allowedUpdates as never,
          onStart: () => logger.info("telegram.polling"),
        });
      } catch (error) {
        if (pause.stopped) break;
        const safe = safeTelegramError(error, token);
        if (error instanceof GrammyError && error.error_code === 409) {
          logger.warn("telegram.polling_conflict", {
            error: safe,
            hint: "another process polls with this bot token, or a webhook is set; polling again after a wait",
            retryInMs: options.retryMs,
          });
        } else {
          logger.error("telegram.polling_failed", { error: safe, retryInMs: options.retryMs });
        }
      }
      await pause.wait(options.retryMs);
    }
  })();
  return {
    async stop() {
      pause.stop();
      // Confirms the last offset with one more getUpdates, which can fail (409, network): nothing is lost then,
      // Telegram sends the unconfirmed updates again to the next poller.
      // Bounded: with the API hanging, that request would otherwise hold the shutdown for minutes.
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, stopWaitMs);
      });
      await Promise.race([
        bot
          .stop()
          .catch((error: unknown) =>
            logger.warn("telegram.polling_stop_failed", { error: safeTelegramError(error, token) }),
          ),
        bound,
      ]);
      clearTimeout(timer);
    },
  };
}
