/**
 * Long polling that does not lose an update when the database fails.
 *
 * grammY's built-in polling (`bot.start()`) asks for the next updates from
 * the id after the last one it handed to the middleware, whether the
 * middleware succeeded or threw: an error caught by `bot.catch` skips the
 * update for good, and without `bot.catch` grammY stops the bot, which
 * confirms it all the same. A webhook answers 503 and Telegram sends the
 * update again; under polling the only way to get it again is not to move
 * on. So an update that hit a storage failure is tried again here, in place,
 * with growing waits, until it is stored: later updates wait behind it, which
 * keeps each person's messages in order (nothing else could be stored anyway).
 *
 * If polling is stopped during the outage (shutdown, lost leadership), grammY
 * confirms the updates up to the last one it handed over. While waiting, that
 * mark is set back to just before this update, so Telegram keeps it for the
 * next poller.
 */
import type { Bot, Context } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../log.ts";
import { isStorageUnavailable, storageCode } from "../../storage/unavailable.ts";

/** Waits between attempts. */
export interface UntilStoredOptions {
  logger: Logger;
  /** The first wait; it doubles up to `maxWaitMs`. 1 s by default. */
  firstWaitMs?: number;
  /** 30 s by default. */
  maxWaitMs?: number;
}

/** grammY's mark of the last update handed to the middleware (a private field, read by `getUpdates` and `stop`). */
interface PollingMark {
  lastTriedUpdateId: number;
}

/**
 * Middleware that runs `handle` for each update and, while it fails because
 * the database is unavailable, tries again instead of moving on.
 *
 * @example
 * bot.use(untilStored(bot, (update) => handleTelegramUpdate(app, bot.api, ids, update), { logger }));
 */
export function untilStored(
  bot: Bot,
  handle: (update: Update) => Promise<void>,
  options: UntilStoredOptions,
): (ctx: Context) => Promise<void> {
  const first = options.firstWaitMs ?? 1_000;
  const max = options.maxWaitMs ?? 30_000;
  const mark = bot as unknown as PollingMark;
  return async (ctx) => {
    const { update_id: id } = ctx.update;
    let wait = first;
    for (let attempt = 1; ; attempt++) {
      try {
        await handle(ctx.update);
        // Stored: grammY may confirm it now (it set the mark to this update before calling us).
        if (mark.lastTriedUpdateId < id) mark.lastTriedUpdateId = id;
        return;
      } catch (error) {
        if (!isStorageUnavailable(error)) throw error;
        // Until this update is stored, a stop must not confirm it.
        mark.lastTriedUpdateId = Math.min(mark.lastTriedUpdateId, id - 1);
        if (!bot.isRunning()) throw error;
        options.logger.warn("telegram.storage_unavailable", { attempt, retryInMs: wait, dbCode: storageCode(error) });
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, max);
      }
    }
  };
}
