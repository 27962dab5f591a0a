/**
 * Sending through the WhatsApp Cloud API for the outbox. Inside the 24-hour
 * window after the person's last message, free-form messages go out; outside
 * it (or when WhatsApp answers 131047) only the approved template for the
 * message's purpose may, with the message's words as its parameter.
 * Throughput errors (130429, 131056) back off; other refusals are recorded.
 */
import type { WhatsAppAPI } from "whatsapp-api-js";
import { parseAddress } from "../../domain/address.ts";
import type { Clock } from "../../domain/clock.ts";
import { templateLanguage } from "../../domain/languages.ts";
import type { Outbound, Purpose } from "../../domain/outbound.ts";
import type { ChannelRate, ChannelSender, SendResult } from "../../outbox/channel-sender.ts";
import type { Store } from "../../storage/store.ts";
import { renderForWhatsApp, template, type WhatsAppMessage } from "./render.ts";
import { templateWords, whatsappWindowMs } from "./window.ts";

/** WhatsApp's default throughput: 80 messages a second per number. */
export const whatsappRate: ChannelRate = { perSecond: 80, perChatIntervalMs: 1000 };

/** Error codes that mean "slow down and try again". */
const retryCodes = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056]);
const outsideWindow = 131047;

/** What the sender needs. */
export interface WhatsAppSenderOptions {
  api: WhatsAppAPI;
  phoneNumberId: string;
  /** Approved template names by purpose; `notice` is the fallback for any purpose without its own. */
  templates: Partial<Record<Purpose, string>>;
  store: Store;
  clock: Clock;
  rate?: ChannelRate;
}

interface GraphResponse {
  messages?: { id: string }[];
  error?: { code?: number; message?: string };
}

/**
 * The WhatsApp channel sender.
 *
 * @example
 * whatsappSender({ api, phoneNumberId, templates: { nudge: "lotse_nudge", notice: "lotse_notice" }, store, clock });
 */
export function whatsappSender(options: WhatsAppSenderOptions): ChannelSender {
  const sendOne = async (to: string, message: WhatsAppMessage): Promise<GraphResponse> =>
    (await options.api.sendMessage(options.phoneNumberId, to, message)) as GraphResponse;

  const templateFor = (out: Outbound, language: string): WhatsAppMessage | undefined => {
    const purpose = out.purpose && out.purpose !== "reply" ? out.purpose : "notice";
    const name = options.templates[purpose] ?? options.templates.notice;
    return name ? template(name, language, [templateWords(out)]) : undefined;
  };

  return {
    channel: "whatsapp",
    account: options.phoneNumberId,
    rate: options.rate ?? whatsappRate,
    async send(address, outbound, sendOptions) {
      const to = parseAddress(address).id;
      const user = await options.store.reader.getUser(address);
      // No profile: the person has just deleted their data, and this is the goodbye to the message they
      // sent seconds ago. Sent free-form; if WhatsApp says the window is closed (131047) the template follows.
      const inWindow =
        user === undefined || options.clock.now().getTime() - (user.lastInboundAt?.getTime() ?? 0) < whatsappWindowMs;
      const asTemplate = () =>
        templateFor(outbound, templateLanguage(user?.language ?? null, user?.secondLanguage ?? null));
      let messages: (WhatsAppMessage | undefined)[];
      try {
        messages = outbound.forceTemplate || !inWindow ? [asTemplate()] : renderForWhatsApp(outbound);
      } catch (error) {
        // The library's builders check WhatsApp's limits before any request: a refusal there is for good.
        return {
          kind: "failed",
          reason: `refused before sending: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      if (messages.some((m) => m === undefined)) {
        return {
          kind: "failed",
          reason: `outside the 24-hour window and no template is configured for "${outbound.purpose ?? "notice"}"`,
        };
      }
      let platformId: string | undefined;
      // A retry resumes after the parts WhatsApp already accepted (a long text split in several).
      let part = Math.min(sendOptions?.fromPart ?? 0, messages.length - 1);
      try {
        for (; part < messages.length; part++) {
          const message = messages[part] as WhatsAppMessage;
          let response = await sendOne(to, message);
          if (response.error?.code === outsideWindow) {
            const fallback = asTemplate();
            if (!fallback)
              return { kind: "failed", reason: "131047 outside the 24-hour window, and no template is configured" };
            response = await sendOne(to, fallback);
          }
          const result = classify(response);
          if (result)
            return result.kind === "retry" || result.kind === "failed" ? { ...result, partsSent: part } : result;
          platformId = response.messages?.[0]?.id;
        }
      } catch (error) {
        return {
          kind: "retry",
          reason: `network: ${error instanceof Error ? error.message : String(error)}`,
          partsSent: part,
        };
      }
      return { kind: "sent", ...(platformId ? { platformId } : {}) };
    },
  };
}

/** A failed Graph API answer as a send result; undefined when the message was accepted. */
function classify(response: GraphResponse): SendResult | undefined {
  if (response.messages?.[0]?.id) return undefined;
  const code = response.error?.code;
  const reason = `${code ?? "?"} ${response.error?.message ?? "no message id in the answer"}`;
  // 130429 slows the whole number down; 131056 (the pair rate: Meta allows bursts of about 45 in 6 s to
  // one person) only this person, and briefly.
  const wait =
    code === 130429
      ? { afterMs: 2_000, scope: "channel" as const }
      : code === 131056
        ? { afterMs: 1_500, scope: "chat" as const }
        : {};
  if (code === undefined || retryCodes.has(code)) return { kind: "retry", reason, ...wait };
  return { kind: "failed", reason };
}
