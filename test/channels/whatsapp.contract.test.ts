import { isWhatsAppWebhook, parseWebhook } from "../../src/channels/whatsapp/parse.ts";
import { renderForWhatsApp } from "../../src/channels/whatsapp/render.ts";
import { channelContract } from "./contract.ts";

type Interactive = {
  type: string;
  body?: { text: string };
  header?: { text?: string };
  footer?: { text: string };
  action: {
    buttons?: { reply: { id: string; title: string } }[];
    button?: string;
    sections?: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
  };
};

/** WhatsApp's limits (../shared/PLATFORMS.md) on one message as the API receives it. */
function problems(message: unknown): string[] {
  const m = JSON.parse(JSON.stringify(message)) as {
    body?: string;
    action?: unknown;
    components?: { parameters: { text: string }[] }[];
  };
  const out: string[] = [];
  const over = (what: string, text: string | undefined, max: number) => {
    if (text !== undefined && [...text].length > max) out.push(`${what} ${[...text].length} > ${max}`);
  };
  if (typeof m.body === "string") over("text", m.body, 4096);
  if (m.action) {
    const i = m as unknown as Interactive;
    over("interactive body", i.body?.text, 1024);
    over("header", i.header?.text, 60);
    over("footer", i.footer?.text, 60);
    const buttons = i.action.buttons ?? [];
    if (buttons.length > 3) out.push(`${buttons.length} buttons`);
    for (const b of buttons) {
      over("button title", b.reply.title, 20);
      over("button id", b.reply.id, 256);
    }
    const rows = (i.action.sections ?? []).flatMap((s) => s.rows);
    if (rows.length > 10) out.push(`${rows.length} rows`);
    if ((i.action.sections ?? []).length > 10) out.push("more than 10 sections");
    over("list button", i.action.button, 20);
    for (const r of rows) {
      over("row title", r.title, 24);
      over("row description", r.description, 72);
      over("row id", r.id, 200);
    }
  }
  for (const p of (m.components ?? []).flatMap((c) => c.parameters)) {
    if (/[\n\t]| {5,}/.test(p.text)) out.push("template parameter with a line break, tab or 5 spaces");
  }
  return out;
}

channelContract({
  channel: "whatsapp",
  sampleId: "4915112345678",
  samplesDir: "src/channels/whatsapp/samples",
  parse: (payload) => (isWhatsAppWebhook(payload) ? parseWebhook(payload, new Date()).messages : []),
  render: async (_address, outbound) => renderForWhatsApp(outbound),
  problems,
});
