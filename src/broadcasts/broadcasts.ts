/**
 * Staff broadcasts: a message to an audience, now or at a set time. When it
 * is due, one job puts one outbox row per person into the outbox in a single
 * transaction (a unique key per broadcast and person makes a second run
 * harmless); the outbox sender then delivers them within the platforms'
 * limits. A broadcast still sending can be cancelled: what is not sent yet
 * is withdrawn.
 */
import { sql } from "kysely";
import { z } from "zod";
import type { ContentPack } from "../content/pack.ts";
import type { Address } from "../domain/address.ts";
import type { Outbound } from "../domain/outbound.ts";
import { pickText } from "../i18n/index.ts";
import type { Scheduler } from "../scheduler/scheduler.ts";
import type { StoreTx } from "../storage/store.ts";

/** Who a broadcast goes to. All but a meeting's RSVPs need the person's yes to news. */
export const audienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("news") }),
  z.object({ kind: z.literal("city"), city: z.string().min(2) }),
  z.object({ kind: z.literal("language"), language: z.string().regex(/^[a-z]{2,3}$/) }),
  z.object({ kind: z.literal("course"), course: z.string().min(2) }),
  z.object({ kind: z.literal("meeting"), meetingId: z.number().int().positive() }),
]);
export type Audience = z.infer<typeof audienceSchema>;

/** The job kind that fans a broadcast out into the outbox. */
export const broadcastKind = "broadcast.send";

/** Delivery counts of a broadcast. */
export interface BroadcastCounts {
  id: number;
  status: string;
  recipients: number;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

/**
 * The addresses an audience reaches now: people who agreed to storage, did
 * not say stop, can be reached, and (except a meeting's RSVPs) want news.
 *
 * @example
 * const people = await audienceAddresses(tx, { kind: "city", city: "leipzig" }, pack);
 */
export async function audienceAddresses(tx: StoreTx, audience: Audience, pack: ContentPack): Promise<Address[]> {
  let query = tx.db
    .selectFrom("users")
    .select("users.address")
    .where("users.consent", "=", "given")
    .where("users.status", "=", "active");
  if (audience.kind === "meeting") {
    query = query
      .innerJoin("rsvps", "rsvps.address", "users.address")
      .where("rsvps.meeting_id", "=", audience.meetingId)
      .where("rsvps.answer", "in", ["yes", "maybe"]);
  } else {
    query = query.innerJoin("news_subscriptions", "news_subscriptions.address", "users.address");
    if (audience.kind === "city") query = query.where("users.city", "=", audience.city);
    if (audience.kind === "language") query = query.where("users.language", "=", audience.language);
    if (audience.kind === "course") {
      const lessons = pack.lessonsOf(audience.course).map((l) => l.id);
      if (lessons.length === 0) return [];
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom("lesson_progress")
            .select("lesson_progress.address")
            .whereRef("lesson_progress.address", "=", "users.address")
            .where("lesson_progress.lesson_id", "in", lessons),
        ),
      );
    }
  }
  const rows = await query.orderBy("users.address").execute();
  return rows.map((r) => r.address as Address);
}

/**
 * Creates a broadcast and schedules its sending at `sendAt`.
 *
 * @example
 * const id = await createBroadcast(tx, scheduler, { text: { en: "..." }, audience, sendAt: now, createdBy }, now);
 */
