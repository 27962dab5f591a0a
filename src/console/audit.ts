/**
 * The audit log: every staff action that changes something, with who, what and when. Admins read it
 * at /staff/audit. The detail names things (a meeting's id, a broadcast's reach), never a person's
 * chat address or words, so the log itself holds nothing "delete my data" would have to find.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../storage/schema.ts";
import { actor, type StaffSession } from "./context.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** One entry as the audit page shows it. */
export interface AuditEntry {
  id: number;
  actor: string | null;
  /** The staff member the action was done to, if any. */
  subject: string | null;
  action: string;
  detail: Record<string, unknown>;
  createdAt: string;
}

/**
 * Records a staff action; call it in the transaction that makes the change, so both or neither stay.
 * `subject` is the staff member the action was done to (never a learner: their addresses stay out).
 *
 * @example
 * await audit(tx.db, c.get("staff"), "meeting.create", { meetingId: meeting.id }, now);
 */
export async function audit(
  db: Db,
  staff: StaffSession,
  action: string,
  detail: Record<string, unknown>,
  now: Date,
  subject?: string,
): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor: actor(staff),
      subject: subject ?? null,
      action,
      detail: JSON.stringify(detail),
      created_at: now.toISOString(),
    })
    .execute();
}

/**
 * The latest entries, newest first, optionally only one action's or one actor's.
 *
 * @example
 * const entries = await auditEntries(app.store.db, { limit: 100 });
 */
export async function auditEntries(
  db: Db,
  filter: { action?: string | undefined; actor?: string | undefined; limit?: number; before?: number | undefined } = {},
): Promise<AuditEntry[]> {
  let query = db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100);
  if (filter.action) query = query.where("action", "=", filter.action);
  if (filter.actor) query = query.where("actor", "=", filter.actor);
  if (filter.before) query = query.where("id", "<", filter.before);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: Number(row.id),
    actor: row.actor,
    subject: row.subject ?? null,
    action: row.action,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    createdAt: row.created_at,
  }));
}
