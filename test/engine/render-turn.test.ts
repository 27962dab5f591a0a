/**
 * The note that content is in another language (src/engine/render.ts, renderTurn): once a turn, on its
 * last message that can carry it.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { msg, type Reply } from "../../flows/kit.ts";
import { projectRoot } from "../../src/app.ts";
import { ReplyRenderer } from "../../src/engine/render.ts";
import { createTranslator, readLocales } from "../../src/i18n/index.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { shownAnswer, toStrongPasswordsQuiz } from "../support/quiz-answers.ts";

const translator = createTranslator(readLocales(join(projectRoot, "locales")));
const renderer = new ReplyRenderer(translator);
const tigrinya = { language: "ti", secondLanguage: "en" };
const note = translator.t("ti", "common.contentIn", {
  shown: translator.words("ti", "languageNames.en")[0] ?? "English",
});

/** A reply with a content text that has no Tigrinya. */
const english = (text: string): Reply => ({ kind: "text", lines: [msg("common.raw", { text: { en: text } })] });
const texts = (replies: Reply[]) =>
  renderer
    .renderTurn(
      replies.map((reply) => ({ reply })),
      tigrinya,
    )
    .map((o) => ("text" in o ? o.text : (("caption" in o ? o.caption : "") ?? "")));

describe("the note that content is in another language", () => {
  it("regression: came under the quiz's feedback and again under the next question; now once, under the last", () => {
    const [feedback, next] = texts([english("✓ Right. Four words."), english("Question 2 of 5")]);
    expect(feedback).not.toContain(note);
    expect(next).toContain(note);
  });

  it("stays on a single message, as render() gives it", () => {
    const [only] = texts([english("A lesson page.")]);
    const alone = renderer.render(english("A lesson page."), tigrinya);
    expect(only).toContain(note);
    expect(only).toBe("text" in alone ? alone.text : undefined);
  });

  it("goes on the last message that fell back, not on one in the reader's own language after it", () => {
    const own: Reply = { kind: "text", lines: [msg("menu.title")] };
    const [content, menu] = texts([english("A lesson page."), own]);
    expect(content).toContain(note);
    expect(menu).not.toContain(note);
  });

  it("is not lost when the last message is a document, which has no room for it", () => {
    const document: Reply = {
      kind: "media",
      mediaKind: "document",
      url: "https://example.org/c.pdf",
      caption: msg("common.raw", { text: { en: "Your certificate" } }),
    };
    const [text] = texts([english("Well done."), document]);
    expect(text).toContain(note);
  });
});

describe("a Tigrinya learner in a quiz (lessons in English)", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(async () => app.dispose());

  it("regression: the note came under the answer's feedback and again under the next question; now once", async () => {
    const chat = chatWith(app, "haben");
    await chat.sayAll("hi", "ትግርኛ", "English", "Lund", "yes", "no news");
    await chat.sayAll(...toStrongPasswordsQuiz);
    const answer = await chat.say(shownAnswer(app, chat.address, "strong-passwords", "q1", 2));
    expect(answer).toContain("✓");
    expect(answer.split(note).length - 1).toBe(1);
  });
});

describe("a frozen reply (a kept step's: the same object for everyone at that step)", () => {
  it("is rendered once per reader and shared, frozen", () => {
    const reply = Object.freeze(english("A lesson page."));
    const first = renderer.render(reply, tigrinya);
    expect(renderer.render(reply, tigrinya)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(renderer.render(reply, "de")).not.toBe(first);
  });

  it("is kept apart by page and by the reader's second language, which change the message", () => {
    const options = Array.from({ length: 12 }, (_, i) => ({ id: `o${i}`, label: msg("common.raw", { text: `${i}` }) }));
    const list = Object.freeze({ kind: "choices", lines: [msg("menu.title")], choices: options } as Reply);
    expect(renderer.render(list, "en", 1)).toMatchObject({ page: 1 });
    expect(renderer.render(list, "en")).not.toHaveProperty("page");
    const page = Object.freeze({
      kind: "text",
      lines: [msg("common.raw", { text: { en: "In English", de: "Auf Deutsch" } })],
    } as Reply);
    const text = (o: ReturnType<typeof renderer.render>) => ("text" in o ? o.text : "");
    expect(text(renderer.render(page, { language: "ti", secondLanguage: "de" }))).toContain("Auf Deutsch");
    expect(text(renderer.render(page, { language: "ti", secondLanguage: "en" }))).toContain("In English");
  });

  it("still has the note once, under the last message, when it is rendered again from what was kept", () => {
    const feedback = Object.freeze(english("✓ Right. Four words."));
    const next = Object.freeze(english("Question 2 of 5"));
    for (const _time of [1, 2]) {
      const [first, second] = texts([feedback, next]);
      expect(first).not.toContain(note);
      expect(second).toContain(note);
    }
    expect(texts([feedback])[0]).toContain(note);
  });
});
