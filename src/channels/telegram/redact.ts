/**
 * Keeping the bot token out of logs and errors. grammY puts the request URL,
 * which holds the token (`/bot<token>/getMe`), into the message of a network
 * error's inner error, and Node prints that inner error with the outer one.
 */
import { GrammyError, HttpError } from "grammy";
import { LotseError } from "../../domain/errors.ts";

/**
 * `text` with every occurrence of the token (and of its secret half) replaced.
 *
 * @example
 * redactToken("GET /bot123:ABC/getMe", "123:ABC"); // "GET /bot<token>/getMe"
 */
export function redactToken(text: string, token: string): string {
  const secretHalf = token.slice(token.indexOf(":") + 1);
  let out = text.split(token).join("<token>");
  if (secretHalf.length >= 8) out = out.split(secretHalf).join("<token>");
  return out;
}

/**
 * A Bot API failure as a {@link LotseError} safe to log or throw: the code says
 * whether the API answered (`channel.api`) or the network failed
 * (`channel.network`); the cause keeps only redacted text, never the original
 * error with its URL.
 *
 * @example
 * logger.warn("telegram.polling_failed", { error: safeTelegramError(error, token) });
 */
export function safeTelegramError(error: unknown, token: string): LotseError {
  const inner = error instanceof HttpError ? error.error : error instanceof Error ? error.cause : undefined;
  const cause = inner === undefined ? undefined : new Error(redactToken(messageOf(inner), token));
  const code = error instanceof HttpError ? "channel.network" : "channel.api";
  const message = error instanceof GrammyError ? error.message : `Telegram: ${messageOf(error)}`;
  return new LotseError(code, redactToken(message, token), cause ? { cause } : undefined);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
