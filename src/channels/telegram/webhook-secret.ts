/**
 * The secret Telegram sends back with every webhook call. Every process of
 * one bot must expect the same one (a secret made up at each start would be
 * registered by the last process to start, and the others would answer 401),
 * so it is configured, or derived from the bot token: the same in every
 * process, and not the token itself.
 */
import { createHmac } from "node:crypto";

/** Changing this label changes every derived secret (the leader registers the new one at its next start). */
const label = "lotse/telegram-webhook-secret/v1";

/**
 * `TELEGRAM_WEBHOOK_SECRET` when set, else an HMAC-SHA256 of a fixed label keyed by the token (43 characters of base64url).
 *
 * @example
 * const secret = webhookSecretFor(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_WEBHOOK_SECRET);
 */
export function webhookSecretFor(token: string, configured?: string): string {
  return configured ?? createHmac("sha256", token).update(label).digest("base64url");
}
