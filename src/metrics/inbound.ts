/**
 * Counting inbound messages by channel and result without touching the
 * engine or the channels: the app builds a {@link CountedEngine} (an engine
 * that counts what `handle` did) and gives the channels a logger that counts
 * the malformed updates they log ({@link countingMalformed}). A flow's own
 * failure is apologised for inside the engine and resolves like a handled
 * message; the engine's "engine.failed" log line, written inside that same
 * `handle` call, marks it failed.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Inbound } from "../domain/inbound.ts";
import { Engine, type EngineOptions, type HandleResult } from "../engine/engine.ts";
import type { Logger } from "../log.ts";
import type { InboundResult, Metrics } from "./metrics.ts";

/** The engine's log event for a flow that threw (the person got an apology). */
const flowFailedEvent = "engine.failed";

const handling = new AsyncLocalStorage<{ failed: boolean }>();

/**
 * The engine, counting each message it is given in `lotse_messages_in_total`.
 *
 * @example
 * const engine = new CountedEngine({ store, registry, translator, clock, logger, defaultTimeZone }, metrics);
 */
export class CountedEngine extends Engine {
  constructor(
    options: EngineOptions,
    private readonly metrics: Metrics,
  ) {
    super({ ...options, logger: markingFlowFailures(options.logger) });
  }

  override async handle(inbound: Inbound): Promise<HandleResult> {
    const seen = { failed: false };
    let result: InboundResult = "failed";
    try {
      const handled = await handling.run(seen, () => super.handle(inbound));
      result = seen.failed ? "failed" : handled.duplicate ? "duplicate" : "handled";
      return handled;
    } finally {
      // Not parseAddress: counting must never throw in place of the real result.
      this.metrics.messagesIn.inc({ channel: inbound.address.split(":")[0] ?? "unknown", result });
    }
  }
}

function markingFlowFailures(logger: Logger): Logger {
  return {
    ...logger,
    error(event, fields) {
      if (event === flowFailedEvent) {
        const seen = handling.getStore();
        if (seen) seen.failed = true;
      }
      logger.error(event, fields);
    },
  };
}

/**
 * A logger that also counts the malformed updates the channels log (acknowledged, never processed):
 * Telegram's "telegram.ignored" with a malformed reason (or "telegram.malformed"), and each
 * message part WhatsApp's "whatsapp.malformed" names (one for a body that is not a webhook at all).
 *
 * @example
 * const logger = countingMalformed(createLogger("info"), metrics);
 */
export function countingMalformed(logger: Logger, metrics: Metrics): Logger {
  const count = (event: string, fields: Record<string, unknown> | undefined) => {
    const n = malformedIn(event, fields ?? {});
    if (n > 0) metrics.messagesIn.inc({ channel: event.split(".")[0] ?? "unknown", result: "malformed" }, n);
  };
  return {
    debug(event, fields) {
      count(event, fields);
      logger.debug(event, fields);
    },
    info(event, fields) {
      count(event, fields);
      logger.info(event, fields);
    },
    warn(event, fields) {
      count(event, fields);
      logger.warn(event, fields);
    },
    error(event, fields) {
      count(event, fields);
      logger.error(event, fields);
    },
  };
}

/** How many malformed messages a log line reports. */
function malformedIn(event: string, fields: Record<string, unknown>): number {
  if (event === "telegram.malformed") return 1;
  if (event === "telegram.ignored") {
    return fields.malformed === true || String(fields.reason ?? "").startsWith("malformed") ? 1 : 0;
  }
  if (event !== "whatsapp.malformed") return 0;
  if (!Array.isArray(fields.parts)) return 1;
  // Statuses are not messages in; "message 2: from missing" and its kind are.
  return fields.parts.filter((part) => typeof part === "string" && part.startsWith("message")).length;
}
