/**
 * The referral inbox for counsellors: the list of requests (new, contacted,
 * closed) with how many of the person's messages nobody has read yet, one
 * request with its private notes and conversation, and what a counsellor does
 * with it (status, assignment, notes). Every change is recorded in the audit
 * log with the request's number only, never a text or the person's address.
 *
 * The page and the API show what the person agreed to: language, city, the
 * name they chose, their messages, and their chat address only if they chose
 * to share it.
 */
import { audit } from "../console/audit.ts";
import type { StaffSession } from "../console/context.ts";
import type { Address } from "../domain/address.ts";
import { languageByCode } from "../domain/languages.ts";
import type { Translator } from "../i18n/index.ts";
import { StaffRights } from "../staff/rights.ts";
import type { StoreTx } from "../storage/store.ts";
import { type ConversationMessage, type CounselDeps, endConversation, messagesOf } from "./conversation.ts";
import { type Db, type Referral, type ReferralStatus, referralById, updateReferral } from "./repository.ts";

/** A private note is at most this long. */
export const maxNote = 2000;

/** Which requests to list; every part optional. */
export interface InboxFilter {
  status?: ReferralStatus | undefined;
  /** A counsellor's address, or `none` for requests nobody has. */
  assignedTo?: Address | "none" | undefined;
  /** A language code, such as `ar`. */
  language?: string | undefined;
  /** A city id, such as `mainz`. */
  city?: string | undefined;
}

/** One line of the inbox. */
export interface InboxRow {
  id: number;
  status: ReferralStatus;
  assignedTo: Address | null;
  /** The name the person chose, or null ("Person <id>" is shown). */
  displayName: string | null;
  language: string;
  city: string | null;
  createdAt: string;
  conversationOpen: boolean;
  /** The person's messages no counsellor has seen yet. */
  unread: number;
  /** When the last message of either side was written, if any. */
  lastMessageAt: string | null;
}

/** A counsellor's private note. */
export interface Note {
  id: number;
  /** The counsellor who wrote it (null when they deleted their own data). */
  author: string | null;
  text: string;
  createdAt: string;
}

/** One request with everything a counsellor sees of it. */
export interface ReferralDetail {
  referral: Referral;
  notes: Note[];
  /** Oldest first, so the newest is at the bottom of the thread. */
  messages: ConversationMessage[];
  unread: number;
}

/**
 * The requests, newest first, with unread counts.
 *
 * @example
 * const open = await listInbox(app.store.db, { status: "new", assignedTo: "none" });
 */
export async function listInbox(db: Db, filter: InboxFilter = {}): Promise<InboxRow[]> {
  let query = db
    .selectFrom("referrals as r")
    .select((eb) => [
      "r.id",
      "r.status",
      "r.assigned_to",
      "r.display_name",
      "r.language",
      "r.city",
      "r.created_at",
      "r.conversation_open",
      eb
        .selectFrom("referral_messages as m")
        .select((m) => m.fn.countAll<number>().as("n"))
        .whereRef("m.referral_id", "=", "r.id")
        .where("m.sender", "=", "person")
        .where("m.read_at", "is", null)
        .as("unread"),
      eb
        .selectFrom("referral_messages as l")
        .select((l) => l.fn.max("l.created_at").as("at"))
        .whereRef("l.referral_id", "=", "r.id")
        .as("last_message_at"),
    ])
    .orderBy("r.created_at", "desc")
    .orderBy("r.id", "desc");
  if (filter.status) query = query.where("r.status", "=", filter.status);
  if (filter.assignedTo === "none") query = query.where("r.assigned_to", "is", null);
  else if (filter.assignedTo) query = query.where("r.assigned_to", "=", filter.assignedTo);
  if (filter.language) query = query.where("r.language", "=", filter.language);
  if (filter.city) query = query.where("r.city", "=", filter.city);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: Number(row.id),
    status: row.status as ReferralStatus,
    assignedTo: row.assigned_to as Address | null,
    displayName: row.display_name,
    language: row.language,
    city: row.city,
    createdAt: row.created_at,
    conversationOpen: Number(row.conversation_open) === 1,
    unread: Number(row.unread ?? 0),
    lastMessageAt: (row.last_message_at as string | null | undefined) ?? null,
  }));
}

/**
 * One request with its notes and conversation, or undefined when there is none (withdrawn, or its
 * person deleted their data).
 *
 * @example
 * const detail = await referralDetail(app.store.db, 12);
 */
export async function referralDetail(db: Db, id: number): Promise<ReferralDetail | undefined> {
  const referral = await referralById(db, id);
  if (!referral) return undefined;
  const notes = await db
    .selectFrom("referral_notes")
    .selectAll()
    .where("referral_id", "=", id)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const messages = await messagesOf(db, id);
  return {
    referral,
    notes: notes.map((n) => ({ id: Number(n.id), author: n.author, text: n.text, createdAt: n.created_at })),
    messages,
    unread: messages.filter((m) => m.from === "person" && m.readAt === null).length,
  };
}

