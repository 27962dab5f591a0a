/**
 * Fan-out: putting one outbox row per person of a broadcast's audience into
 * the outbox, as set operations inside the database. The audience is walked
 * in pages of addresses (keyset: `address > last queued`, never an offset
 * from the start, never a list of addresses in a statement); each page is one
 * `INSERT ... SELECT` whose payload is chosen per row by the person's
 * language and second language, from texts computed once per pair found in
 * the page (their language, else their second, else the broadcast's default,
 * with a note naming the language shown; see message.ts). Before each page
 * the creator's staff role is checked again (creator.ts). After each page the
 * broadcast records how many people are queued and the last address queued,
 * so a fan-out that stopped continues where it was, and the unique key
 * (broadcast, address) makes any repeated page add nobody twice.
 *
 * Two drivers share the page: {@link fanOut} runs every page in the caller's
 * transaction (the scheduler job's: all or nothing), {@link queueBroadcast}
 * commits page by page, so progress is visible while it runs and SQLite's
 * write lock is held for one page at a time, not for the whole audience.
 */
import { type RawBuilder, sql } from "kysely";
import type { ContentPack } from "../content/pack.ts";
import type { ReplyRenderer } from "../engine/render.ts";
import { bulkLane } from "../outbox/lanes.ts";
import type { Store, StoreTx } from "../storage/store.ts";
import { type AudienceQuery, audienceQuery, channelOfAddress, storedFilter } from "./audience.ts";
import type { CreatorCheck } from "./creator.ts";
import { cancelReasons, markCancelled } from "./lifecycle.ts";
import { type BroadcastMessage, broadcastOutbound, storedMessage } from "./message.ts";
import { defaultRenderer } from "./renderer.ts";

/** Addresses per page: small enough to hold SQLite's write lock briefly, large enough to be cheap per row. */
export const defaultPageSize = 5_000;

/** What one page did. */
export interface PageResult {
  /** Outbox rows added by this page (people already queued are not counted again). */
  queued: number;
  /** True when the audience is queued completely, or the broadcast is not to be queued (cancelled, gone, done). */
  done: boolean;
}

/** Tuning of a fan-out, and what it checks and renders with. */
export interface FanOutOptions {
  /** Addresses per page (default {@link defaultPageSize}). */
  pageSize?: number;
  /**
   * Asked before every page: false cancels the broadcast (its creator lost the staff role). The
   * running bot always passes one (src/broadcasts/jobs.ts); without it nobody's rights are checked.
   */
  creatorCheck?: CreatorCheck | undefined;
  /** Renders each reader's text and note; the app's (`app.engine.renderer`), else one over the project's locales. */
  renderer?: ReplyRenderer | undefined;
}

/** Statuses in which a broadcast is still to be queued. */
const queueable = new Set(["scheduled", "queuing"]);

/**
 * Queues the next page of a broadcast's audience in `tx`, and records the
 * progress on the broadcast: status "queuing" while pages remain, "sending"
 * after the last one.
 *
 * @example
 * const { queued, done } = await store.transaction((tx) => queuePage(tx, id, pack, now, 5_000));
 */
export async function queuePage(
  tx: StoreTx,
  broadcastId: number,
  pack: ContentPack,
  now: Date,
  pageSize: number = defaultPageSize,
  options: Omit<FanOutOptions, "pageSize"> = {},
): Promise<PageResult> {
  let read = tx.db
    .selectFrom("broadcasts")
    .select(["status", "text", "default_language", "audience", "queued_through", "created_by"])
    .where("id", "=", broadcastId);
  // Two processes continuing the same broadcast take turns page by page; cancelling waits for a page.
  if (tx.dialect === "postgres") read = read.forUpdate();
  const broadcast = await read.executeTakeFirst();
  if (!broadcast || !queueable.has(broadcast.status)) return { queued: 0, done: true };
  if (options.creatorCheck && !(await options.creatorCheck(tx, { id: broadcastId, createdBy: broadcast.created_by }))) {
    await markCancelled(tx, broadcastId, cancelReasons.creatorRevoked, now);
    return { queued: 0, done: true };
  }
  const message = storedMessage(broadcast.text, broadcast.default_language);
  const audience = storedFilter(broadcast.audience);
  const after = broadcast.queued_through;
  const last = await audienceQuery(tx.db, audience, pack, { after })
    .select("users.address")
    .orderBy("users.address")
    .limit(1)
    .offset(pageSize - 1)
    .executeTakeFirst();
  const through = last?.address;
  const page = (): AudienceQuery => audienceQuery(tx.db, audience, pack, { after, through });
  const readers = await page().select(["users.language", "users.second_language"]).distinct().execute();
  const renderer = options.renderer ?? defaultRenderer();

  const at = now.toISOString();
  const result = await tx.db
    .insertInto("outbox")
    .columns([
      "address",
      "channel",
      "payload",
      "status",
      "attempts",
      "not_before",
      "created_at",
      "updated_at",
      "purge",
      "broadcast_id",
      "lane",
    ])
    .expression(
      page().select([
        "users.address",
        channelOfAddress(tx.dialect).as("channel"),
        payloadByReader(message, readers, renderer).as("payload"),
        // Constants of our own (no person's text) inlined, so Postgres needs no parameter types.
        sql.lit("queued").as("status"),
        sql.lit(0).as("attempts"),
        sql.lit(at).as("not_before"),
        sql.lit(at).as("created_at"),
        sql.lit(at).as("updated_at"),
        sql.lit(0).as("purge"),
        sql.lit(broadcastId).as("broadcast_id"),
        sql.lit(bulkLane).as("lane"),
      ]),
    )
    // The unique index holds broadcast rows only (migration 019): the target names its condition.
    .onConflict((oc) => oc.columns(["broadcast_id", "address"]).where("broadcast_id", "is not", null).doNothing())
    .executeTakeFirst();
  const queued = Number(result.numInsertedOrUpdatedRows ?? 0);
  const done = through === undefined;
  await tx.db
    .updateTable("broadcasts")
    .set((eb) => ({
      status: done ? "sending" : "queuing",
      recipients: eb("recipients", "+", queued),
      queued_through: through ?? after,
      updated_at: at,
    }))
    .where("id", "=", broadcastId)
    .execute();
  return { queued, done };
}

