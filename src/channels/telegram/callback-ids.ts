/**
 * Callback data for choice ids longer than Telegram's 64 bytes: a short
 * random token stored in Keyv with a time-to-live (in memory by default,
 * shared through Redis when several processes serve one bot). Ids that fit
 * are sent as they are, so almost nothing is stored.
 */
import { randomBytes } from "node:crypto";
import Keyv from "keyv";
import { type CallbackIds, fitsCallbackData } from "./render.ts";

const thirtyDays = 30 * 86_400_000;

/**
 * Callback ids over a Keyv store.
 *
 * @example
 * const ids = keyvCallbackIds(new Keyv());
 */
export function keyvCallbackIds(store: Keyv<string> = new Keyv<string>(), ttlMs = thirtyDays): CallbackIds {
  return {
    async encode(choiceId) {
      if (fitsCallbackData(choiceId)) return choiceId;
      const token = `t:${randomBytes(9).toString("base64url")}`;
      await store.set(token, choiceId, ttlMs);
      return token;
    },
    async decode(data) {
      if (!data.startsWith("t:")) return data;
      return (await store.get(data)) ?? undefined;
    },
  };
}
