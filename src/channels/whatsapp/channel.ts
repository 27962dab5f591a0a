/**
 * The WhatsApp channel: the webhook (verification challenge, signed
 * deliveries of messages and statuses), replies through the outbox, and a
 * message WhatsApp refused outside the 24-hour window sent again as a template.
 */
import { Hono } from "hono";
import { WhatsAppAPI } from "whatsapp-api-js";
import type { App } from "../../app.ts";
import type { Inbound } from "../../domain/inbound.ts";
import type { Purpose } from "../../domain/outbound.ts";
import { bodyText } from "../../http/node-body.ts";
import { hashAddress } from "../../log.ts";
import type { ChannelRate, ChannelSender } from "../../outbox/channel-sender.ts";
import { isStorageUnavailable, storageCode } from "../../storage/unavailable.ts";
import { isWhatsAppWebhook, parseWebhook, type WhatsAppStatus } from "./parse.ts";
import { whatsappRate, whatsappSender } from "./sender.ts";

/** WhatsApp settings from the configuration. */
export interface WhatsAppOptions {
  token: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  /** Meta's Graph API by default; a local fake in tests. */
  apiUrl: string;
  apiVersion: string;
  templates: Partial<Record<Purpose, string>>;
  rate?: ChannelRate;
}

/** A running WhatsApp channel. */
export interface WhatsAppChannel {
  sender: ChannelSender;
  routes: Hono;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const graphOrigin = "https://graph.facebook.com";

/**
 * A fetch that sends the client library's Graph API requests to `apiUrl`
 * instead (its host is fixed in its code).
 */
function fetchTo(apiUrl: string, timeoutMs: number): typeof fetch {
  const target = apiUrl.replace(/\/+$/, "");
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    // A hung request must end well before the outbox's claim lease, or another process might send it again.
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(url.startsWith(graphOrigin) ? target + url.slice(graphOrigin.length) : url, { ...init, signal });
  };
}

/** Each Graph API request ends after this long: shorter than the outbox's lease and its send timeout. */
const requestTimeoutMs = 10_000;

/** Applies one status: recorded on the delivery, or a 131047 refusal queued again as a template. */
async function applyStatus(app: App, status: WhatsAppStatus): Promise<void> {
  const now = app.clock.now();
  // "sent" only repeats what the send already told us.
  if (status.status === "sent") return;
  if (status.status === "failed" && status.errorCode === 131047) {
    const row = await app.store.db
      .selectFrom("outbox")
      .select(["id", "payload"])
      .where("platform_id", "=", status.messageId)
      .executeTakeFirst();
    if (row) {
      const payload = { ...(JSON.parse(row.payload) as object), forceTemplate: true };
      await app.store.db
        .updateTable("outbox")
        .set({
          payload: JSON.stringify(payload),
          status: "queued",
          not_before: now.toISOString(),
          platform_id: null,
          error: "131047: sent again as a template",
        })
        .where("id", "=", row.id)
        .execute();
      return;
    }
  }
  const error = status.errorCode !== undefined ? `${status.errorCode} ${status.errorTitle ?? ""}`.trim() : undefined;
  await app.store.recordDeliveryStatus(status.messageId, status.status, now, error);
}