/**
 * The payload column of the page: the broadcast as each person gets it, one JSON text per pair of
 * language and second language found in the page, computed here once, chosen per row by a CASE
 * (languages where the second does not matter need one branch, not one per pair).
 */
function payloadByReader(
  message: BroadcastMessage,
  readers: { language: string | null; second_language?: string | null | undefined }[],
  renderer: ReplyRenderer,
): RawBuilder<string> {
  const payloadOf = (language: string | null, second: string | null): string =>
    JSON.stringify(broadcastOutbound(message, { language, secondLanguage: second }, renderer));
  const byLanguage = new Map<string, Map<string, string>>();
  for (const r of readers) {
    const language = r.language ?? "";
    const second = r.second_language ?? "";
    const seconds = byLanguage.get(language) ?? new Map<string, string>();
    seconds.set(second, payloadOf(r.language, r.second_language ?? null));
    byLanguage.set(language, seconds);
  }
  const whens: RawBuilder<unknown>[] = [];
  let last: string | undefined;
  for (const [language, seconds] of byLanguage) {
    const payloads = new Set(seconds.values());
    const only = payloads.size === 1 ? [...payloads][0] : undefined;
    if (only !== undefined) {
      whens.push(sql`when coalesce(users.language, '') = ${language} then cast(${only} as text)`);
      last = only;
      continue;
    }
    for (const [second, payload] of seconds) {
      whens.push(
        sql`when coalesce(users.language, '') = ${language} and coalesce(users.second_language, '') = ${second} then cast(${payload} as text)`,
      );
      last = payload;
    }
  }
  // Never reached (every row's pair is one of the page's), but a CASE needs an else.
  const fallback = last ?? payloadOf(null, null);
  if (whens.length <= 1) return sql<string>`cast(${fallback} as text)`;
  return sql<string>`case ${sql.join(whens, sql` `)} else cast(${fallback} as text) end`;
}

/**
 * Queues a broadcast's whole audience inside the caller's transaction (the
 * scheduler job's): all of it commits with the job, or none. Running it again
 * adds nobody twice; a broadcast already sending, sent or cancelled is left alone.
 * Returns the outbox rows added.
 *
 * @example
 * scheduler.on(broadcastKind, async (tx, job, now) => void (await fanOut(tx, id, pack, now)));
 */
export async function fanOut(
  tx: StoreTx,
  broadcastId: number,
  pack: ContentPack,
  now: Date,
  options: FanOutOptions = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await queuePage(tx, broadcastId, pack, now, options.pageSize ?? defaultPageSize, options);
    total += page.queued;
    if (page.done) return total;
  }
}

/**
 * Queues a broadcast's whole audience one page per transaction: `recipients`
 * and status "queuing" are visible while it runs, and other writers wait for
 * at most one page. Safe to call again after a crash, or from two processes:
 * it continues after the last queued address. Call it outside any transaction
 * (on SQLite, from inside one it would wait for itself). Returns the rows added.
 *
 * @example
 * const queued = await queueBroadcast(app.store, id, app.content, clock.now());
 */
export async function queueBroadcast(
  store: Store,
  broadcastId: number,
  pack: ContentPack,
  now: Date,
  options: FanOutOptions & { onPage?: (page: PageResult) => void | Promise<void> } = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await store.transaction((tx) =>
      queuePage(tx, broadcastId, pack, now, options.pageSize ?? defaultPageSize, options),
    );
    total += page.queued;
    await options.onPage?.(page);
    if (page.done) return total;
  }
}
