/**
 * Stopping on SIGTERM or SIGINT without losing work: `/readyz` turns 503, the
 * server stops accepting connections and lets the requests in flight (a
 * webhook being stored) finish, then the rest stops in order, within a bound
 * (a supervisor kills after its own grace period, 10 s in Docker). Past the
 * bound it exits 1 with a line naming the step that hung.
 */
import type { Server } from "node:http";
import type { Readiness } from "../http/readiness.ts";
import type { Logger } from "../log.ts";

/** One thing to stop, named for the log line if it hangs. */
export interface StopStep {
  name: string;
  run(): unknown;
}

/** What `stopGracefully` stops. */
export interface StopPlan {
  server: Server;
  readiness: Readiness;
  logger: Logger;
  /** Stopped together with closing the server: what brings new work in another way (long polling, the minute tick). */
  intake: StopStep[];
  /** Then, one after another: what finishes work in flight (the outbox sender), then connections (Redis, the database). */
  afterwards: StopStep[];
  /** The bound for everything; 8 s by default, inside Docker's 10 s grace. */
  timeoutMs?: number;
}

/** Stops accepting connections and waits for the open ones; kept-alive idle ones are closed as they become idle. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Drains and stops; resolves `true` when everything stopped within the bound.
 *
 * @example
 * const clean = await stopGracefully({ server, readiness, logger, intake: [], afterwards: [{ name: "database", run: () => app.close() }] });
 * process.exit(clean ? 0 : 1);
 */
export async function stopGracefully(plan: StopPlan): Promise<boolean> {
  const { server, readiness, logger } = plan;
  const timeoutMs = plan.timeoutMs ?? 8_000;
  let current = "http";
  readiness.markDraining();
  logger.info("server.draining", { timeoutMs });
  const work = (async () => {
    await Promise.all([closeServer(server), ...plan.intake.map(async (step) => step.run())]);
    for (const step of plan.afterwards) {
      current = step.name;
      await step.run();
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const outcome = await Promise.race([work.then(() => "done" as const), bound]);
    if (outcome === "timeout") {
      logger.error("server.stop_timeout", { timeoutMs, waitingFor: current });
      server.closeAllConnections();
      return false;
    }
  } catch (error) {
    logger.error("server.stop_failed", { step: current, error });
    return false;
  } finally {
    clearTimeout(timer);
  }
  logger.info("server.stopped");
  return true;
}

/**
 * Runs `stop` on the first SIGTERM or SIGINT and exits 0 or 1 by its outcome; a second signal exits 1 at once
 * (an operator pressing Ctrl-C twice does not want to wait).
 *
 * @example
 * exitOnStopSignal(logger, () => stopGracefully(plan));
 */
export function exitOnStopSignal(logger: Logger, stop: () => Promise<boolean>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn("server.stop_forced", { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info("server.signal", { signal });
    void stop().then((clean) => process.exit(clean ? 0 : 1));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
