/**
 * Configuration from environment variables, validated once at start. A bad
 * value stops the start with a message naming the variable and what it
 * expects; an empty variable counts as unset. `.env.example` lists them all.
 */
import { z } from "zod";
import { isTimeZone } from "./domain/cities.ts";
import { LotseError } from "./domain/errors.ts";

const emptyAsUnset = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUnset, schema.optional());
// `prefault`, not `default`: zod 4's default skips the schema, so a transformed default (QUIET_HOURS
// "21-8") would reach the app as the raw string, and nudges would ignore quiet hours.
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess(emptyAsUnset, schema.prefault(fallback as never));

const schema = z.object({
  NODE_ENV: withDefault(z.enum(["development", "production", "test"]), "development"),
  PORT: withDefault(z.coerce.number().int().min(1).max(65535), 3000),
  HOST: withDefault(z.string(), "127.0.0.1"),
  DATA_DIR: withDefault(z.string(), "./data"),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL")),
  DATABASE_SCHEMA: optional(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "a lower-case Postgres schema name")),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, "a redis:// or rediss:// URL")),
  LOG_LEVEL: withDefault(z.enum(["debug", "info", "warn", "error", "silent"]), "info"),
  LOG_HASH_KEY: optional(z.string().min(16, "at least 16 characters")),
  // The research export's pseudonyms: the same person gets the same code only under the same key.
  RESEARCH_HASH_KEY: optional(z.string().min(16, "at least 16 characters (use a long random string)")),
  DEFAULT_TIME_ZONE: withDefault(
    z.string().refine(isTimeZone, "an IANA time zone such as Europe/Berlin"),
    "Europe/Berlin",
  ),
  WEB_CHAT: withDefault(z.enum(["auto", "on", "off"]), "auto"),
  PUBLIC_URL: optional(z.url({ protocol: /^https?$/ }).describe("the public https address of this server")),
  TELEGRAM_BOT_TOKEN: optional(
    z.string().regex(/^\d{5,}:[A-Za-z0-9_-]{30,}$/, "a bot token from BotFather, such as 123456:ABC..."),
  ),
  // Only for links: the join links of a class (https://t.me/<username>?start=...).
  TELEGRAM_BOT_USERNAME: optional(
    z.string().regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/, "the bot's username such as LotseBot"),
  ),
  TELEGRAM_WEBHOOK_SECRET: optional(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "1 to 256 of A-Z a-z 0-9 _ -")),
  TELEGRAM_API_ROOT: withDefault(z.url({ protocol: /^https?$/ }), "https://api.telegram.org"),
  WHATSAPP_TOKEN: optional(z.string().min(20, "a WhatsApp Cloud API access token")),
  WHATSAPP_PHONE_NUMBER_ID: optional(
    z.string().regex(/^\d{5,20}$/, "the numeric phone number id from Meta's app dashboard"),
  ),
  WHATSAPP_APP_SECRET: optional(z.string().min(16, "the app secret from Meta's app dashboard")),
  WHATSAPP_VERIFY_TOKEN: optional(z.string().min(8, "a string of your choice, at least 8 characters")),
  WHATSAPP_API_URL: withDefault(z.url({ protocol: /^https?$/ }), "https://graph.facebook.com"),
  WHATSAPP_API_VERSION: withDefault(z.string().regex(/^v\d+\.\d+$/, "a Graph API version such as v24.0"), "v24.0"),
  // Only for links: the number people write to, for click-to-chat join links (https://wa.me/<number>).
  WHATSAPP_NUMBER: optional(
    z
      .string()
      .regex(
        /^\+?[0-9 ]{8,20}$/,
        "the WhatsApp number with its country code: digits, a leading + and spaces only, 8 to 20 of them",
      ),
  ),
  WHATSAPP_RATE: withDefault(z.coerce.number().int().min(1).max(1000), 80),
  TELEGRAM_RATE: withDefault(z.coerce.number().int().min(1).max(1000), 30),
  TELEGRAM_PAID_BROADCAST: withDefault(z.enum(["on", "off"]), "off"),
  BULK_SHARE: withDefault(z.coerce.number().min(0.1).max(0.99), 0.98),
  WHATSAPP_TEMPLATE_NUDGE: optional(z.string().regex(/^[a-z0-9_]{1,512}$/, "a template name (lower case, digits, _)")),
  WHATSAPP_TEMPLATE_REMINDER: optional(
    z.string().regex(/^[a-z0-9_]{1,512}$/, "a template name (lower case, digits, _)"),
  ),
  WHATSAPP_TEMPLATE_BROADCAST: optional(
    z.string().regex(/^[a-z0-9_]{1,512}$/, "a template name (lower case, digits, _)"),
  ),
  WHATSAPP_TEMPLATE_NOTICE: optional(z.string().regex(/^[a-z0-9_]{1,512}$/, "a template name (lower case, digits, _)")),
  WHATSAPP_TEMPLATE_AUTH: optional(z.string().regex(/^[a-z0-9_]{1,512}$/, "a template name (lower case, digits, _)")),
  ADMIN_TOKEN: optional(z.string().min(16, "at least 16 characters (use a long random string)")),
  METRICS_TOKEN: optional(z.string().min(16, "at least 16 characters (use a long random string)")),
  // Named to people in the referral consent and in every counsellor's message, so it must be who they can trust.
  ORG_NAME: withDefault(z.string().trim().min(1).max(60, "at most 60 characters"), "Lotse"),
  // How long an archived class keeps its learners' links (then only its counts stay), in days.
  CLASS_KEEP_DAYS: withDefault(z.coerce.number().int().min(0).max(3650), 90),
  STAFF_ADDRESSES: optional(
    z.string().regex(/^[^\s]+(,\s*[^\s]+)*$/, "comma-separated addresses such as telegram:123=counsellor"),
  ),
  QUIET_HOURS: withDefault(
    z
      .string()
      .regex(/^([01]?\d|2[0-3])-([01]?\d|2[0-3])$/, "two hours as START-END, such as 21-8")
      .transform((v) => {
        const [start, end] = v.split("-").map(Number);
        return { start: start ?? 21, end: end ?? 8 };
      }),
    "21-8",
  ),
});

/** WhatsApp needs all four of its credentials together. */
const checked = schema.superRefine((config, ctx) => {
  if (!config.WHATSAPP_TOKEN) return;
  for (const name of ["WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"] as const) {
    if (!config[name]) ctx.addIssue({ code: "custom", path: [name], message: "required when WHATSAPP_TOKEN is set" });
  }
});

/** The validated configuration. */
export type Config = z.infer<typeof checked>;

/**
 * Reads and validates the configuration; throws `config.invalid` naming every bad variable.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = checked.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "?");
    return `${name}: ${describe(issue)} (got ${shown(name, env[name] ?? "")})`;
  });
  throw new LotseError("config.invalid", `invalid configuration:\n  ${lines.join("\n  ")}`);
}

/** A bad value as the error shows it: a secret only by its length, a URL without its password. */
function shown(name: string, value: string): string {
  if (/TOKEN|SECRET|KEY|PASSWORD/.test(name)) return `${value.length} characters, not shown`;
  return JSON.stringify(value.replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]+@/g, "$1***@"));
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value" && "values" in issue) return `expected one of ${issue.values.join(", ")}`;
  if (issue.code === "invalid_type") return `expected ${issue.expected}`;
  return issue.message;
}

/** The SQLite file inside the data folder. */
export function sqlitePathFor(config: Pick<Config, "DATA_DIR">): string {
  return `${config.DATA_DIR.replace(/\/+$/, "")}/lotse.db`;
}
