/**
 * The conversation through Lotse between a counsellor (in the console) and
 * the person who asked for counselling (in their own chat). A counsellor's
 * message reaches the person marked as from a counsellor of the organisation
 * (the `counsel` flow, started with the engine's `startProactively`, so the
 * person can answer right there); the person's answers are stored for the
 * console until either side ends the conversation.
 *
 * Nothing goes to a person who said "stop" or deleted their data: the engine
 * refuses to start a flow for them, and the counsellor is told it was not sent.
 * Every row written here carries the person's address, so "delete my data"
 * removes the whole conversation (src/storage/personal-data.ts).
 */
import { type Line, type Msg, msg } from "../../flows/kit.ts";
import { audit } from "../console/audit.ts";
import type { StaffSession } from "../console/context.ts";
import type { Address } from "../domain/address.ts";
import type { Engine } from "../engine/engine.ts";
import type { Translator } from "../i18n/index.ts";
import type { Logger } from "../log.ts";
import { StaffRights } from "../staff/rights.ts";
import type { StaffDirectory } from "../staff/roles.ts";
import type { StoreTx } from "../storage/store.ts";
import { type Db, type Referral, referralById, referralOf, updateReferral } from "./repository.ts";

/** What the conversation needs from the running app (an `App` has all of it). */
export interface CounselDeps {
  engine: Engine;
  translator: Translator;
  /** Read at each notice: who is a counsellor now. */
  staff: StaffDirectory;
  logger: Logger;
  /** The organisation behind the counsellors (ORG_NAME). */
  orgName: string;
  /** This server's public address (PUBLIC_URL), for links to the console. */
  publicUrl: string;
}

/** A counsellor's message is at most this long (the platforms allow 4096 characters, with our marking). */
export const maxCounsellorMessage = 2000;

/** One message of a conversation. */
export interface ConversationMessage {
  id: number;
  referralId: number;
  from: "counsellor" | "person";
  /** The counsellor who wrote it; null for the person's messages (and for a counsellor who deleted their data). */
  author: string | null;
  text: string;
  createdAt: string;
  /** When a counsellor first saw it in the console (the person's messages); null while unread. */
  readAt: string | null;
}

/** What became of a counsellor's message. */
export type SendResult =
  | { sent: true; message: ConversationMessage }
  /** `unknown`: no such request; `unreachable`: the person said stop or cannot be reached; `empty`, `tooLong`: the text. */
  | { sent: false; reason: "unknown" | "unreachable" | "empty" | "tooLong" };

/**
 * The console page for a referral.
 *
 * @example
 * consoleLink({ publicUrl: "https://lotse.example.org" }, 12); // "https://lotse.example.org/staff/referrals/12"
 */
export function consoleLink(deps: Pick<CounselDeps, "publicUrl">, id: number): string {
  return `${deps.publicUrl.replace(/\/+$/, "")}/staff/referrals/${id}`;
}

/**
 * The name counsellors see in a chat notice: the one the person chose, else "Person <number>" in the
 * counsellor's language.
 *
 * @example
 * personName({ id: 12, displayName: null }); // msg("return.staff.person", { id: 12 })
 */
export function personName(referral: Pick<Referral, "id" | "displayName">): string | Msg {
  return referral.displayName ?? msg("return.staff.person", { id: referral.id });
}

/**
 * The messages of a referral's conversations, oldest first.
 *
 * @example
 * const thread = await messagesOf(app.store.db, 12);
 */
export async function messagesOf(db: Db, referralId: number): Promise<ConversationMessage[]> {
  const rows = await db
    .selectFrom("referral_messages")
    .selectAll()
    .where("referral_id", "=", referralId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    referralId: Number(row.referral_id),
    from: row.sender === "counsellor" ? "counsellor" : "person",
    author: row.author,
    text: row.text,
    createdAt: row.created_at,
    readAt: row.read_at,
  }));
}

async function insertMessage(
  db: Db,
  referral: Referral,
  from: "counsellor" | "person",
  author: string | null,
  text: string,
  now: Date,
): Promise<ConversationMessage> {
  const createdAt = now.toISOString();
  const row = await db
    .insertInto("referral_messages")
    .values({
      referral_id: referral.id,
      address: referral.address,
      sender: from,
      author,
      text,
      created_at: createdAt,
      read_at: null,
    })
    // The id of this very row: two counsellors writing at once must not get each other's.
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), referralId: referral.id, from, author, text, createdAt, readAt: null };
}

/**
 * Writes a counsellor's message to the person: queues it in their chat as a
 * reply (lane 0) in the `counsel` flow, marked as from a counsellor of the
 * organisation, stores it in the thread, opens the conversation, marks the
 * request contacted (and assigns it to the writer when nobody has it), and
 * records the action in the audit log (the request's number only). Nothing is
 * stored or sent when the person said stop or cannot be reached.
 *
 * @example
 * const result = await app.store.transaction((tx) =>
 *   sendFromCounsellor(tx, app, { referralId: 12, text: "Hello, I am Sara.", by: staff }, app.clock.now()),
 * );
 * if (!result.sent && result.reason === "unreachable") showNotSent();
 */
