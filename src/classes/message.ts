/**
 * A teacher's message to the class: a broadcast whose audience is the class's learners (those who
 * have not said stop; they need not want news), so it goes out through the outbox's bulk lane within
 * the platforms' limits, reaches WhatsApp learners outside the 24-hour window through the template,
 * keeps delivery counts, and is sent only while its creator may still see the class
 * (src/broadcasts/creator.ts). Each learner gets the text in their own language, else their second,
 * else the class's first language written, with a line saying which class it is from.
 */
import { msg } from "../../flows/kit.ts";
import { audienceQuery, createBroadcast, everyone } from "../broadcasts/broadcasts.ts";
import { defaultRenderer } from "../broadcasts/renderer.ts";
import { whatsappWindowMs } from "../channels/whatsapp/window.ts";
import { LotseError } from "../domain/errors.ts";
import type { ReplyRenderer } from "../engine/render.ts";
import type { SqlScheduler } from "../scheduler/scheduler.ts";
import type { StoreTx } from "../storage/store.ts";
import type { ClassRecord } from "./repository.ts";

/** What sending needs; the renderer writes the "from your class" line (the chat's own by default). */
export interface ClassMessageServices {
  scheduler: SqlScheduler;
  renderer?: ReplyRenderer;
}

// The class audience reads no course progress: no lessons are needed to build it.
const noLessons = { lessonsOf: () => [] };

/** The audience of a class's messages. */
const classAudience = (cls: ClassRecord) => ({ ...everyone, classId: cls.id });

/**
 * How many learners a class message reaches now (the same query the sending uses).
 *
 * @example
 * await classMessageReach(tx, cls); // 12
 */
export async function classMessageReach(tx: StoreTx, cls: ClassRecord): Promise<number> {
  const row = await audienceQuery(tx.db, classAudience(cls), noLessons)
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * How many of the class's learners are on WhatsApp and last wrote more than 24 hours ago: WhatsApp lets
 * the bot reach them only with the approved broadcast template (`WHATSAPP_TEMPLATE_BROADCAST`); without
 * one they get nothing, which the teacher must be told before sending (the WhatsApp trial).
 *
 * @example
 * await classMessageOutsideWindow(tx, cls, now); // 3
 */
export async function classMessageOutsideWindow(tx: StoreTx, cls: ClassRecord, now: Date): Promise<number> {
  const windowStart = new Date(now.getTime() - whatsappWindowMs).toISOString();
  const row = await audienceQuery(tx.db, classAudience(cls), noLessons)
    .where("users.address", "like", "whatsapp:%")
    .where((eb) => eb.or([eb("users.last_inbound_at", "is", null), eb("users.last_inbound_at", "<=", windowStart)]))
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Sends (or, with `sendAt`, schedules) a message to every learner of the class. `texts` holds the
 * message per language (empty ones are left out; at least one is needed, else `classes.invalid`);
 * `by` is the teacher's or admin's address, whose right to the class is checked again when it goes
 * out. Returns the broadcast and how many learners it reaches now.
 *
 * @example
 * const { broadcastId, recipients } = await messageClass({ scheduler }, tx, cls,
 *   { en: "No class on Thursday.", fa: "پنجشنبه کلاس نداریم." }, "telegram:7", now);
 */
export async function messageClass(
  services: ClassMessageServices,
  tx: StoreTx,
  cls: ClassRecord,
  texts: Record<string, string>,
  by: string,
  now: Date,
  sendAt?: Date,
): Promise<{ broadcastId: number; recipients: number }> {
  const written = Object.entries(texts)
    .map(([language, text]) => [language, text.trim()] as const)
    .filter(([, text]) => text.length > 0);
  if (written.length === 0) throw new LotseError("classes.invalid", "a class message needs a text");
  const renderer = services.renderer ?? defaultRenderer();
  const from = msg("teaching.learner.messageFrom", { name: cls.name });
  const withHeader = Object.fromEntries(
    written.map(([language, text]) => [language, `${renderer.msg(from, language)}\n\n${text}`]),
  );
  const broadcastId = await createBroadcast(
    tx,
    services.scheduler,
    {
      text: withHeader,
      // People whose own and second language have no text read the class's first language written.
      defaultLanguage: cls.languages.find((l) => withHeader[l] !== undefined),
      audience: classAudience(cls),
      sendAt: sendAt ?? now,
      createdBy: by,
    },
    now,
  );
  return { broadcastId, recipients: await classMessageReach(tx, cls) };
}
