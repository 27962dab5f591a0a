/**
 * Callback data for choice ids longer than Telegram's 64 bytes: a short
 * random token stored in Keyv with a time-to-live (in memory by default,
 * shared through Redis when several processes serve one bot, so a button
 * sent by one process can be pressed in a chat whose update reaches another).
 * Ids that fit are sent as they are, so almost nothing is stored.
 */
import { randomBytes } from "node:crypto";
import KeyvRedis from "@keyv/redis";
import Keyv from "keyv";
import type { RedisClient } from "../../cluster/redis.ts";
import { LotseError } from "../../domain/errors.ts";
import { type CallbackIds, fitsCallbackData } from "./render.ts";

const thirtyDays = 30 * 86_400_000;

/** Where the tokens live in Redis: `lotse:cb:t:<token>`. */
export const callbackNamespace = "lotse:cb";

/**
 * The token store: Redis when a client is given (shared by every process), else this process's memory.
 *
 * @example
 * const ids = keyvCallbackIds(callbackIdStore(redis.client));
 */
export function callbackIdStore(redis?: RedisClient): Keyv<string> {
  if (!redis) return new Keyv<string>();
  // The client comes from `redis`, @keyv/redis types its own copy of @redis/client: the same class at run time.
  const store = new KeyvRedis<string>(redis as unknown as ConstructorParameters<typeof KeyvRedis>[0], {
    namespace: callbackNamespace,
    keyPrefixSeparator: ":",
    // Fail loudly: a token that was silently not stored would turn a fresh button into "expired".
    throwOnErrors: true,
  });
  const keyv = new Keyv<string>({ store, namespace: callbackNamespace, useKeyPrefix: false, throwOnErrors: true });
  // Connection errors are logged once by the Redis client's own listener (src/cluster/redis.ts).
  keyv.on("error", () => {});
  return keyv;
}

/**
 * Callback ids over a Keyv store. A store that fails (Redis away) throws
 * `redis.unreachable`: the outbox retries the send, the webhook answers 500
 * so Telegram retries the update.
 *
 * @example
 * const ids = keyvCallbackIds(new Keyv());
 */
export function keyvCallbackIds(store: Keyv<string> = new Keyv<string>(), ttlMs = thirtyDays): CallbackIds {
  const unreachable = (cause: unknown) =>
    new LotseError("redis.unreachable", "the callback token store is unreachable", { cause });
  return {
    async encode(choiceId) {
      if (fitsCallbackData(choiceId)) return choiceId;
      const token = `t:${randomBytes(9).toString("base64url")}`;
      try {
        await store.set(token, choiceId, ttlMs);
      } catch (cause) {
        throw unreachable(cause);
      }
      return token;
    },
    async decode(data) {
      if (!data.startsWith("t:")) return data;
      try {
        return (await store.get(data)) ?? undefined;
      } catch (cause) {
        throw unreachable(cause);
      }
    },
  };
}
