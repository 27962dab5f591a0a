/**
 * One line for an operator when Lotse cannot start: the variable to look at
 * and the cause underneath (the socket error, the database's refusal), never
 * a password or token. A stack trace or "migration (unknown) failed" sends
 * people searching; `DATABASE_URL: cannot connect to 127.0.0.1:5999
 * (ECONNREFUSED)` tells them what to fix.
 */
import { isLotseError } from "../domain/errors.ts";
import { scrub } from "../log.ts";

/** The variables whose values are secrets: never printed, whatever message they end up in. */
const secretVariables = [
  "TELEGRAM_BOT_TOKEN",
  "TELEGRAM_WEBHOOK_SECRET",
  "WHATSAPP_TOKEN",
  "WHATSAPP_APP_SECRET",
  "WHATSAPP_VERIFY_TOKEN",
  "ADMIN_TOKEN",
  "LOG_HASH_KEY",
  "RESEARCH_HASH_KEY",
];

type Env = Record<string, string | undefined>;

/** A system or driver error somewhere in a chain of causes. */
interface CodedError extends Error {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

/**
 * A URL with its password replaced by `***` (unparseable: only its scheme).
 *
 * @example
 * maskUrl("postgres://lotse:hunter2@db:5432/lotse"); // "postgres://lotse:***@db:5432/lotse"
 */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return `${raw.split(":")[0] ?? ""}://…`;
  }
}

/**
 * `text` without the secrets in `env` (tokens, URL passwords) and without anything `scrub` removes.
 *
 * @example
 * maskSecrets("401 for 123456:ABC…", process.env);
 */
export function maskSecrets(text: string, env: Env): string {
  let out = text;
  const secrets = secretVariables.map((name) => env[name]);
  for (const name of ["DATABASE_URL", "REDIS_URL"]) {
    const raw = env[name];
    if (!raw) continue;
    try {
      const password = new URL(raw).password;
      secrets.push(password, decodeURIComponent(password));
    } catch {
      secrets.push(raw);
    }
  }
  for (const secret of secrets) if (secret && secret.length >= 3) out = out.split(secret).join("***");
  // A password in any URL that appears (a driver may print its connection string).
  out = out.replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]+@/g, "$1***@");
  return scrub(out);
}

/** The errors in `error`'s chain of causes (and inside AggregateErrors), outermost first. */
function chainOf(error: unknown): CodedError[] {
  const chain: CodedError[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    chain.push(current as CodedError);
    current = current instanceof AggregateError && current.errors.length > 0 ? current.errors[0] : current.cause;
  }
  return chain;
}

/** The innermost error with a code: the socket's or the database's own answer. */
function rootCause(error: unknown): CodedError | undefined {
  return chainOf(error)
    .reverse()
    .find((e) => typeof e.code === "string");
}

function hostOf(raw: string | undefined): { host: string; port: string; database: string; user: string } {
  try {
    const url = new URL(raw ?? "");
    return {
      host: url.hostname,
      port: url.port || "5432",
      database: decodeURIComponent(url.pathname.slice(1)),
      user: decodeURIComponent(url.username),
    };
  } catch {
    return { host: "?", port: "?", database: "?", user: "?" };
  }
}

/** What went wrong between us and a server, in words, ending with the code. */
function networkCause(cause: CodedError, host: string, port: string): string | undefined {
  switch (cause.code) {
    case "ECONNREFUSED":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ECONNRESET":
      return `cannot connect to ${cause.address ?? host}:${cause.port ?? port} (${cause.code})`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve the host "${cause.hostname ?? host}" (${cause.code})`;
    default:
      return undefined;
  }
}

/** Postgres' answers at connection time, by SQLSTATE. */
function postgresCause(cause: CodedError, where: ReturnType<typeof hostOf>): string | undefined {
  switch (cause.code) {
    case "3D000":
      return `the database "${where.database}" does not exist on ${where.host}:${where.port} (3D000)`;
    case "28P01":
      return `password authentication failed for user "${where.user}" (28P01)`;
    case "28000":
      return `the server refuses user "${where.user}" (28000: ${cause.message})`;
    case "42501":
      return `user "${where.user}" lacks a right the migrations need (42501: ${cause.message})`;
    default:
      return undefined;
  }
}

function databaseLine(error: unknown, env: Env): string {
  const cause = rootCause(error);
  if (!env.DATABASE_URL) {
    // SQLite: the file lives in DATA_DIR.
    const detail = cause ? `${cause.message} (${cause.code})` : messageOf(error);
    return `DATA_DIR: cannot use the SQLite database in ${env.DATA_DIR ?? "./data"}: ${detail}`;
  }
  const where = hostOf(env.DATABASE_URL);
  const detail =
    (cause && (networkCause(cause, where.host, where.port) ?? postgresCause(cause, where))) ??
    (cause ? `${cause.message} (${cause.code})` : messageOf(error));
  return `DATABASE_URL: ${detail}`;
}

function redisLine(error: unknown, env: Env): string {
  const cause = rootCause(error);
  const where = hostOf(env.REDIS_URL);
  const detail = (cause && networkCause(cause, where.host, where.port || "6379")) ?? messageOf(error);
  return `REDIS_URL: ${detail}`;
}

function messageOf(error: unknown): string {
  const cause = rootCause(error);
  const message = error instanceof Error ? error.message : String(error);
  return cause && cause !== error ? `${message}: ${cause.message} (${cause.code})` : message;
}

/**
 * The one line (or, for several bad variables, one line each) to print when
 * the start fails: the variable to fix and the cause, secrets masked.
 *
 * @example
 * main().catch((error) => { console.error(describeStartupError(error, process.env)); process.exit(1) });
 */
export function describeStartupError(error: unknown, env: Env): string {
  let line: string;
  if (isLotseError(error, "config.invalid")) line = error.message;
  else if (isLotseError(error, "redis.unreachable")) line = redisLine(error, env);
  else if (isLotseError(error, "storage.failed") || isLotseError(error, "storage.unavailable"))
    line = databaseLine(error, env);
  else if (isLotseError(error)) line = error.message;
  else line = `Lotse could not start: ${messageOf(error)}`;
  return maskSecrets(line, env);
}
