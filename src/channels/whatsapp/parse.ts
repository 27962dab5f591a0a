/**
 * WhatsApp Cloud API webhooks into Lotse's inbound messages and delivery
 * statuses. One webhook can carry several entries, changes and messages; all
 * of them are read (the client library's own parser reads only the first).
 *
 * Each message and status is checked on its own: a malformed one is left out
 * (and named in `malformed`, for the log) while the others are processed, so
 * one bad message can no longer sink a batch on every retry. An address is
 * built only from a `wa_id` of digits, never from a missing field
 * (`whatsapp:undefined` once merged strangers into one conversation).
 *
 * People who use a WhatsApp username may come without a phone number: their
 * message has no `from`, only `from_user_id` (and `contacts[].user_id`), a
 * business-scoped user id (BSUID) such as `US.13491208655302741918`. The Cloud
 * API reaches them only through the new `recipient` field of a send (`to`
 * stays a phone number), and our sender builds its requests with
 * whatsapp-api-js's `sendMessage(phoneNumberId, to, …)`, which sets `to`. A
 * reply could therefore not be delivered: such messages are reported in
 * `unreachable` (the webhook logs them) and acknowledged, never merged into
 * someone else's conversation. Supporting them means a `whatsapp:bsuid:<id>`
 * address and a sender that puts it in `recipient`.
 */
import { z } from "zod";
import { type Address, toAddress } from "../../domain/address.ts";
import type { Inbound } from "../../domain/inbound.ts";

/** A delivery status of a message the bot sent. */
export interface WhatsAppStatus {
  /** The `wamid` the send returned. */
  messageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  /** Absent when WhatsApp sent no phone number (a person known only by a BSUID). */
  recipient?: Address;
  /** For `failed`: the error code, such as 131047 (outside the 24-hour window). */
  errorCode?: number;
  errorTitle?: string;
}

/** What one webhook carries. */
export interface WhatsAppWebhook {
  messages: Inbound[];
  statuses: WhatsAppStatus[];
  /** Message types read but not answered (reactions), for the log. */
  ignored: string[];
  /** Why each left-out part could never be processed, for the log (no personal values). */
  malformed: string[];
  /** Messages from people known only by a BSUID, whom no reply could reach: their message ids, for the log. */
  unreachable: string[];
}

/** A `wa_id`: the phone number in international form, digits only. */
const waId = z.string().regex(/^[1-9]\d{4,19}$/);
/** A BSUID: a country code, a dot, letters and digits (a parent BSUID has `ENT.` in between). */
const bsuid = z.string().regex(/^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/);
/** A `wamid`: base64-like, kept short enough for the seen-ids table. */
const wamid = z.string().regex(/^[\w.+/=:-]{1,256}$/);
const choiceId = z.string().min(1).max(256);
const caption = z.object({ caption: z.string().optional().catch(undefined) }).optional();

const waMessage = z.looseObject({
  id: wamid,
  type: z.string().min(1).max(64),
  from: waId.optional(),
  from_user_id: bsuid.optional().catch(undefined),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      button_reply: z.object({ id: choiceId }).optional(),
      list_reply: z.object({ id: choiceId }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().max(256).optional(), text: z.string().optional() }).optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  image: caption,
  video: caption,
  document: caption,
});
type WaMessage = z.infer<typeof waMessage>;

const waStatus = z.object({
  id: wamid,
  status: z.string().max(64),
  recipient_id: z.unknown().optional(),
  errors: z
    .array(
      z.looseObject({ code: z.number().optional().catch(undefined), title: z.string().optional().catch(undefined) }),
    )
    .optional()
    .catch(undefined),
});

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

interface WaBody {
  object: "whatsapp_business_account";
  entry: unknown[];
}

/** Whether a parsed JSON body looks like a WhatsApp webhook at all. */
export function isWhatsAppWebhook(body: unknown): body is WaBody {
  const value = record(body);
  return value?.object === "whatsapp_business_account" && Array.isArray(value.entry);
}

