/**
 * One local HTTP server faking the send APIs of both platforms, enforcing
 * their ceilings the way the platforms do, for the cluster test and
 * `bench:delivery`. Telegram Bot API calls (`/bot<token>/<method>`) and
 * WhatsApp Graph sends (`POST /<version>/<phone_number_id>/messages`) are
 * counted per platform over any sliding second by arrival time: past the
 * ceiling Telegram answers 429 with `parameters.retry_after`, WhatsApp error
 * 130429; a second message to one chat within `perChatIntervalMs` gets 429
 * (Telegram) or 131056 (WhatsApp's pair rate limit). Every send is logged
 * (arrival in epoch ms, so it compares with the database's `created_at`),
 * accepted or not, with a purpose read from markers in its text.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The two platforms. */
export type Platform = "telegram" | "whatsapp";

/** What became of a send: accepted (and answered), accepted but never answered, or refused. */
export type Outcome = "accepted" | "hung" | "ceiling" | "chat";

/** One send as it arrived. */
export interface Arrival {
  /** Epoch ms when the request's body had arrived. */
  at: number;
  platform: Platform;
  /** Telegram's `chat_id` or WhatsApp's `to`, as sent. */
  chat: string;
  text: string;
  /** The first marker found in the text (see {@link CeilingOptions.markers}), else "other". */
  purpose: string;
  outcome: Outcome;
  /** For accepted sends: what Lotse stores as `platform_id` (Telegram `chat:message_id`, WhatsApp the wamid). */
  platformId?: string;
}

/** The rules of the fake. */
export interface CeilingOptions {
  /** Sends a second per platform, over any sliding second. */
  perSecond: Record<Platform, number>;
  /** Least ms between two accepted sends to one chat; 1000 by default (1 a second). */
  perChatIntervalMs?: number;
  /** Purposes by a marker their text contains, such as `{ broadcast: "[bc-1]" }`. */
  markers?: Record<string, string>;
  /** Delay before each answer, in ms (a function for jitter). */
  latencyMs?: number | (() => number);
  /** Accept, log and never answer this share (0..1) of the sends of these purposes (all if unset). */
  hang?: { share: number; purposes?: string[] };
  /** HTTP status of WhatsApp's throughput errors: Meta answers 400 with the code in the body, sometimes 429. */
  whatsappThrottleStatus?: 400 | 429;
}

/** A running fake. */
export interface CeilingPlatform {
  /** `TELEGRAM_API_ROOT` and `WHATSAPP_API_URL` alike. */
  url: string;
  /** Every send, in arrival order. */
  arrivals: Arrival[];
  /** Calls other than sends (getMe, setWebhook, setMyCommands, answerCallbackQuery ...). */
  calls: { method: string; params: Record<string, unknown> }[];
  /** Sends the platform took (accepted or hung), optionally of one platform. */
  accepted(platform?: Platform): Arrival[];
  /** The sends to `chat` on `platform` accepted (or hung) so far, in arrival order. */
  acceptedTo(platform: Platform, chat: string): Arrival[];
  /** Resolves when `chat` on `platform` has had at least `count` sends accepted. */
  waitForAccepted(platform: Platform, chat: string, count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The most entries of `times` (epoch ms) in one second of the clock, as platforms count their
 * per-second ceilings.
 *
 * @example
 * maxInOneSecond([0, 500, 999, 1000, 1999]); // 3
 */
export function maxInOneSecond(times: number[]): number {
  const perSecond = new Map<number, number>();
  for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}

/**
 * The most entries of `times` (epoch ms, any order) in any half-open second `(t - 1000, t]`.
 *
 * @example
 * maxInAnySecond([0, 500, 999, 1000, 1999]); // 3
 */
export function maxInAnySecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[first] as number) <= (sorted[last] as number) - 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** The text of a send, whatever its kind (text, caption, interactive body, template parameters). */
function textOf(body: Record<string, unknown>): string {
  const b = body as {
    text?: string | { body?: string };
    caption?: string;
    interactive?: { body?: { text?: string } };
    template?: { components?: { parameters?: { text?: string }[] }[] };
    image?: { caption?: string };
  };
  if (typeof b.text === "string") return b.text;
  return (
    b.text?.body ??
    b.caption ??
    b.interactive?.body?.text ??
    b.image?.caption ??
    b.template?.components?.flatMap((c) => c.parameters?.map((p) => p.text ?? "") ?? []).join(" ") ??
    ""
  );
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      try {
        resolve(raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
      } catch {
        // Multipart uploads: not read, only counted.
        resolve({});
      }
    });
  });
}

const botUser = { id: 7000000002, is_bot: true, first_name: "Lotse", username: "LotseCeilingBot" };

/**
 * Starts the fake on a free local port.
 *
 * @example
 * const fake = await startCeilingPlatform({ perSecond: { telegram: 1000, whatsapp: 1000 }, markers: { broadcast: "[bc]" } });
 * // TELEGRAM_API_ROOT=fake.url WHATSAPP_API_URL=fake.url ...
 * maxInAnySecond(fake.accepted("telegram").map((a) => a.at)); // <= 1000
 */