/** The parsed body, or undefined when it is not JSON. */
function jsonOrUndefined(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * One message of a batch, on its own: a storage failure is rethrown (the batch is answered 503), any other
 * failure is logged and the message skipped, so it cannot sink the valid messages beside it.
 */
async function handleOne(app: App, inbound: Inbound): Promise<void> {
  try {
    await app.engine.handle(inbound);
  } catch (error) {
    if (isStorageUnavailable(error)) throw error;
    app.logger.error("whatsapp.message_failed", { who: hashAddress(inbound.address), kind: inbound.kind, error });
  }
}

/** One status of a batch, on its own, like {@link handleOne}. */
async function applyOne(app: App, status: WhatsAppStatus): Promise<void> {
  try {
    await applyStatus(app, status);
  } catch (error) {
    if (isStorageUnavailable(error)) throw error;
    app.logger.error("whatsapp.status_failed", { status: status.status, error });
  }
}

/**
 * The webhook routes: `GET /webhooks/whatsapp` answers Meta's verification
 * challenge; `POST /webhooks/whatsapp` reads only bodies signed with the app secret.
 *
 * @example
 * http.route("/", whatsappWebhookRoutes(app, api));
 */
export function whatsappWebhookRoutes(app: App, api: WhatsAppAPI): Hono {
  const routes = new Hono();
  routes.get("/webhooks/whatsapp", (c) => {
    try {
      return c.text(api.get(c.req.query() as Parameters<WhatsAppAPI["get"]>[0]));
    } catch {
      return c.text("verification failed", 403);
    }
  });
  routes.post("/webhooks/whatsapp", async (c) => {
    const raw = await bodyText(c);
    const signature = c.req.header("x-hub-signature-256") ?? "";
    if (!signature || !(await api.verifyRequestSignature(raw, signature).catch(() => false))) {
      return c.json({ error: "missing or wrong X-Hub-Signature-256" }, 401);
    }
    const body = jsonOrUndefined(raw);
    // Signed by Meta but unreadable: it can never be processed, and any answer but 200 would bring it back for days.
    if (!isWhatsAppWebhook(body)) {
      app.metrics.messagesIn.inc({ channel: "whatsapp", result: "malformed" });
      app.logger.warn("whatsapp.malformed", { reason: body === undefined ? "not JSON" : "not a WhatsApp webhook" });
      return c.json({ ok: true });
    }
    const webhook = parseWebhook(body, app.clock.now());
    if (webhook.malformed.length > 0) {
      // Statuses are not messages in: only the malformed messages count.
      const messages = webhook.malformed.filter((part) => part.startsWith("message")).length;
      if (messages > 0) app.metrics.messagesIn.inc({ channel: "whatsapp", result: "malformed" }, messages);
      app.logger.warn("whatsapp.malformed", { parts: webhook.malformed.slice(0, 20) });
    }
    if (webhook.unreachable.length > 0) {
      // See parse.ts: without a phone number no reply could reach them; acknowledged, never merged with others.
      app.logger.warn("whatsapp.unreachable_sender", { messages: webhook.unreachable.length, reason: "BSUID only" });
    }
    try {
      // Each message once: the engine skips ids it has seen, so Meta's retries are harmless.
      for (const inbound of webhook.messages) await handleOne(app, inbound);
      for (const status of webhook.statuses) await applyOne(app, status);
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error;
      // Not stored: Meta sends the whole webhook again, and what was stored before the failure is skipped then.
      // Stopping at the first failure keeps one person's messages in order.
      app.logger.error("whatsapp.storage_unavailable", { error, dbCode: storageCode(error) });
      return c.json({ error: "storage unavailable: send again later" }, 503);
    }
    if (webhook.ignored.length > 0) app.logger.debug("whatsapp.ignored", { types: webhook.ignored });
    for (const status of webhook.statuses.filter((s) => s.status === "failed")) {
      app.logger.warn("whatsapp.failed_status", {
        who: status.recipient ? hashAddress(status.recipient) : undefined,
        code: status.errorCode,
      });
    }
    return c.json({ ok: true });
  });
  return routes;
}

/**
 * Builds the WhatsApp channel.
 *
 * @example
 * const whatsapp = createWhatsAppChannel(app, { token, phoneNumberId, appSecret, verifyToken, apiUrl, apiVersion, templates });
 */
export function createWhatsAppChannel(app: App, options: WhatsAppOptions): WhatsAppChannel {
  const api = new WhatsAppAPI({
    token: options.token,
    appSecret: options.appSecret,
    webhookVerifyToken: options.verifyToken,
    v: options.apiVersion,
    ponyfill: { fetch: fetchTo(options.apiUrl, requestTimeoutMs) },
  });
  return {
    sender: whatsappSender({
      api,
      phoneNumberId: options.phoneNumberId,
      templates: options.templates,
      store: app.store,
      clock: app.clock,
      rate: options.rate ?? whatsappRate,
    }),
    routes: whatsappWebhookRoutes(app, api),
    async start() {
      app.logger.info("whatsapp.ready", { phoneNumberId: options.phoneNumberId });
    },
    async stop() {},
  };
}
