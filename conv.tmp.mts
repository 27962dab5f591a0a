import { createApp } from "/work/main/src/app.ts";
import { handleTelegramUpdate } from "/work/main/src/channels/telegram/channel.ts";
import { lotseQuizScriptFor } from "/work/main/bench/speed/script.ts";
import { toAddress } from "/work/main/src/domain/address.ts";
import { Api } from "grammy";
import Database from "better-sqlite3";
const app = await createApp({ sqlitePath: "/tmp/conv.db" });
const api = new Api("0:bench");
const ids = { encode: async (id: string) => id, decode: async (t: string) => t };
const script = lotseQuizScriptFor(app.content, toAddress("telegram", "100000"));
let u = 1;
const db = new Database("/tmp/conv.db", { readonly: true });
for (const [i, text] of script.entries()) {
  await handleTelegramUpdate(app, api, ids, { update_id: u++, message: { message_id: u, date: 1, chat: { id: 100000, type: "private", first_name: "P" }, from: { id: 100000, is_bot: false, first_name: "P", language_code: "en" }, text, ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}) } } as any);
  const row = db.prepare("select flow_id, length(snapshot) s, length(prompt) p, snapshot, prompt from conversations").get() as any;
  const out = db.prepare("select count(*) n, sum(length(payload)) b from outbox").get() as any;
  console.log(i, JSON.stringify(text).slice(0, 30), row?.flow_id, row?.s, row?.p, "outbox", out.n, out.b);
  if (i === 13) { console.log(row.snapshot); console.log(row.prompt); }
}
await app.close();
