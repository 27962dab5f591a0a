/**
 * A broadcast as Telegram and as WhatsApp will show it, in each language people will get: the message
 * each reader gets (message.ts) goes through the channels' real renderers (renderForTelegram,
 * renderForWhatsApp), so the preview shows the same splitting into parts, buttons and text the
 * platforms receive; and, for WhatsApp people outside the 24-hour window, the approved template the
 * sender will use instead (its name, language and parameters, folded as the sender folds them).
 */

import { renderForTelegram, type TelegramCall } from "../channels/telegram/render.ts";
import { renderForWhatsApp, template } from "../channels/whatsapp/render.ts";
import { templateWords } from "../channels/whatsapp/window.ts";
import { templateLanguage } from "../domain/languages.ts";
import type { Outbound, Purpose } from "../domain/outbound.ts";
import type { ReplyRenderer } from "../engine/render.ts";
import { type BroadcastMessage, type BroadcastReader, broadcastOutbound, shownLanguage } from "./message.ts";
import type { ReachDetail } from "./reach.ts";

/** One Telegram message as the chat shows it: its text (no parse mode: shown as typed) and button rows. */
export interface TelegramPart {
  method: string;
  text: string;
  buttons: string[][];
}

/** One WhatsApp message: its type, the text WhatsApp formats, and reply buttons or list rows. */
export interface WhatsAppPart {
  type: string;
  text: string;
  buttons: string[];
}

/** The template a WhatsApp person outside the 24-hour window gets; `name` null when none is configured. */
export interface TemplatePart {
  name: string | null;
  language: string;
  parameters: string[];
}

/** The preview for one kind of reader. */
export interface ReaderPreview {
  reader: BroadcastReader;
  /** The language shown, and whether a note says it is not the reader's own. */
  shown: string;
  fallback: boolean;
  telegram: TelegramPart[];
  whatsapp: WhatsAppPart[];
  template: TemplatePart;
}

/** The whole preview. */
export interface BroadcastPreview {
  readers: ReaderPreview[];
  /** The template name the sender uses for broadcasts (the broadcast one, else the notice one). */
  templateName: string | null;
}

/** Identity callback data: a preview sends nothing, so choice ids need no token map. */
const previewIds = { encode: async (id: string) => id, decode: async (data: string) => data };

/**
 * The template name the WhatsApp sender uses for a broadcast outside the window.
 *
 * @example
 * broadcastTemplate({ broadcast: "lotse_news", notice: "lotse_notice" }); // "lotse_news"
 */
export function broadcastTemplate(templates: Partial<Record<Purpose, string>>): string | null {
  return templates.broadcast ?? templates.notice ?? null;
}

/**
 * Renders one reader's message for both platforms and the template.
 *
 * @example
 * const p = await previewFor(message, { language: "ar", secondLanguage: null }, renderer, "lotse_news");
 * p.whatsapp[0]?.text; // the Arabic text as WhatsApp receives it
 */
export async function previewFor(
  message: BroadcastMessage,
  reader: BroadcastReader,
  renderer: ReplyRenderer,
  templateName: string | null,
): Promise<ReaderPreview> {
  const outbound = broadcastOutbound(message, reader, renderer);
  const calls = await renderForTelegram("0", outbound, previewIds);
  const whatsapp = renderForWhatsApp(outbound).map(whatsappPart);
  const language = templateLanguage(reader.language, reader.secondLanguage);
  const parameters = templateName
    ? templateParameters(template(templateName, language, [templateWords(outbound)]))
    : [templateWords(outbound)];
  return {
    reader,
    ...shownLanguage(message, reader),
    telegram: calls.map(telegramPart),
    whatsapp,
    template: { name: templateName, language, parameters },
  };
}

/**
 * The preview in every language staff wrote, and for each other kind of reader the audience has
 * (a language without a text of its own, by its second language), at most `limit` readers.
 *
 * @example
 * const preview = await broadcastPreview(message, reach, renderer, { broadcast: "lotse_news" });
 */
export async function broadcastPreview(
  message: BroadcastMessage,
  reach: ReachDetail | undefined,
  renderer: ReplyRenderer,
  templates: Partial<Record<Purpose, string>>,
  limit = 12,
): Promise<BroadcastPreview> {
  const templateName = broadcastTemplate(templates);
  const readers: BroadcastReader[] = Object.keys(message.texts).map((language) => ({
    language,
    secondLanguage: null,
  }));
  const seen = new Set(readers.map((r) => `${r.language}|${r.language}`));
  // Readers who get another language than theirs, biggest groups first: their note is part of what they see.
  for (const group of [...(reach?.groups ?? [])].sort((a, b) => b.count - a.count)) {
    if (!group.fallback) continue;
    const key = `${group.language}|${group.shown}`;
    if (seen.has(key)) continue;
    seen.add(key);
    readers.push({ language: group.language, secondLanguage: group.secondLanguage });
  }
  const previews: ReaderPreview[] = [];
  for (const reader of readers.slice(0, limit))
    previews.push(await previewFor(message, reader, renderer, templateName));
  return { readers: previews, templateName };
}

function telegramPart(call: TelegramCall): TelegramPart {
  const payload = call.payload as {
    text?: string;
    caption?: string;
    reply_markup?: { inline_keyboard?: { text: string }[][]; keyboard?: { text: string }[][] };
  };
  const rows = payload.reply_markup?.inline_keyboard ?? payload.reply_markup?.keyboard ?? [];
  return {
    method: call.method,
    text: payload.text ?? payload.caption ?? "",
    buttons: rows.map((row) => row.map((b) => b.text)),
  };
}

function whatsappPart(message: ReturnType<typeof renderForWhatsApp>[number]): WhatsAppPart {
  const json = JSON.parse(JSON.stringify(message)) as {
    body?: string | { text?: string };
    caption?: string;
    action?: {
      buttons?: { reply?: { title?: string } }[];
      button?: string;
      sections?: { rows?: { title?: string }[] }[];
    };
  };
  const text = typeof json.body === "string" ? json.body : (json.body?.text ?? json.caption ?? "");
  const buttons = [
    ...(json.action?.buttons ?? []).map((b) => b.reply?.title ?? ""),
    ...(json.action?.sections ?? []).flatMap((s) => (s.rows ?? []).map((r) => r.title ?? "")),
  ];
  return { type: (message as unknown as { _type?: string })._type ?? "text", text, buttons };
}

/** The body parameters of a built template, as the sender will send them. */
function templateParameters(built: ReturnType<typeof template>): string[] {
  const json = JSON.parse(JSON.stringify(built)) as { components?: { parameters?: { text?: string }[] }[] };
  return (json.components ?? []).flatMap((c) => (c.parameters ?? []).map((p) => p.text ?? ""));
}
