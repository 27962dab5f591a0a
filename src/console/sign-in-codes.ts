/**
 * Sign-in without passwords: a 6-digit code sent to the staff member's own chat, valid 10 minutes,
 * 5 wrong tries, then the address is locked for 15 minutes. Only a keyed hash of the code is stored.
 *
 * The code goes out through the outbox like any reply. On WhatsApp outside the 24-hour window a free
 * text cannot be delivered: with `WHATSAPP_TEMPLATE_AUTH` it goes as that authentication template,
 * otherwise nothing is sent and the page asks the person to write to the bot first.
 */

import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { msg } from "../../flows/kit.ts";
import type { App } from "../app.ts";
import { whatsappWindowMs } from "../channels/whatsapp/window.ts";
import { type Address, channelOf } from "../domain/address.ts";
import type { StoreTx } from "../storage/store.ts";

/** How long a code is valid. */
export const codeValidMs = 10 * 60_000;
/** Wrong tries before the lock. */
export const maxTries = 5;
/** How long the lock lasts. */
export const lockMs = 15 * 60_000;
/** A new code no sooner than this after the last, so the form cannot flood a chat. */
export const resendAfterMs = 30_000;

/** What became of a request for a code. */
export type CodeRequest =
  | { kind: "sent" }
  /** Nothing sent: not staff, never wrote to the bot, or WhatsApp's window is closed (the page says the same for all). */
  | { kind: "not-sent"; reason: "unknown" | "write-first" }
  | { kind: "locked"; until: Date }
  | { kind: "too-soon" };

/** What became of a code typed in. */
export type CodeCheck =
  | { kind: "ok" }
  | { kind: "wrong"; triesLeft: number }
  | { kind: "expired" }
  | { kind: "locked"; until: Date };

function hashCode(address: string, code: string, salt: string): string {
  return createHash("sha256").update(`${salt}:${address}:${code}`).digest("base64url");
}

/**
 * Sends a fresh code to `address` if it belongs to staff now (any role) and the chat can receive it.
 *
 * @example
 * const result = await app.store.transaction((tx) => requestCode(app, tx, "telegram:42", isStaff, now));
 */
export async function requestCode(
  app: App,
  tx: StoreTx,
  address: Address,
  isStaff: boolean,
  now: Date,
  options: { whatsappAuthTemplate?: string | undefined } = {},
): Promise<CodeRequest> {
  const row = await tx.db.selectFrom("staff_login_codes").selectAll().where("address", "=", address).executeTakeFirst();
  if (row?.locked_until && new Date(row.locked_until) > now)
    return { kind: "locked", until: new Date(row.locked_until) };
  if (row?.code_hash && now.getTime() - new Date(row.updated_at).getTime() < resendAfterMs) return { kind: "too-soon" };
  const user = isStaff ? await tx.getUser(address) : undefined;
  const channel = channelOf(address);
  const inWindow = now.getTime() - (user?.lastInboundAt?.getTime() ?? 0) < whatsappWindowMs;
  // The bot can only write to a chat that wrote to it (Telegram) or within WhatsApp's window.
  const reachable =
    user !== undefined && (channel !== "whatsapp" || inWindow || options.whatsappAuthTemplate !== undefined);

  // Every address gets a code row, sent or not: typing a code then answers the same for an address
  // that is staff and one that is not, so the pages reveal nobody. Wrong tries are not reset by a new
  // code (only by signing in or by the lock), so asking for codes again never buys more guesses.
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const salt = randomBytes(12).toString("base64url");
  const values = {
    code_hash: `${salt}.${hashCode(address, code, salt)}`,
    expires_at: new Date(now.getTime() + codeValidMs).toISOString(),
    locked_until: null,
    updated_at: now.toISOString(),
  };
  await tx.db
    .insertInto("staff_login_codes")
    .values({ address, ...values, tries: 0 })
    .onConflict((oc) => oc.column("address").doUpdateSet(values))
    .execute();
  if (!isStaff) return { kind: "not-sent", reason: "unknown" };
  if (!user || !reachable) return { kind: "not-sent", reason: "write-first" };
  const language = user.language ?? "en";
  const text = app.engine.renderer.render({ kind: "text", lines: [msg("staff.signInCode", { code })] }, language);
  const outbound =
    channel === "whatsapp" && !inWindow && options.whatsappAuthTemplate
      ? {
          kind: "template" as const,
          name: options.whatsappAuthTemplate,
          language,
          parameters: [code],
          fallbackText: code,
          purpose: "notice" as const,
        }
      : { ...text, purpose: "reply" as const };
  // Gone from the outbox once delivered: a copy of the database then holds no usable code.
  await tx.enqueue(address, [outbound], now, { purge: true });
  return { kind: "sent" };
}

/**
 * Checks a typed code; a right one is used up, a wrong one counts, the fifth wrong one locks.
 *
 * @example
 * const check = await app.store.transaction((tx) => checkCode(tx, "telegram:42", "123456", now));
 */
export async function checkCode(tx: StoreTx, address: Address, typed: string, now: Date): Promise<CodeCheck> {
  const row = await tx.db.selectFrom("staff_login_codes").selectAll().where("address", "=", address).executeTakeFirst();
  if (row?.locked_until && new Date(row.locked_until) > now)
    return { kind: "locked", until: new Date(row.locked_until) };
  if (!row?.code_hash || !row.expires_at || new Date(row.expires_at) <= now) return { kind: "expired" };
  const [salt = "", expected = ""] = row.code_hash.split(".");
  const given = hashCode(address, typed.replace(/\s+/g, ""), salt);
  if (given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    await tx.db
      .updateTable("staff_login_codes")
      .set({ code_hash: null, expires_at: null, tries: 0, updated_at: now.toISOString() })
      .where("address", "=", address)
      .execute();
    return { kind: "ok" };
  }
  // Counted in the database, not from what was read: guesses sent at the same moment each count.
  const counted = await tx.db
    .updateTable("staff_login_codes")
    .set((eb) => ({ tries: eb("tries", "+", 1) }))
    .where("address", "=", address)
    .returning("tries")
    .executeTakeFirst();
  const tries = Number(counted?.tries ?? maxTries);
  if (tries >= maxTries) {
    const until = new Date(now.getTime() + lockMs);
    await tx.db
      .updateTable("staff_login_codes")
      .set({
        code_hash: null,
        expires_at: null,
        tries: 0,
        locked_until: until.toISOString(),
        updated_at: now.toISOString(),
      })
      .where("address", "=", address)
      .execute();
    return { kind: "locked", until };
  }
  return { kind: "wrong", triesLeft: maxTries - tries };
}
