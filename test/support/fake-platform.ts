/**
 * A local stand-in for a messaging platform's send API, for outbox tests: it
 * records every request, answers 429 with `retry_after` when a client sends
 * faster than the platform allows, and can be told to fail in other ways.
 * A sender speaking to it over real HTTP stands in for a platform adapter.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Address } from "../../src/domain/address.ts";
import type { Outbound } from "../../src/domain/outbound.ts";
import type { ChannelRate, ChannelSender, SendOptions, SendResult } from "../../src/outbox/channel-sender.ts";

/** One accepted request. */
export interface Received {
  at: number;
  chat: string;
  text: string;
}

/** Rules of the fake platform. */
export interface FakeRules {
  /** Requests a second allowed in all; more get 429. */
  perSecond: number;
  /** Least ms between two requests to one chat; closer gets 429. */
  perChatIntervalMs: number;
  /** Chats that have blocked the bot (403). */
  blocked?: Set<string>;
  /** Answer the next N requests with 502. */
  failNext?: number;
  /** Answer the requests with these texts with 502, once each (a part of a multi-part message failing). */
  failTexts?: Set<string>;
  /** Never answer requests to these chats (a hanging platform for one person). */
  hangChats?: Set<string>;
}

/** A running fake platform. */
export interface FakePlatform {
  url: string;
  accepted: Received[];
  rejected429: number;
  rules: FakeRules;
  close(): Promise<void>;
}

/** Starts the fake on a free local port. */
export async function startFakePlatform(rules: FakeRules): Promise<FakePlatform> {
  const accepted: Received[] = [];
  const lastByChat = new Map<string, number>();
  const recent: number[] = [];
  const state = { rejected429: 0 };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const { chat, text } = JSON.parse(body) as { chat: string; text: string };
      const now = performance.now();
      const answer = (status: number, payload: object) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (rules.hangChats?.has(chat)) return;
      if (rules.failTexts?.delete(text)) return answer(502, { ok: false, description: "Bad Gateway" });
      if (rules.failNext && rules.failNext > 0) {
        rules.failNext -= 1;
        return answer(502, { ok: false, description: "Bad Gateway" });
      }
      if (rules.blocked?.has(chat))
        return answer(403, { ok: false, description: "Forbidden: bot was blocked by the user" });
      while (recent.length > 0 && (recent[0] ?? 0) < now - 1000) recent.shift();
      // A little tolerance for timer jitter, as real platforms allow short bursts.
      const tooFast =
        recent.length >= rules.perSecond * 1.1 + 1 ||
        now - (lastByChat.get(chat) ?? -1e9) < rules.perChatIntervalMs * 0.9;
      if (tooFast) {
        state.rejected429 += 1;
        return answer(429, { ok: false, parameters: { retry_after: 1 } });
      }
      recent.push(now);
      lastByChat.set(chat, now);
      accepted.push({ at: now, chat, text });
      answer(200, { ok: true, result: { message_id: accepted.length } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    get rejected429() {
      return state.rejected429;
    },
    rules,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A channel sender that talks to the fake over HTTP and maps its answers the
 * way platform adapters do.
 */
export function fakeSender(
  url: string,
  rate: ChannelRate,
  channel: "telegram" | "whatsapp" = "telegram",
): ChannelSender {
  return {
    channel,
    rate,
    async send(address: Address, outbound: Outbound, options?: SendOptions): Promise<SendResult> {
      // A text with " | " in it stands for a message the platform takes in several parts.
      const parts = ("text" in outbound ? outbound.text : outbound.kind).split(" | ");
      let result: SendResult = { kind: "sent" };
      for (let part = options?.fromPart ?? 0; part < parts.length; part++) {
        result = await sendPart(address, parts[part] as string);
        if (result.kind === "retry" || result.kind === "failed") return { ...result, partsSent: part };
        if (result.kind !== "sent") return result;
      }
      return result;
    },
  };

  async function sendPart(address: Address, text: string): Promise<SendResult> {
    let res: Response;
    try {
      res = await fetch(`${url}/send`, { method: "POST", body: JSON.stringify({ chat: address, text }) });
    } catch (error) {
      return { kind: "retry", reason: `network: ${(error as Error).message}` };
    }
    const body = (await res.json()) as {
      result?: { message_id: number };
      parameters?: { retry_after?: number };
      description?: string;
    };
    if (res.ok) return { kind: "sent", platformId: String(body.result?.message_id) };
    if (res.status === 429)
      return { kind: "retry", reason: "429", afterMs: (body.parameters?.retry_after ?? 1) * 1000 };
    if (res.status === 403) return { kind: "blocked", reason: body.description ?? "403" };
    if (res.status >= 500) return { kind: "retry", reason: `${res.status}` };
    return { kind: "failed", reason: body.description ?? String(res.status) };
  }
}