/**
 * Marks the person's messages of a request as seen by a counsellor (when its page or detail is opened).
 *
 * @example
 * await markRead(app.store.db, 12, app.clock.now());
 */
export async function markRead(db: Db, id: number, now: Date): Promise<void> {
  await db
    .updateTable("referral_messages")
    .set({ read_at: now.toISOString() })
    .where("referral_id", "=", id)
    .where("sender", "=", "person")
    .where("read_at", "is", null)
    .execute();
}

/**
 * Sets a request's status. Closing it ends an open conversation (the person
 * is told). Audited as `referral.status`. Undefined when there is no such request.
 *
 * @example
 * await setReferralStatus(tx, app, { referralId: 12, status: "closed", by: staff }, now);
 */
export async function setReferralStatus(
  tx: StoreTx,
  deps: CounselDeps,
  input: { referralId: number; status: ReferralStatus; by: StaffSession },
  now: Date,
): Promise<Referral | undefined> {
  const referral = await referralById(tx.db, input.referralId);
  if (!referral) return undefined;
  if (input.status === "closed" && referral.conversationOpen) {
    await endConversation(tx, deps, { referralId: referral.id, by: input.by }, now);
  }
  const updated = await updateReferral(tx.db, referral.id, { status: input.status });
  await audit(tx.db, input.by, "referral.status", { referral: referral.id, status: input.status }, now);
  return updated;
}

/**
 * Every counsellor now (configured or added in the console): whom a request may be assigned to.
 *
 * @example
 * const counsellors = await counsellorsNow(tx, app);
 */
export function counsellorsNow(tx: StoreTx, deps: Pick<CounselDeps, "staff" | "logger">): Promise<Address[]> {
  return new StaffRights(deps.staff, deps.logger).holders(tx, "counsellor");
}

/**
 * Assigns a request to a counsellor (someone with the counsellor role now) or to nobody (`null`).
 * Audited as `referral.assign`.
 *
 * @example
 * const result = await assignReferral(tx, app, { referralId: 12, to: "telegram:100", by: staff }, now);
 * if (!result.ok) showError(result.reason); // "unknown" | "notCounsellor"
 */
export async function assignReferral(
  tx: StoreTx,
  deps: Pick<CounselDeps, "staff" | "logger">,
  input: { referralId: number; to: Address | null; by: StaffSession },
  now: Date,
): Promise<{ ok: true; referral: Referral } | { ok: false; reason: "unknown" | "notCounsellor" }> {
  const referral = await referralById(tx.db, input.referralId);
  if (!referral) return { ok: false, reason: "unknown" };
  if (input.to !== null && !(await counsellorsNow(tx, deps)).includes(input.to)) {
    return { ok: false, reason: "notCounsellor" };
  }
  const updated = await updateReferral(tx.db, referral.id, { assignedTo: input.to });
  await audit(tx.db, input.by, "referral.assign", { referral: referral.id }, now);
  return { ok: true, referral: updated ?? referral };
}

/**
 * Adds a private note (only counsellors see it; deleted with the request or the person's data).
 * Audited as `referral.note`, without its text.
 *
 * @example
 * const note = await addNote(tx, { referralId: 12, text: "Prefers calls after 16:00", by: staff }, now);
 */
export async function addNote(
  tx: StoreTx,
  input: { referralId: number; text: string; by: StaffSession },
  now: Date,
): Promise<{ ok: true; note: Note } | { ok: false; reason: "unknown" | "empty" | "tooLong" }> {
  const text = input.text.trim();
  if (!text) return { ok: false, reason: "empty" };
  if ([...text].length > maxNote) return { ok: false, reason: "tooLong" };
  const referral = await referralById(tx.db, input.referralId);
  if (!referral) return { ok: false, reason: "unknown" };
  const createdAt = now.toISOString();
  const row = await tx.db
    .insertInto("referral_notes")
    .values({
      referral_id: referral.id,
      address: referral.address,
      author: input.by.address,
      text,
      created_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(tx.db, input.by, "referral.note", { referral: referral.id }, now);
  return { ok: true, note: { id: Number(row.id), author: input.by.address, text, createdAt } };
}

/**
 * A language as a reader knows it: its name in the reader's language with its own name after it
 * ("Arabic (العربية)"), or only its own name when the two are the same.
 *
 * @example
 * languageLabel(translator, "en", "ar"); // "Arabic (العربية)"
 * languageLabel(translator, "de", "de"); // "Deutsch"
 */
export function languageLabel(translator: Translator, reader: string, code: string): string {
  const native = languageByCode(code)?.nativeName ?? code;
  const name = translator.words(reader, `languageNames.${code}`)[0];
  return name && name.toLocaleLowerCase() !== native.toLocaleLowerCase() ? `${name} (${native})` : native;
}
