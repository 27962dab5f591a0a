/**
 * Audio-ready lessons (issue 17): a step may carry a recording per language; a reader of that
 * language gets it as a voice message before the step's text, on Telegram (sendVoice) and WhatsApp
 * (an audio message), and a reader of another language does not.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { FlowInput, Reply } from "../../flows/kit.ts";
import { createLessonsFlow } from "../../flows/learning/lessons.ts";
import { renderForTelegram } from "../../src/channels/telegram/render.ts";
import { renderForWhatsApp } from "../../src/channels/whatsapp/render.ts";
import { type ContentPack, createContentPack, loadContentPack } from "../../src/content/pack.ts";
import { lesson as lessonSchema } from "../../src/content/schema.ts";
import { startFlow } from "../../src/engine/flow-runner.ts";
import { ReplyRenderer } from "../../src/engine/render.ts";
import { createTranslator, readLocales } from "../../src/i18n/index.ts";

const recording = "https://example.org/audio/strong-passwords-1-ar.ogg";
let pack: ContentPack;
beforeAll(async () => {
  const shipped = await loadContentPack("content");
  const lessons = shipped.courses.flatMap((c) => shipped.lessonsOf(c.id));
  const withAudio = lessons.map((l) =>
    l.id === "strong-passwords"
      ? lessonSchema.parse({ ...l, steps: l.steps.map((s, i) => (i === 0 ? { ...s, audio: { ar: recording } } : s)) })
      : l,
  );
  pack = createContentPack([...shipped.courses], withAudio);
});

const input = (language: string): FlowInput => ({
  user: { language, city: "leipzig", timeZone: "Europe/Berlin", consent: "given" },
  params: { lesson: "strong-passwords" },
  facts: {},
  data: { positions: {}, completed: [], last: null },
});

const replies = (language: string): Reply[] =>
  startFlow(createLessonsFlow(pack), input(language)).emitted.flatMap((e) => (e.type === "bot.reply" ? [e.reply] : []));

describe("a lesson step with a recording", () => {
  it("sends the recording first to a reader of its language, through both platforms' renderers", async () => {
    const [audio, text] = replies("ar");
    expect(audio).toEqual({ kind: "media", mediaKind: "audio", url: recording });
    expect(text?.kind).toBe("choices");
    const outbound = new ReplyRenderer(createTranslator(readLocales("locales"))).render(audio as Reply, "ar");
    const telegram = await renderForTelegram("42", outbound, {
      encode: async (id) => id,
      decode: async () => undefined,
    });
    expect(telegram).toEqual([
      expect.objectContaining({ method: "sendVoice", payload: expect.objectContaining({ voice: recording }) }),
    ]);
    expect(JSON.stringify(renderForWhatsApp(outbound))).toContain(recording);
  });

  it("sends no recording to a reader of another language", () => {
    expect(replies("en").some((r) => r.kind === "media")).toBe(false);
  });

  it("the content schema refuses a recording that is not https", () => {
    const l = pack.lesson("strong-passwords");
    const result = lessonSchema.safeParse({
      ...l,
      steps: l?.steps.map((s, i) => (i === 0 ? { ...s, audio: { ar: "http://example.org/a.ogg" } } : s)),
    });
    expect(result.success).toBe(false);
  });
});
