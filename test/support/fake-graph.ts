/**
 * A local fake of Meta's Graph API (the WhatsApp Cloud API's send endpoint)
 * for end-to-end tests: records each request body, answers with a `wamid`,
 * and can be told to refuse with a WhatsApp error code.
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One recorded send. */
export interface GraphRequest {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> & { to?: string; type?: string };
}

/** A running fake. */
export interface FakeGraph {
  url: string;
  requests: GraphRequest[];
  /** Refuse the next `times` sends with this WhatsApp error code. */
  refuse(code: number, message: string, times?: number): void;
  close(): Promise<void>;
}

/** Starts the fake on a free port. */
export async function startFakeGraph(): Promise<FakeGraph> {
  const requests: GraphRequest[] = [];
  const refusals: { code: number; message: string }[] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      const body = JSON.parse(raw || "{}") as GraphRequest["body"];
      requests.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
      res.setHeader("content-type", "application/json");
      const refusal = refusals.shift();
      if (refusal) {
        res.statusCode = 400;
        return res.end(
          JSON.stringify({
            error: { message: refusal.message, type: "OAuthException", code: refusal.code, fbtrace_id: "x" },
          }),
        );
      }
      next += 1;
      res.end(
        JSON.stringify({
          messaging_product: "whatsapp",
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id: `wamid.OUT${next}` }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    refuse: (code, message, times = 1) => {
      for (let i = 0; i < times; i++) refusals.push({ code, message });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** JSON as Meta sends it: non-ASCII escaped as \u sequences. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The X-Hub-Signature-256 header Meta would send for a body. */
export function signature(body: string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

/** What one webhook change carries: messages with their senders' contacts, or statuses. */
export interface WhatsAppWebhookValue {
  contacts?: object[];
  messages?: object[];
  statuses?: object[];
}

/**
 * The body Meta posts to the webhook around one change, as in `src/channels/whatsapp/samples/`.
 *
 * @example
 * const raw = metaJson(whatsappWebhookBody({ contacts, messages: [whatsappTextMessage("4915112345678", "hi", "wamid.1")] }));
 */
export function whatsappWebhookBody(value: WhatsAppWebhookValue, phoneNumberId = "106540352242922"): object {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "4930123456789", phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** A sender's contact entry, as Meta sends it beside their messages. */
export function whatsappContact(waId: string, name = "Amal"): object {
  return { profile: { name }, wa_id: waId };
}

/** A text message from `from`, as in a webhook. */
export function whatsappTextMessage(from: string, body: string, id: string, timestamp = "1772442000"): object {
  return { from, id, timestamp, type: "text", text: { body } };
}
