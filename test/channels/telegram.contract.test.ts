import type { Update } from "grammy/types";
import { keyvCallbackIds } from "../../src/channels/telegram/callback-ids.ts";
import { parseUpdate } from "../../src/channels/telegram/parse.ts";
import { renderForTelegram } from "../../src/channels/telegram/render.ts";
import { parseAddress } from "../../src/domain/address.ts";
import { channelContract } from "./contract.ts";

const ids = keyvCallbackIds();

/** Telegram's limits on what Lotse sends (../shared/PLATFORMS.md). */
function problems(payload: unknown): string[] {
  const { method, payload: p } = payload as { method: string; payload: Record<string, unknown> };
  const out: string[] = [];
  const text = typeof p.text === "string" ? p.text : undefined;
  if (method === "sendMessage" && (!text || [...text].length > 4096))
    out.push(`text of ${text ? [...text].length : 0} characters`);
  if (typeof p.caption === "string" && [...p.caption].length > 1024) out.push("caption over 1024");
  const keyboard =
    (p.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)
      ?.inline_keyboard ?? [];
  const buttons = keyboard.flat();
  if (buttons.length > 100) out.push(`${buttons.length} buttons`);
  if (keyboard.some((row) => row.length > 8)) out.push("more than 8 buttons in a row");
  for (const b of buttons) {
    if (Buffer.byteLength(b.callback_data) > 64 || Buffer.byteLength(b.callback_data) < 1)
      out.push(`callback_data ${b.callback_data}`);
  }
  return out;
}

channelContract({
  channel: "telegram",
  sampleId: "5123456789",
  samplesDir: "src/channels/telegram/samples",
  parse: (payload) => {
    const event = parseUpdate(payload as Update, new Date());
    return event.kind === "inbound" ? [event.inbound] : [];
  },
  render: (address, outbound) => renderForTelegram(parseAddress(address).id, outbound, ids),
  problems,
});
