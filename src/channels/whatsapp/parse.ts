/**
 * WhatsApp Cloud API webhooks into Lotse's inbound messages and delivery
 * statuses. One webhook can carry several entries, changes and messages; all
 * of them are read (the client library's own parser reads only the first).
 */
import { type Address, toAddress } from "../../domain/address.ts";
import type { Inbound } from "../../domain/inbound.ts";

/** A delivery status of a message the bot sent. */
export interface WhatsAppStatus {
  /** The `wamid` the send returned. */
  messageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  recipient: Address;
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
}

interface WaMessage {
  from: string;
  id: string;
  timestamp?: string;
  type: string;
  text?: { body: string };
  interactive?: { type: string; button_reply?: { id: string }; list_reply?: { id: string } };
  button?: { payload?: string; text?: string };
  location?: { latitude: number; longitude: number };
  image?: { caption?: string };
  video?: { caption?: string };
  document?: { caption?: string };
}

interface WaStatus {
  id: string;
  status: string;
  recipient_id: string;
  errors?: { code?: number; title?: string }[];
}

interface WaValue {
  messages?: WaMessage[];
  statuses?: WaStatus[];
}

interface WaBody {
  object?: string;
  entry?: { changes?: { field?: string; value?: WaValue }[] }[];
}

/** Whether a parsed JSON body looks like a WhatsApp webhook at all. */
export function isWhatsAppWebhook(body: unknown): body is WaBody {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as WaBody).object === "whatsapp_business_account" &&
    Array.isArray((body as WaBody).entry)
  );
}

/**
 * Reads every message and status of a webhook body.
 *
 * @example
 * const { messages, statuses } = parseWebhook(JSON.parse(raw), new Date());
 */
export function parseWebhook(body: WaBody, receivedAt: Date): WhatsAppWebhook {
  const out: WhatsAppWebhook = { messages: [], statuses: [], ignored: [] };
  for (const entry of body.entry ?? []) {
    for (const change of entry.changes ?? []) {
      if (change.field !== "messages" || !change.value) continue;
      for (const message of change.value.messages ?? []) {
        const inbound = toInbound(message, receivedAt);
        if (inbound) out.messages.push(inbound);
        else out.ignored.push(message.type);
      }
      for (const status of change.value.statuses ?? []) {
        const parsed = toStatus(status);
        if (parsed) out.statuses.push(parsed);
      }
    }
  }
  return out;
}

function toInbound(message: WaMessage, receivedAt: Date): Inbound | undefined {
  const base = { id: `whatsapp:${message.id}`, address: toAddress("whatsapp", message.from), receivedAt };
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

function toStatus(status: WaStatus): WhatsAppStatus | undefined {
  if (!["sent", "delivered", "read", "failed"].includes(status.status)) return undefined;
  const error = status.errors?.[0];
  return {
    messageId: status.id,
    status: status.status as WhatsAppStatus["status"],
    recipient: toAddress("whatsapp", status.recipient_id),
    ...(error?.code !== undefined ? { errorCode: error.code } : {}),
    ...(error?.title ? { errorTitle: error.title } : {}),
  };
}
