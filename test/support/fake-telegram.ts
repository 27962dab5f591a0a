/**
 * A local fake of the Telegram Bot API for end-to-end tests: it answers the
 * methods Lotse calls the way Telegram does (`{ ok, result }`), records every
 * call with its parameters, and can be told to fail a method (429, 403, 409
 * ...) or to leave it unanswered.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One recorded call. */
export interface TelegramApiCall {
  method: string;
  params: Record<string, unknown>;
}

/** A failure to answer with, once per call until `times` runs out. */
interface Failure {
  error_code: number;
  description: string;
  parameters?: Record<string, unknown>;
  times: number;
}

/** A running fake Bot API. */
export interface FakeTelegram {
  apiRoot: string;
  calls: TelegramApiCall[];
  /** The calls of one method, or the sending calls only. */
  sent(): TelegramApiCall[];
  fail(method: string, failure: Failure): void;
  /** Leaves the next `times` calls of a method unanswered (a hanging API), until `close()`. */
  hang(method: string, times: number): void;
  /** Updates the next getUpdates call returns (long polling). */
  queueUpdates(updates: unknown[]): void;
  close(): Promise<void>;
}

const botUser = {
  id: 7000000001,
  is_bot: true,
  first_name: "Lotse",
  username: "LotseBot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

/** Starts the fake on a free port. */
export async function startFakeTelegram(): Promise<FakeTelegram> {
  const calls: TelegramApiCall[] = [];
  const failures = new Map<string, Failure>();
  const hangs = new Map<string, number>();
  let messageId = 1000;
  let queued: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const method = (req.url ?? "").split("/").pop() ?? "";
      const params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      calls.push({ method, params });
      const answer = (status: number, payload: object) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      const hanging = hangs.get(method) ?? 0;
      if (hanging > 0) {
        hangs.set(method, hanging - 1);
        return;
      }
      const failure = failures.get(method);
      if (failure && failure.times > 0) {
        failure.times -= 1;
        const { times: _times, ...error } = failure;
        return answer(failure.error_code, { ok: false, ...error });
      }
      if (method === "getMe") return answer(200, { ok: true, result: botUser });
      if (method.startsWith("send")) {
        messageId += 1;
        return answer(200, {
          ok: true,
          result: {
            message_id: messageId,
            date: 1772442000,
            chat: { id: Number(params.chat_id), type: "private" },
            text: params.text,
          },
        });
      }
      if (method === "getUpdates") {
        const result = queued;
        queued = [];
        // Long polling: an empty answer comes after a pause, as Telegram's would.
        if (result.length === 0) return void setTimeout(() => answer(200, { ok: true, result: [] }), 50);
        return answer(200, { ok: true, result });
      }
      return answer(200, { ok: true, result: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    sent: () => calls.filter((c) => c.method.startsWith("send")),
    fail: (method, failure) => failures.set(method, failure),
    hang: (method, times) => hangs.set(method, times),
    queueUpdates: (updates) => {
      queued.push(...updates);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Hanging requests and kept-alive sockets would hold close() open.
        server.closeAllConnections();
      }),
  };
}
