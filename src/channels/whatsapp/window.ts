/**
 * WhatsApp's customer-service window and what a template carries outside it: one definition for the
 * sender, which decides, and for everything that must predict its decision (the broadcast preview and
 * reach, console sign-in codes).
 */
import type { Outbound } from "../../domain/outbound.ts";

/**
 * The customer-service window, less a margin so a message queued at its edge is not refused.
 *
 * @example
 * const inWindow = now.getTime() - lastInbound.getTime() < whatsappWindowMs;
 */
export const whatsappWindowMs = 24 * 3_600_000 - 10 * 60_000;

/**
 * The words of a message, as a template's body parameter outside the window.
 *
 * @example
 * templateWords({ kind: "text", text: "Hello" }); // "Hello"
 */
export function templateWords(out: Outbound): string {
  switch (out.kind) {
    case "text":
    case "choices":
    case "list":
    case "location_request":
      return out.text;
    case "media":
      return out.caption ?? out.url;
    case "template":
      return out.fallbackText;
  }
}
