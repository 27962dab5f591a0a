/**
 * Structured logs, one JSON object a line. Logs never hold message text or
 * phone numbers: addresses are replaced by a keyed hash ({@link hashAddress}),
 * stable within a deployment so one person's events can still be followed.
 */
import { createHmac, randomBytes } from "node:crypto";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** A minimal logger. */
export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

let hashKey: Buffer = randomBytes(32);

/** Sets the key for address hashes (from `LOG_HASH_KEY`), so hashes stay the same across restarts. */
export function setLogHashKey(key: string): void {
  hashKey = Buffer.from(key, "utf8");
}

/**
 * A short keyed hash of an address, safe to log.
 *
 * @example
 * logger.info("message.handled", { who: hashAddress(address) });
 */
export function hashAddress(address: string): string {
  return createHmac("sha256", hashKey).update(address).digest("hex").slice(0, 12);
}

/**
 * A logger writing JSON lines to standard error at or above `level`.
 *
 * @example
 * const log = createLogger("info");
 * log.warn("outbox.retry", { attempt: 2 });
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const at =
    (lvl: Exclude<LogLevel, "silent">) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      if (order[lvl] < order[level]) return;
      write(
        JSON.stringify({ time: new Date().toISOString(), level: lvl, event, ...fields, ...errorFields(fields.error) }),
      );
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return {};
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return { error: error.message, ...(code ? { code } : {}), ...(cause ? { cause } : {}) };
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = createLogger("silent");
