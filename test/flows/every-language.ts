/**
 * Checks a walk's replies as people get them, in every language Lotse
 * speaks: rendered by the engine, then by the real Telegram renderer and the
 * WhatsApp renderer (whose library builders refuse what WhatsApp would), and
 * read for what must never reach a person: a text over a platform limit, an
 * i18n key or an unfilled placeholder, a direction mark inside a URL, a date
 * outside the Gregorian calendar.
 */
import type { Reply } from "../../flows/kit.ts";
import { limitProblems } from "../../src/channels/limits.ts";
import { telegramProfile, whatsappProfile } from "../../src/channels/profiles.ts";
import { renderForTelegram } from "../../src/channels/telegram/render.ts";
import { renderForWhatsApp } from "../../src/channels/whatsapp/render.ts";
import { languages } from "../../src/domain/languages.ts";
import type { Outbound } from "../../src/domain/outbound.ts";
import { ReplyRenderer } from "../../src/engine/render.ts";
import { isRightToLeft } from "../../src/i18n/direction.ts";
import { createTranslator, readLocales, type Translator } from "../../src/i18n/index.ts";

/** Every language code, in picker order. */
export const allLanguages = languages.map((l) => l.code);

let shared: { translator: Translator; renderer: ReplyRenderer } | undefined;

function tools() {
  if (!shared) {
    const translator = createTranslator(readLocales("locales"));
    shared = { translator, renderer: new ReplyRenderer(translator) };
  }
  return shared;
}

/** Ids pass through as they are (the token map for long ids is the Telegram channel's, tested there). */
const ids = {
  encode: async (id: string) => (Buffer.byteLength(id) <= 64 ? id : "t:long"),
  decode: async () => undefined,
};

/** A line that is only an i18n key ("help.quiz"), or a placeholder left unfilled. */
const rawKey = /(^|\n)[a-z][a-zA-Z]*(\.[a-zA-Z0-9_-]+)+($|\n)|\{\{|\}\}/;
const mark = /[\u200E\u200F\u061C\u2066-\u2069]/u;
/** Years of the Persian (Solar Hijri) calendar around now, in Latin or Persian digits. */
const persianYear = /(^|[^0-9۰-۹])(140[4-6]|۱۴۰[۴-۶])([^0-9۰-۹]|$)/u;
/** Month names of the Persian and Afghan solar calendars as Node writes them for fa, prs and ps. */
const persianMonths =
  /فروردین|اردیبهشت|خرداد|مرداد|شهریور|مهر|آبان|آذر|بهمن|اسفند|حمل|ثور|جوزا|سرطان|اسد|سنبله|میزان|عقرب|قوس|جدی|دلو|حوت|وری|غویی|غبرگولی|چنگاښ|زمری|وږی|تله|لړم|لیندۍ|مرغومی|سلواغه|کب/u;

function textsOf(out: Outbound): string[] {
  switch (out.kind) {
    case "text":
    case "location_request":
      return [out.text];
    case "choices":
    case "list":
      return [out.text, ...out.choices.flatMap((c) => [c.label, c.description ?? "", c.section ?? ""])];
    case "media":
      return [out.caption ?? ""];
    case "template":
      return [out.fallbackText];
  }
}

/** A Persian solar month name next to a number: a date, not a word that happens to be a month ("مهر" is also "kindness"). */
function persianMonthDate(text: string): boolean {
  return new RegExp(`[0-9۰-۹]+\\s*(${persianMonths.source})`, "u").test(text);
}

/**
 * Every URL in a text as a person's app would find it: up to the first space, or a quote or angle
 * bracket, which a URL cannot hold (RFC 3986) and link finders stop at (`<a href="https://…">` in a
 * coding lesson).
 */
function urlProblems(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"<>]+/g)]
    .map((m) => m[0].replace(/[\u2069\u200E\u200F]+$/u, ""))
    .filter((url) => mark.test(url))
    .map((url) => `direction mark inside a URL: ${JSON.stringify(url)}`);
}

/** Every string inside a built message (its body, rows, buttons). */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * The problems of these replies in the given languages, as readable lines; empty when all is well.
 *
 * @example
 * expect(await problemsInEveryLanguage(walk.replies)).toEqual([]);
 */
export async function problemsInEveryLanguage(replies: readonly Reply[], codes = allLanguages): Promise<string[]> {
  const { renderer } = tools();
  const unique = [...new Map(replies.map((r) => [JSON.stringify(r), r])).values()];
  const problems: string[] = [];
  for (const language of codes) {
    for (const reply of unique) {
      const out = renderer.render(reply, { language, secondLanguage: null });
      const say = (p: string) => problems.push(`${language}: ${p}`);
      for (const p of [...limitProblems(out, whatsappProfile), ...limitProblems(out, telegramProfile)]) say(p);
      for (const text of textsOf(out)) {
        if (rawKey.test(text)) say(`raw key or placeholder in ${JSON.stringify(text.slice(0, 80))}`);
        if (persianYear.test(text))
          say(`a date outside the Gregorian calendar in ${JSON.stringify(text.slice(0, 80))}`);
      }
      try {
        renderForWhatsApp(out);
      } catch (error) {
        say(`WhatsApp's builders refuse it: ${(error as Error).message}`);
      }
      const calls = await renderForTelegram("1", out, ids);
      if (isRightToLeft(language)) {
        for (const call of calls) for (const p of urlProblems(String(call.payload.text ?? ""))) say(p);
        for (const text of stringsIn(renderForWhatsApp(out))) for (const p of urlProblems(text)) say(`WhatsApp: ${p}`);
      }
    }
  }
  return problems;
}
