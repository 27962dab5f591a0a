/**
 * How many people a broadcast will reach, before it is sent: in total, per channel, per the person's
 * language and per the language they will be shown (with how many get a note that it is not theirs),
 * and on WhatsApp how many are inside the 24-hour window (free text) or outside it (the approved
 * template). One grouped query over the same audience query the fan-out inserts from, so the number
 * shown is the number queued.
 */

import type { ExpressionBuilder } from "kysely";
import { whatsappWindowMs } from "../channels/whatsapp/window.ts";
import type { ContentPack } from "../content/pack.ts";
import type { Database } from "../storage/schema.ts";
import type { StoreTx } from "../storage/store.ts";
import { type Audience, audienceQuery, channelOfAddress } from "./audience.ts";
import { type BroadcastMessage, shownLanguage } from "./message.ts";

/** People of one channel and one language pair. */
export interface ReachGroup {
  channel: string;
  language: string | null;
  secondLanguage: string | null;
  /** The language they will be shown. */
  shown: string;
  /** Shown another language than theirs, with a note saying which. */
  fallback: boolean;
  count: number;
  /** WhatsApp only: last wrote more than the window ago, so only the template reaches them. */
  outsideWindow: number;
}

/** The reach of a broadcast before sending. */
export interface ReachDetail {
  total: number;
  byChannel: { channel: string; count: number }[];
  /** By the person's own language (null: none set). */
  byLanguage: { language: string | null; count: number }[];
  /** By the language they will be shown; `withNote` of them are shown another language than their own. */
  byShown: { language: string; count: number; withNote: number }[];
  /** Per channel and shown language. */
  byChannelAndShown: { channel: string; language: string; count: number }[];
  whatsapp: { insideWindow: number; outsideWindow: number };
  groups: ReachGroup[];
}

/**
 * The reach of `audience` for `message` at `now`.
 *
 * @example
 * const reach = await reachDetail(app.store.reader, filter, message, app.content, now);
 * reach.total; // 1840
 */
export async function reachDetail(
  tx: StoreTx,
  audience: Audience,
  message: BroadcastMessage,
  pack: ContentPack,
  now: Date,
): Promise<ReachDetail> {
  const windowStart = new Date(now.getTime() - whatsappWindowMs).toISOString();
  const outside = (eb: ExpressionBuilder<Database, "users">) =>
    eb.or([eb("users.last_inbound_at", "is", null), eb("users.last_inbound_at", "<=", windowStart)]);
  const channel = channelOfAddress(tx.dialect);
  const rows = await audienceQuery(tx.db, audience, pack)
    .select((eb) => [
      channel.as("channel"),
      "users.language",
      "users.second_language",
      eb.fn.countAll<number | string>().as("n"),
      eb.fn.sum<number | string | null>(eb.case().when(outside(eb)).then(1).else(0).end()).as("outside"),
    ])
    .groupBy([channel, "users.language", "users.second_language"])
    .execute();
  const groups: ReachGroup[] = rows.map((row) => {
    const reader = { language: row.language, secondLanguage: row.second_language ?? null };
    const { shown, fallback } = shownLanguage(message, reader);
    return {
      channel: row.channel,
      ...reader,
      shown,
      fallback,
      count: Number(row.n),
      outsideWindow: row.channel === "whatsapp" ? Number(row.outside ?? 0) : 0,
    };
  });
  return summarise(groups);
}

function summarise(groups: ReachGroup[]): ReachDetail {
  const add = <K>(map: Map<K, number>, key: K, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  const channels = new Map<string, number>();
  const languages = new Map<string | null, number>();
  const shown = new Map<string, { count: number; withNote: number }>();
  const channelShown = new Map<string, number>();
  let inside = 0;
  let outsideWindow = 0;
  for (const g of groups) {
    add(channels, g.channel, g.count);
    add(languages, g.language, g.count);
    const s = shown.get(g.shown) ?? { count: 0, withNote: 0 };
    s.count += g.count;
    if (g.fallback) s.withNote += g.count;
    shown.set(g.shown, s);
    add(channelShown, `${g.channel}\u0000${g.shown}`, g.count);
    if (g.channel === "whatsapp") {
      outsideWindow += g.outsideWindow;
      inside += g.count - g.outsideWindow;
    }
  }
  const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
  return {
    total: groups.reduce((s, g) => s + g.count, 0),
    byChannel: [...channels].map(([channel, count]) => ({ channel, count })).sort(byCount),
    byLanguage: [...languages].map(([language, count]) => ({ language, count })).sort(byCount),
    byShown: [...shown].map(([language, s]) => ({ language, ...s })).sort(byCount),
    byChannelAndShown: [...channelShown]
      .map(([key, count]) => {
        const [channel = "", language = ""] = key.split("\u0000");
        return { channel, language, count };
      })
      .sort(byCount),
    whatsapp: { insideWindow: inside, outsideWindow },
    groups,
  };
}
