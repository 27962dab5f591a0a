/**
 * Checking a message against a channel's limits after layout. The content
 * check and the flow walk use it, so a label that would be cut on a phone is
 * caught before release, never cut at run time.
 */
import type { Outbound } from "../domain/outbound.ts";
import { layout } from "./layout.ts";
import type { ChannelProfile } from "./profiles.ts";

/** Telegram's callback data limit, in bytes; choice ids travel in it. */
const callbackDataBytes = 64;

/**
 * The limits this message breaks on the channel, as readable sentences; empty when it fits.
 *
 * @example
 * limitProblems(outbound, whatsappProfile); // ["button \"Ja, ich stimme zu jetzt\" is 23 characters, over 20"]
 */
export function limitProblems(out: Outbound, profile: ChannelProfile): string[] {
  const problems: string[] = [];
  const over = (what: string, text: string, max: number) => {
    // UTF-16 units, as the WhatsApp library counts (an emoji is two).
    const length = text.length;
    if (length > max)
      problems.push(`${what} "${text.slice(0, 40)}" is ${length} characters, over ${max} on ${profile.name}`);
  };
  // Whole labels: a fixed text too long for a platform is a fault to fix, even though sending would shorten it.
  for (const item of layout(out, profile, { shorten: false })) {
    if (item.kind === "text" || item.kind === "location_request") over("text", item.text, profile.textMax);
    if (item.kind === "buttons") {
      over("text with buttons", item.text, profile.choiceBodyMax);
      for (const b of item.buttons) over("button", b.label, profile.buttonLabelMax);
    }
    if (item.kind === "list" && profile.list) {
      over("text with a list", item.text, profile.choiceBodyMax);
      over("list button", item.button, profile.list.buttonMax);
      if (item.rows.length > profile.list.rowsMax)
        problems.push(`list has ${item.rows.length} rows, over ${profile.list.rowsMax}`);
      for (const r of item.rows) {
        over("list row", r.label, profile.list.rowTitleMax);
        if (r.description) over("list row description", r.description, profile.list.rowDescriptionMax);
      }
    }
  }
  if (out.kind === "choices" || out.kind === "list") {
    for (const c of out.choices) {
      if (Buffer.byteLength(c.id) > callbackDataBytes)
        problems.push(`choice id "${c.id}" is over ${callbackDataBytes} bytes`);
    }
  }
  return problems;
}
