/**
 * Someone who said no to storing data and then agrees stays in their language (a web chat trial in
 * Pashto, Tigrinya and Somali): their language was stored before they said no.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

describe("agreeing after saying no", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  const saidNo = async (who: string) => {
    const chat = chatWith(app, who);
    await chat.sayAll("سلام", "پښتو");
    const consent = await chat.say("۲"); // Leipzig
    expect(consent).not.toMatch(/[A-Za-z]{4}/);
    await chat.say("۲"); // No
    return chat;
  };

  it("regression: 'I agree now' asked the language again in a list led by English, and 1 gave English", async () => {
    const chat = await saidNo("ahmad");
    const city = await chat.say("۲"); // I agree now
    expect(city).toContain("لایپزیګ"); // the city question, in Pashto
    expect(city).not.toContain("English");
    const news = await chat.say("۲"); // Leipzig
    expect(news).not.toMatch(/Where|Before we start/);
    expect(await app.store.reader.getUser(chat.address)).toMatchObject({
      language: "ps",
      city: "leipzig",
      consent: "given",
    });
  });

  it("regression: after 'I agree now' and the city, they were asked to agree a second time", async () => {
    const chat = await saidNo("zarmina");
    await chat.say("۲"); // I agree now
    const next = await chat.say("۲"); // Leipzig
    // The question about the team's news, not "do you agree?" again.
    expect(next).toContain("خبرونه");
    expect(next).not.toContain("ایا موافق یاست؟");
    await chat.say("۲"); // No news
    expect(await app.store.reader.getUser(chat.address)).toMatchObject({ consent: "given", city: "leipzig" });
  });

  it("regression: a typed 'yes' after saying no was not understood; 'ok' alone still does not agree", async () => {
    const chat = await saidNo("nazo");
    const ok = await chat.say("ok");
    expect(ok).not.toContain("لایپزیګ");
    const city = await chat.say("هو"); // yes
    expect(city).toContain("لایپزیګ"); // the city question: they agreed
  });

  it("/start after saying no offers their language first", async () => {
    const chat = await saidNo("gul");
    const list = await chat.say("/start");
    expect(list.split("\n").find((line) => line.includes("1)"))).toContain("پښتو");
  });
});