function problem(what: string, index: number, error: z.ZodError): string {
  const issue = error.issues[0];
  return `${what} ${index}: ${issue ? `${issue.path.join(".") || "(root)"} ${issue.code}` : "invalid"}`;
}

/**
 * Reads every message and status of a webhook body. Never throws: a part it
 * cannot read is named in `malformed` and left out.
 *
 * @example
 * const { messages, statuses, malformed } = parseWebhook(JSON.parse(raw), new Date());
 */
export function parseWebhook(body: WaBody, receivedAt: Date): WhatsAppWebhook {
  const out: WhatsAppWebhook = { messages: [], statuses: [], ignored: [], malformed: [], unreachable: [] };
  for (const entry of list(body.entry)) {
    for (const change of list(record(entry)?.changes)) {
      const value = record(record(change)?.value);
      if (record(change)?.field !== "messages" || !value) continue;
      for (const [index, raw] of list(value.messages).entries()) {
        const parsed = waMessage.safeParse(raw);
        if (!parsed.success) {
          out.malformed.push(problem("message", index, parsed.error));
          continue;
        }
        const m = parsed.data;
        if (m.from === undefined) {
          if (m.from_user_id !== undefined) out.unreachable.push(m.id);
          else out.malformed.push(`message ${index}: from missing`);
          continue;
        }
        const inbound = toInbound(m, m.from, receivedAt);
        if (inbound) out.messages.push(inbound);
        else out.ignored.push(m.type);
      }
      for (const [index, raw] of list(value.statuses).entries()) {
        const parsed = waStatus.safeParse(raw);
        if (!parsed.success) {
          out.malformed.push(problem("status", index, parsed.error));
          continue;
        }
        const read = toStatus(parsed.data);
        if (read) out.statuses.push(read);
      }
    }
  }
  return out;
}

function toInbound(message: WaMessage, from: string, receivedAt: Date): Inbound | undefined {
  const base = { id: `whatsapp:${message.id}`, address: toAddress("whatsapp", from), receivedAt };
  switch (message.type) {
    case "text":
      return { ...base, kind: "text", text: message.text?.body ?? "" };
    case "interactive": {
      const id = message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id;
      return id ? { ...base, kind: "choice", choiceId: id } : { ...base, kind: "unsupported", what: "interactive" };
    }
    case "button":
      // A template's quick-reply button: its payload, or the words on it.
      if (message.button?.payload && /^[a-z]+\.[\w.-]+$/.test(message.button.payload)) {
        return { ...base, kind: "choice", choiceId: message.button.payload };
      }
      return { ...base, kind: "text", text: message.button?.text ?? "" };
    case "location":
      return message.location
        ? { ...base, kind: "location", latitude: message.location.latitude, longitude: message.location.longitude }
        : undefined;
    case "image":
    case "video":
    case "document": {
      const caption = message[message.type]?.caption;
      const mediaKind = message.type === "image" ? "image" : message.type === "video" ? "video" : "document";
      return { ...base, kind: "media", mediaKind, ...(caption ? { caption } : {}) };
    }
    case "audio":
      return { ...base, kind: "media", mediaKind: "audio" };
    case "sticker":
      return { ...base, kind: "media", mediaKind: "sticker" };
    case "contacts":
      return { ...base, kind: "media", mediaKind: "contact" };
    case "reaction":
      // A thumbs-up on an earlier message needs no answer.
      return undefined;
    default:
      return { ...base, kind: "unsupported", what: message.type };
  }
}

function toStatus(status: z.infer<typeof waStatus>): WhatsAppStatus | undefined {
  if (!["sent", "delivered", "read", "failed"].includes(status.status)) return undefined;
  const error = status.errors?.[0];
  const recipient = waId.safeParse(status.recipient_id);
  return {
    messageId: status.id,
    status: status.status as WhatsAppStatus["status"],
    ...(recipient.success ? { recipient: toAddress("whatsapp", recipient.data) } : {}),
    ...(error?.code !== undefined ? { errorCode: error.code } : {}),
    ...(error?.title ? { errorTitle: error.title } : {}),
  };
}
