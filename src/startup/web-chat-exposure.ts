/**
 * Whether the local web chat runs. It has no login: anyone who reaches the
 * port can chat, and with `HOST=0.0.0.0` (the Docker image's) that is anyone
 * on the network. So `WEB_CHAT=auto` serves it only when no platform is
 * configured and `HOST` is a loopback address; anywhere else it takes an
 * explicit `WEB_CHAT=on`, and the start says loudly why it is off.
 */
import { isIP } from "node:net";

/** What decided the web chat, for the start-up lines. */
export interface WebChatDecision {
  on: boolean;
  /** Set when `auto` turned it off because `HOST` is reachable from the network: what to tell the operator. */
  refusal?: string;
}

/**
 * Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost).
 *
 * @example
 * isLoopbackHost("0.0.0.0"); // false
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h === "::1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

/**
 * Decides the web chat from `WEB_CHAT`, `HOST` and how many platforms are configured.
 *
 * @example
 * decideWebChat({ WEB_CHAT: "auto", HOST: "0.0.0.0" }, 0); // { on: false, refusal: "..." }
 */
export function decideWebChat(config: { WEB_CHAT: "auto" | "on" | "off"; HOST: string }, platforms: number) {
  if (config.WEB_CHAT === "on") return { on: true } satisfies WebChatDecision;
  if (config.WEB_CHAT === "off" || platforms > 0) return { on: false } satisfies WebChatDecision;
  if (isLoopbackHost(config.HOST)) return { on: true } satisfies WebChatDecision;
  return {
    on: false,
    refusal:
      `The local web chat is OFF: HOST=${config.HOST} makes it reachable from the network, and it has no login. ` +
      "Set WEB_CHAT=on to serve it there anyway (behind access control), or HOST=127.0.0.1 to keep it on this machine.",
  } satisfies WebChatDecision;
}