export async function startCeilingPlatform(options: CeilingOptions): Promise<CeilingPlatform> {
  const arrivals: Arrival[] = [];
  const calls: CeilingPlatform["calls"] = [];
  const recent: Record<Platform, number[]> = { telegram: [], whatsapp: [] };
  const lastByChat = new Map<string, number>();
  const waiters = new Map<string, { count: number; resolve: () => void }[]>();
  const byChat = new Map<string, Arrival[]>();
  const hanging = new Set<ServerResponse>();
  const hangSeen = new Map<string, number>();
  const perChatMs = options.perChatIntervalMs ?? 1000;
  let nextId = 1000;

  const purposeOf = (text: string) =>
    Object.entries(options.markers ?? {}).find(([, marker]) => text.includes(marker))?.[0] ?? "other";
  /** Every 1/share-th send of a purpose hangs: deterministic, spread over the run. */
  const hangs = (purpose: string): boolean => {
    const { share = 0, purposes } = options.hang ?? {};
    if (share <= 0 || (purposes && !purposes.includes(purpose))) return false;
    const seen = (hangSeen.get(purpose) ?? 0) + 1;
    hangSeen.set(purpose, seen);
    return Math.floor(seen * share) > Math.floor((seen - 1) * share);
  };
  const accept = (arrival: Arrival) => {
    const key = `${arrival.platform}:${arrival.chat}`;
    recent[arrival.platform].push(arrival.at);
    lastByChat.set(key, arrival.at);
    const sent = [...(byChat.get(key) ?? []), arrival];
    byChat.set(key, sent);
    const count = sent.length;
    const ready = waiters.get(key)?.filter((w) => w.count <= count) ?? [];
    waiters.set(key, waiters.get(key)?.filter((w) => w.count > count) ?? []);
    for (const w of ready) w.resolve();
  };

  /** Decides a send's fate at its arrival and logs it; the answer is the caller's. */
  const arrive = (platform: Platform, chat: string, text: string): Arrival => {
    const at = Date.now();
    // Counted per second of the clock, as the platforms state their ceilings ("80 messages a second").
    const window = recent[platform];
    while (window.length > 0 && Math.floor((window[0] as number) / 1000) < Math.floor(at / 1000)) window.shift();
    const purpose = purposeOf(text);
    let outcome: Outcome = "accepted";
    if (window.length >= options.perSecond[platform]) outcome = "ceiling";
    // A tenth of tolerance, as Telegram and WhatsApp allow short bursts to one person.
    else if (at - (lastByChat.get(`${platform}:${chat}`) ?? Number.NEGATIVE_INFINITY) < perChatMs * 0.9)
      outcome = "chat";
    else if (hangs(purpose)) outcome = "hung";
    const arrival: Arrival = { at, platform, chat, text, purpose, outcome };
    if (outcome === "accepted" || outcome === "hung") {
      nextId += 1;
      arrival.platformId = platform === "telegram" ? `${chat}:${nextId}` : `wamid.C${nextId}`;
      accept(arrival);
    }
    arrivals.push(arrival);
    return arrival;
  };

  const answer = (res: ServerResponse, status: number, payload: object) => {
    const send = () => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    const delay = typeof options.latencyMs === "function" ? options.latencyMs() : (options.latencyMs ?? 0);
    if (delay > 0) setTimeout(send, delay);
    else send();
  };

  const telegram = (res: ServerResponse, method: string, params: Record<string, unknown>) => {
    if (!method.startsWith("send")) {
      calls.push({ method, params });
      return answer(res, 200, { ok: true, result: method === "getMe" ? botUser : true });
    }
    const chat = String(params.chat_id);
    const arrival = arrive("telegram", chat, textOf(params));
    if (arrival.outcome === "hung") return void hanging.add(res);
    if (arrival.outcome === "ceiling" || arrival.outcome === "chat") {
      return answer(res, 429, {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        parameters: { retry_after: 1 },
      });
    }
    const messageId = Number(arrival.platformId?.split(":").pop());
    answer(res, 200, {
      ok: true,
      result: {
        message_id: messageId,
        date: Math.floor(arrival.at / 1000),
        chat: { id: Number(chat), type: "private" },
      },
    });
  };

  const whatsapp = (res: ServerResponse, body: Record<string, unknown>) => {
    const chat = String(body.to);
    const arrival = arrive("whatsapp", chat, textOf(body));
    if (arrival.outcome === "hung") return void hanging.add(res);
    if (arrival.outcome === "ceiling" || arrival.outcome === "chat") {
      const [code, message] =
        arrival.outcome === "ceiling"
          ? [130429, "Rate limit hit: Cloud API message throughput has been reached."]
          : [131056, "(Business Account, Consumer Account) pair rate limit hit"];
      const status = arrival.outcome === "ceiling" ? (options.whatsappThrottleStatus ?? 400) : 400;
      return answer(res, status, { error: { message, type: "OAuthException", code, fbtrace_id: "ceiling" } });
    }
    answer(res, 200, {
      messaging_product: "whatsapp",
      contacts: [{ input: chat, wa_id: chat }],
      messages: [{ id: arrival.platformId }],
    });
  };

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = (req.url ?? "").split("?")[0] ?? "";
    const bot = /^\/bot[^/]+\/(\w+)$/.exec(path);
    if (bot) return telegram(res, bot[1] as string, body);
    if (req.method === "POST" && /^\/v[\d.]+\/\d+\/messages$/.test(path)) return whatsapp(res, body);
    answer(res, 404, { error: { message: `unknown path ${path}`, code: 100 } });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    calls,
    accepted: (platform) =>
      arrivals.filter(
        (a) => (a.outcome === "accepted" || a.outcome === "hung") && (!platform || a.platform === platform),
      ),
    acceptedTo: (platform, chat) => byChat.get(`${platform}:${chat}`) ?? [],
    waitForAccepted: (platform, chat, count) =>
      new Promise((resolve) => {
        const key = `${platform}:${chat}`;
        if ((byChat.get(key)?.length ?? 0) >= count) return resolve();
        waiters.set(key, [...(waiters.get(key) ?? []), { count, resolve }]);
      }),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