export async function createBroadcast(
  tx: StoreTx,
  scheduler: Scheduler,
  input: { text: Record<string, string>; audience: Audience; sendAt: Date; createdBy: string | null },
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  const row = await tx.db
    .insertInto("broadcasts")
    .values({
      text: JSON.stringify(input.text),
      audience: JSON.stringify(input.audience),
      status: "scheduled",
      send_at: input.sendAt.toISOString(),
      recipients: 0,
      created_by: input.createdBy,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await scheduler.schedule(tx, {
    kind: broadcastKind,
    dueAt: input.sendAt,
    payload: { broadcastId: id },
    uniqueKey: `broadcast:${id}`,
  });
  return id;
}

/**
 * Puts one outbox row per person of the audience into the outbox, in each
 * person's language. Running it again for the same broadcast adds nobody twice.
 */
export async function fanOut(tx: StoreTx, broadcastId: number, pack: ContentPack, now: Date): Promise<number> {
  const broadcast = await tx.db.selectFrom("broadcasts").selectAll().where("id", "=", broadcastId).executeTakeFirst();
  if (!broadcast || broadcast.status === "cancelled") return 0;
  const text = JSON.parse(broadcast.text) as Record<string, string>;
  const audience = audienceSchema.parse(JSON.parse(broadcast.audience));
  const people = await audienceAddresses(tx, audience, pack);
  const languages = new Map(
    (
      await tx.db
        .selectFrom("users")
        .select(["address", "language"])
        .where("address", "in", people.length > 0 ? people : [""])
        .execute()
    ).map((u) => [u.address, u.language ?? "en"]),
  );
  const at = now.toISOString();
  for (let i = 0; i < people.length; i += 500) {
    const rows = people.slice(i, i + 500).map((address) => {
      const outbound: Outbound = {
        kind: "text",
        text: pickText(text, languages.get(address) ?? "en").text,
        purpose: "broadcast",
      };
      return {
        address,
        channel: address.slice(0, address.indexOf(":")),
        payload: JSON.stringify(outbound),
        status: "queued",
        attempts: 0,
        not_before: at,
        created_at: at,
        updated_at: at,
        sent_at: null,
        error: null,
        purge: 0,
        broadcast_id: broadcastId,
      };
    });
    await tx.db
      .insertInto("outbox")
      .values(rows)
      .onConflict((oc) => oc.columns(["broadcast_id", "address"]).doNothing())
      .execute();
  }
  await tx.db
    .updateTable("broadcasts")
    .set({ status: "sending", recipients: people.length, updated_at: at })
    .where("id", "=", broadcastId)
    .execute();
  return people.length;
}

/** Cancels a broadcast: a scheduled one never starts, a sending one sends nothing more. */
export async function cancelBroadcast(
  tx: StoreTx,
  scheduler: Scheduler,
  broadcastId: number,
  now: Date,
): Promise<boolean> {
  const broadcast = await tx.db
    .selectFrom("broadcasts")
    .select("status")
    .where("id", "=", broadcastId)
    .executeTakeFirst();
  if (!broadcast || broadcast.status === "cancelled" || broadcast.status === "sent") return false;
  await scheduler.cancel(tx, `broadcast:${broadcastId}`);
  await tx.db.deleteFrom("outbox").where("broadcast_id", "=", broadcastId).where("status", "=", "queued").execute();
  await tx.db
    .updateTable("broadcasts")
    .set({ status: "cancelled", updated_at: now.toISOString() })
    .where("id", "=", broadcastId)
    .execute();
  return true;
}

/** Delivery counts, from the outbox rows of the broadcast. */
export async function broadcastCounts(tx: StoreTx, broadcastId: number): Promise<BroadcastCounts | undefined> {
  const broadcast = await tx.db
    .selectFrom("broadcasts")
    .select(["status", "recipients"])
    .where("id", "=", broadcastId)
    .executeTakeFirst();
  if (!broadcast) return undefined;
  const rows = await tx.db
    .selectFrom("outbox")
    .select(["status", sql<number>`count(*)`.as("n")])
    .where("broadcast_id", "=", broadcastId)
    .groupBy("status")
    .execute();
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const queued = (by.queued ?? 0) + (by.sending ?? 0);
  const status = broadcast.status === "sending" && queued === 0 ? "sent" : broadcast.status;
  return {
    id: broadcastId,
    status,
    recipients: Number(broadcast.recipients),
    queued,
    sent: by.sent ?? 0,
    delivered: by.delivered ?? 0,
    read: by.read ?? 0,
    failed: by.failed ?? 0,
  };
}
