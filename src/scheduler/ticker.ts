/**
 * The embedded default's clock tick: every five seconds, run what is due, so
 * a broadcast sent "now" starts within seconds (a tick with nothing due costs
 * well under a millisecond: one index lookup). A tick
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
 * Starts the five-second tick.
 *
 * @example
 * const ticker = startTicker(scheduler, systemClock, logger);
 * process.once("SIGTERM", () => ticker.stop());
 */
export function startTicker(scheduler: Scheduler, clock: Clock, logger: Logger): Ticker {
  let running = false;
  const task = cron.schedule("*/5 * * * * *", async () => {
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