export async function sendFromCounsellor(
  tx: StoreTx,
  deps: CounselDeps,
  input: { referralId: number; text: string; by: StaffSession },
  now: Date,
): Promise<SendResult> {
  const text = input.text.trim();
  if (!text) return { sent: false, reason: "empty" };
  if ([...text].length > maxCounsellorMessage) return { sent: false, reason: "tooLong" };
  const referral = await referralById(tx.db, input.referralId);
  if (!referral) return { sent: false, reason: "unknown" };
  const params = { message: text, ...(referral.conversationOpen ? {} : { first: "1" }) };
  if (!(await deps.engine.startProactively(tx, referral.address, "counsel", params, now, "reply"))) {
    return { sent: false, reason: "unreachable" };
  }
  const message = await insertMessage(tx.db, referral, "counsellor", input.by.address, text, now);
  await updateReferral(tx.db, referral.id, {
    status: "contacted",
    conversationOpen: true,
    conversationEndedBy: null,
    ...(referral.assignedTo === null ? { assignedTo: input.by.address as Address } : {}),
  });
  await audit(tx.db, input.by, "referral.message", { referral: referral.id }, now);
  return { sent: true, message };
}

/**
 * Stores what the person wrote in an open conversation, for the console. The
 * first unread message of a row tells the assigned counsellor (or, if nobody
 * has it, every counsellor) in their chat that there is something to read,
 * with the request's number, the chosen name and the console link, never the
 * text. Returns `closed` when no conversation is open (nothing stored).
 *
 * @example
 * await receiveFromPerson(tx, deps, user.address, "Thank you, Tuesday is fine", now);
 */
export async function receiveFromPerson(
  tx: StoreTx,
  deps: CounselDeps,
  address: Address,
  text: string,
  now: Date,
): Promise<"sent" | "closed"> {
  const referral = await referralOf(tx.db, address);
  if (!referral?.conversationOpen || !text.trim()) return "closed";
  const unread = await tx.db
    .selectFrom("referral_messages")
    .select("id")
    .where("referral_id", "=", referral.id)
    .where("sender", "=", "person")
    .where("read_at", "is", null)
    .executeTakeFirst();
  await insertMessage(tx.db, referral, "person", null, text.trim(), now);
  if (!unread) {
    const to = await responsibleCounsellors(tx, deps, referral);
    const name = personName(referral);
    await tellCounsellors(
      tx,
      deps,
      to,
      () => [msg("return.staff.newMessage", { id: referral.id, name, url: consoleLink(deps, referral.id) })],
      now,
      // The chosen name is the person's own words: the notice goes with their data.
      referral.address,
    );
  }
  return "sent";
}

/**
 * Ends the open conversation of a referral. When a counsellor ends it, the
 * person is told in their chat (and leaves the `counsel` flow if they are in
 * it) and the action is audited; when the person ends it (the `counsel` flow
 * says so itself) the console shows it. Returns the referral as it is now, or
 * undefined when there was no open conversation.
 *
 * @example
 * await endConversation(tx, app, { referralId: 12, by: staff }, now);
 * await endConversation(tx, deps, { referralId: 12, by: "person" }, now);
 */
export async function endConversation(
  tx: StoreTx,
  deps: CounselDeps,
  input: { referralId: number; by: StaffSession | "person" },
  now: Date,
): Promise<Referral | undefined> {
  const referral = await referralById(tx.db, input.referralId);
  if (!referral?.conversationOpen) return undefined;
  const side = input.by === "person" ? "person" : "counsellor";
  const ended = await updateReferral(tx.db, referral.id, { conversationOpen: false, conversationEndedBy: side });
  if (input.by !== "person") {
    await tellPersonEnded(tx, deps, referral.address, now);
    await audit(tx.db, input.by, "referral.end", { referral: referral.id }, now);
  }
  return ended;
}

/** The person reads that the counsellor ended it; someone in the conversation leaves it, anyone else stays put. */
async function tellPersonEnded(tx: StoreTx, deps: CounselDeps, address: Address, now: Date): Promise<void> {
  const conversation = await tx.getConversation(address);
  if (conversation?.flowId === "counsel") {
    await deps.engine.startProactively(tx, address, "counsel", { ended: "counsellor" }, now, "reply");
    return;
  }
  const reply = { kind: "text" as const, lines: [msg("return.counsel.endedByCounsellor", { org: deps.orgName })] };
  await deps.engine.notify(tx, address, reply, now, "reply");
}

/**
 * Who should hear of news on a referral: its counsellor while they still
 * have the role, else every counsellor now.
 */
async function responsibleCounsellors(tx: StoreTx, deps: CounselDeps, referral: Referral): Promise<Address[]> {
  const all = await new StaffRights(deps.staff, deps.logger).holders(tx, "counsellor");
  return referral.assignedTo && all.includes(referral.assignedTo) ? [referral.assignedTo] : all;
}

/**
 * Queues a notice to each counsellor in their own language. `subject` is the
 * person the notice is about when it carries anything of theirs, so that
 * their "delete my data" deletes it from the counsellors' outbox too.
 *
 * @example
 * await tellCounsellors(tx, deps, ["telegram:1"], () => [msg("return.staff.withdrawn", { id: 12 })], now);
 */
export async function tellCounsellors(
  tx: StoreTx,
  deps: Pick<CounselDeps, "engine">,
  to: readonly Address[],
  lines: (language: string) => Line[],
  now: Date,
  subject?: Address,
): Promise<void> {
  for (const counsellor of to) {
    const language = (await tx.getUser(counsellor))?.language ?? "en";
    const rendered = deps.engine.renderer.render({ kind: "text", lines: lines(language) }, language);
    await tx.enqueue(counsellor, [{ ...rendered, purpose: "notice" }], now, subject ? { subject } : {});
  }
}
