/**
 * Structured logs: one JSON object a line (pino), with the time, the level,
 * an event name, its fields and, inside an HTTP request, the request's id.
 * Logs never hold message text, phone numbers, addresses or secrets: callers
 * log addresses as a keyed hash ({@link hashAddress}), stable within a
 * deployment so one person's events can still be followed; fields named like
 * secrets or personal data are replaced by pino's redaction; and text that
 * comes from outside (error messages, platforms' reasons) is scrubbed of
 * tokens, addresses and long numbers before it is written.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac, randomBytes } from "node:crypto";
import { pino } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

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
 * Field paths whose values are never written (pino `redact`): secrets, credentials and personal data.
 * `*.x` covers one level of nesting, which is as deep as Lotse's log fields go.
 */
export const redactedPaths: readonly string[] = [
  ...[
    "token",
    "accessToken",
    "botToken",
    "secret",
    "appSecret",
    "password",
    "authorization",
    "Authorization",
    "cookie",
    "apiKey",
    "phone",
    "phoneNumber",
    "address",
    "addresses",
    "text",
    "note",
    "from",
  ].flatMap((key) => [key, `*.${key}`]),
  'headers["x-telegram-bot-api-secret-token"]',
  'headers["x-hub-signature-256"]',
  "*.headers.authorization",
  "*.headers.cookie",
];

const scrubs: ReadonlyArray<[RegExp, (match: string) => string]> = [
  // A Telegram bot token (bot id, colon, 35 characters), as it appears in Bot API URLs.
  [/(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}/g, () => "<token>"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, (m) => `${m.split(/\s/)[0]} <redacted>`],
  // An address: logged only as its hash, so the same person can still be followed.
  [/\b(?:telegram|whatsapp|web|console):[A-Za-z0-9_+.@-]+/g, (m) => `<address ${hashAddress(m)}>`],
  [/\+\d[\d ()-]{6,}\d/g, () => "<phone>"],
  // Chat ids and phone numbers without "+" are long runs of digits; not an address's hash made of digits only.
  [/(?<!<address )\b\d{9,}\b/g, () => "<number>"],
];

/**
 * Text from outside Lotse (an error's message, a platform's reason) without tokens, addresses or long numbers.
 *
 * @example
 * scrub("403 from whatsapp:4915112345678"); // "403 from <address 3f2a…>"
 */
export function scrub(text: string): string {
  let out = text;
  for (const [pattern, replace] of scrubs) out = out.replace(pattern, replace);
  return out;
}

const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Runs `work` with `requestId` on every log line written while it runs (across awaits).
 *
 * @example
 * await withRequestId("3f9c…", () => next());
 */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return requestScope.run({ requestId }, work);
}

/** The id of the HTTP request being served, if any. */
export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

/** Keys whose text comes from outside and is scrubbed. */
const outsideText = new Set(["reason", "why", "description"]);

/**
 * A logger writing JSON lines to standard error (or to `write`, one line without its newline, which
 * tests use to read what was logged) at or above `level`.
 *
 * @example
 * const log = createLogger("info");
 * log.warn("outbox.retry", { attempt: 2 });
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const destination = { write: (chunk: string) => write(chunk.endsWith("\n") ? chunk.slice(0, -1) : chunk) };
  const options = {
    level,
    base: undefined,
    messageKey: "event",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  const redacting = pino({ ...options, redact: { paths: [...redactedPaths], censor: "[redacted]" } }, destination);
  // The same lines without the redaction pass, for fields that give it nothing to do (see hasNothingToRedact).
  const plain = pino(options, destination);
  const at =
    (lvl: Exclude<LogLevel, "silent">) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      if (!redacting.isLevelEnabled(lvl)) return;
      const safe = safeFields(fields);
      (hasNothingToRedact(safe) ? plain : redacting)[lvl](safe, event);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** The field names a redacted path starts with (`headers` among them); `*.x` paths reach into objects. */
const redactedNames = new Set(
  redactedPaths.filter((path) => !path.startsWith("*")).map((path) => path.split(/[.[]/)[0]),
);

/**
 * True when no redacted path can match: every field a plain value (a string, number, boolean or null)
 * under a name never redacted. The access log's line and most events are such; pino's redaction parses
 * each of its 38 paths again for every line it writes (about 2% of the webhook server's CPU at 500
 * updates a second) to find nothing in them.
 */
function hasNothingToRedact(fields: Record<string, unknown>): boolean {
  for (const key in fields) {
    const value = fields[key];
    if ((typeof value === "object" && value !== null) || typeof value === "function" || redactedNames.has(key))
      return false;
  }
  return true;
}

/** Errors flattened to what helps (message, code, cause) and outside text scrubbed. */
function safeFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === "error" && value instanceof Error) Object.assign(out, errorFields(value));
    else if (value instanceof Error) out[key] = { message: scrub(value.message), ...codeOf(value, "code") };
    else if (typeof value === "string" && outsideText.has(key)) out[key] = scrub(value);
    else out[key] = value;
  }
  return out;
}

function errorFields(error: Error): Record<string, unknown> {
  const cause = error.cause instanceof Error ? error.cause : undefined;
  return {
    error: scrub(error.message),
    ...codeOf(error, "code"),
    ...(cause ? { cause: scrub(cause.message), ...codeOf(cause, "causeCode") } : {}),
  };
}

function codeOf(error: Error, key: string): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return code === undefined || code === null || code === "" ? {} : { [key]: code };
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = createLogger("silent");
