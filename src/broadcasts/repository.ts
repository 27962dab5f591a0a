/**
 * Reading broadcasts for the console and the API: the newest first, and one with everything staff
 * wrote and chose. Statuses are shown as people read them ("sent" once nothing waits).
 */
import { type ExpressionBuilder, sql } from "kysely";
import type { Database } from "../storage/schema.ts";
import type { StoreTx } from "../storage/store.ts";
import { type AudienceFilter, storedFilter } from "./audience.ts";
import { type BroadcastStatus, shownStatus } from "./lifecycle.ts";
import { type BroadcastMessage, storedMessage } from "./message.ts";

/** A broadcast as the console lists and shows it. */
export interface BroadcastView {
  id: number;
  status: BroadcastStatus;
  cancelReason: string | null;
  message: BroadcastMessage;
  audience: AudienceFilter;
  sendAt: Date;
  /** The zone its time was entered in (null for broadcasts made before the console). */
  timeZone: string | null;
  recipients: number;
  createdBy: string | null;
  createdAt: Date;
}

type Row = {
  id: number;
  status: string;
  cancel_reason: string | null;
  text: string;
  default_language: string | null;
  audience: string;
  send_at: string;
  time_zone: string | null;
  recipients: number;
  created_by: string | null;
  created_at: string;
};

const columns = [
  "id",
  "status",
  "cancel_reason",
  "text",
  "default_language",
  "audience",
  "send_at",
  "time_zone",
  "recipients",
  "created_by",
  "created_at",
] as const;

/**
 * Not a teacher's message to a class (audience `{"classId": 12, ...}`): those belong to the class, and
 * the broadcasts pages and API, open to all staff, neither list nor open them.
 */
const notClassMessage = (eb: ExpressionBuilder<Database, "broadcasts">) =>
  eb.or([eb("audience", "not like", '%"classId":%'), eb("audience", "like", '%"classId":null%')]);

/**
 * The newest broadcasts, `limit` at most, those before id `before` when given (paging).
 *
 * @example
 * const page = await listBroadcasts(app.store.reader, { limit: 50 });
 */
export async function listBroadcasts(
  tx: StoreTx,
  options: { limit?: number; before?: number | undefined } = {},
): Promise<BroadcastView[]> {
  let query = tx.db
    .selectFrom("broadcasts")
    .select(columns)
    .where(notClassMessage)
    .orderBy("id", "desc")
    .limit(options.limit ?? 50);
  if (options.before !== undefined) query = query.where("id", "<", options.before);
  const rows = (await query.execute()) as Row[];
  if (rows.length === 0) return [];
  // What still waits, for the shown status: one grouped query for the whole page.
  const waiting = await tx.db
    .selectFrom("outbox")
    .select(["broadcast_id", sql<number | string>`count(*)`.as("n")])
    .where(
      "broadcast_id",
      "in",
      rows.map((r) => Number(r.id)),
    )
    .where("status", "in", ["queued", "sending"])
    .groupBy("broadcast_id")
    .execute();
  const waitingOf = new Map(waiting.map((w) => [Number(w.broadcast_id), Number(w.n)]));
  return rows.map((row) => view(row, waitingOf.get(Number(row.id)) ?? 0));
}

/**
 * One broadcast, undefined when there is none with this id.
 *
 * @example
 * const b = await getBroadcast(app.store.reader, 7); // b?.message.texts.ar
 */
export async function getBroadcast(tx: StoreTx, id: number): Promise<BroadcastView | undefined> {
  const row = (await tx.db
    .selectFrom("broadcasts")
    .select(columns)
    .where("id", "=", id)
    .where(notClassMessage)
    .executeTakeFirst()) as Row | undefined;
  if (!row) return undefined;
  const waiting = await tx.db
    .selectFrom("outbox")
    .select(sql<number | string>`count(*)`.as("n"))
    .where("broadcast_id", "=", id)
    .where("status", "in", ["queued", "sending"])
    .executeTakeFirstOrThrow();
  return view(row, Number(waiting.n));
}

function view(row: Row, waiting: number): BroadcastView {
  return {
    id: Number(row.id),
    status: shownStatus(row.status, waiting),
    cancelReason: row.cancel_reason,
    message: storedMessage(row.text, row.default_language),
    audience: storedFilter(row.audience),
    sendAt: new Date(row.send_at),
    timeZone: row.time_zone,
    recipients: Number(row.recipients),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
  };
}
