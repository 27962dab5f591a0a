/**
 * The preview of a broadcast as Telegram and WhatsApp will show it: rendered by the channels' real
 * renderers in each language, WhatsApp's formatting applied, and the template (name, language,
 * parameters folded as the sender folds them) for people outside the 24-hour window.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { everyone } from "../../src/broadcasts/broadcasts.ts";
import { broadcastPreview, broadcastTemplate, previewFor } from "../../src/broadcasts/preview.ts";
import { reachDetail } from "../../src/broadcasts/reach.ts";
import { whatsappStyled } from "../../src/broadcasts/whatsapp-format.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { addPeople } from "./people.ts";

const message = {
  texts: { de: "Am *Samstag* ist das Büro _geschlossen_.\nBis Montag!", ar: "المكتب *مغلق* يوم السبت." },
  defaultLanguage: "de",
};

describe("broadcast preview", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  it("shows each language as Telegram and WhatsApp receive it, with the template and its parameters", async () => {
    const preview = await broadcastPreview(message, undefined, app.engine.renderer, {
      broadcast: "lotse_news",
      notice: "lotse_notice",
    });
    expect(preview.templateName).toBe("lotse_news");
    const de = preview.readers.find((r) => r.reader.language === "de");
    // Telegram: no parse mode, the asterisks stay as typed; one sendMessage.
    expect(de?.telegram).toEqual([{ method: "sendMessage", text: message.texts.de, buttons: [] }]);
    expect(de?.whatsapp).toEqual([{ type: "text", text: message.texts.de, buttons: [] }]);
    // The template folds the line break, as WhatsApp requires of parameters.
    expect(de?.template).toEqual({
      name: "lotse_news",
      language: "de",
      parameters: ["Am *Samstag* ist das Büro _geschlossen_. · Bis Montag!"],
    });
    const ar = preview.readers.find((r) => r.reader.language === "ar");
    expect(ar?.whatsapp[0]?.text).toBe(`\u200F${message.texts.ar}`);
    expect(ar?.template).toMatchObject({ name: "lotse_news", language: "ar" });
  });

  it("adds the readers who get another language, with the note they will see", async () => {
    await addPeople(app, [
      { address: "whatsapp:1", language: "ti", second: "ar", lastInboundAt: "2026-01-01T00:00:00.000Z" },
      { address: "telegram:2", language: "fa" },
      { address: "telegram:3", language: "de" },
    ]);
    const reach = await reachDetail(app.store.reader, everyone, message, app.content, app.clock.now());
    expect(reach.whatsapp).toEqual({ insideWindow: 0, outsideWindow: 1 });
    const preview = await broadcastPreview(message, reach, app.engine.renderer, {});
    expect(preview.templateName).toBeNull();
    const ti = preview.readers.find((r) => r.reader.language === "ti");
    expect(ti).toMatchObject({ shown: "ar", fallback: true });
    expect(ti?.telegram[0]?.text).toMatch(/^المكتب[\s\S]*\n\n\(.*ዓረብኛ.*\)$/);
    // Tigrinya has no WhatsApp template language: the second language's is used, as the sender does.
    expect(ti?.template).toMatchObject({ name: null, language: "ar" });
    const fa = preview.readers.find((r) => r.reader.language === "fa");
    expect(fa).toMatchObject({ shown: "de", fallback: true });
    expect(fa?.whatsapp[0]?.text).toContain("آلمانی");
  });

  it("splits a text longer than a message into the parts each platform gets", async () => {
    const long = { texts: { en: `${"word ".repeat(900)}\n\n${"more ".repeat(200)}` }, defaultLanguage: "en" };
    const p = await previewFor(long, { language: "en", secondLanguage: null }, app.engine.renderer, "lotse_news");
    expect(p.telegram).toHaveLength(2);
    expect(p.whatsapp).toHaveLength(2);
    expect(p.template.parameters[0]?.length).toBe(1000);
  });

  it("picks the broadcast template, else the notice one", () => {
    expect(broadcastTemplate({ notice: "lotse_notice" })).toBe("lotse_notice");
    expect(broadcastTemplate({})).toBeNull();
  });
});

describe("WhatsApp formatting", () => {
  it("styles bold, italic, struck and monospace at word edges only", () => {
    expect(whatsappStyled("Free *Wi-Fi* now")).toEqual([
      { text: "Free " },
      { text: "Wi-Fi", bold: true },
      { text: " now" },
    ]);
    expect(whatsappStyled("_*both*_ ~gone~ ```a*b*c```")).toEqual([
      { text: "both", italic: true, bold: true },
      { text: " " },
      { text: "gone", strike: true },
      { text: " " },
      { text: "a*b*c", mono: true },
    ]);
    // Not at a word's edge, or across a line: left as typed.
    expect(whatsappStyled("2*3*4 and *not\nbold*")).toEqual([{ text: "2*3*4 and *not\nbold*" }]);
    expect(whatsappStyled("snake_case_name")).toEqual([{ text: "snake_case_name" }]);
  });
});
