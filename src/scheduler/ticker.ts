/**
 * The embedded default's clock tick: every minute, run what is due. A tick
 * that is still running when the next minute starts is not started twice.
 */
import cron from "node-cron";
import type { Clock } from "../domain/clock.ts";
import type { Logger } from "../log.ts";
import type { Scheduler } from "./scheduler.ts";

/** A running ticker. */
export interface Ticker {
  stop(): void;
}

/**
 * Starts the minute tick.
 *
 * @example
 * const ticker = startTicker(scheduler, systemClock, logger);
 * process.once("SIGTERM", () => ticker.stop());
 */
export function startTicker(scheduler: Scheduler, clock: Clock, logger: Logger): Ticker {
  let running = false;
  const task = cron.schedule("* * * * *", async () => {
    if (running) return;
    running = true;
    try {
      const report = await scheduler.runDue(clock.now());
      if (report.ran + report.failed > 0) logger.info("scheduler.tick", { ...report });
    } catch (error) {
      logger.error("scheduler.tick_failed", { error });
    } finally {
      running = false;
    }
  });
  return { stop: () => void task.stop() };
}
