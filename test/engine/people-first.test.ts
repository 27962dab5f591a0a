/**
 * What a newcomer hit in the first minutes, each as the person would try it:
 * questions typed at the menu, everyday words, global words that shadowed
 * choices, "stop" in a lesson, a location shared anywhere, and the language
 * guessed from the platform or the first message.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toAddress } from "../../src/domain/address.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

describe("people first", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  const onboarded = async (language: string, city = "Leipzig", yes = "yes", no = "no") => {
    const chat = chatWith(app, `p-${Math.random().toString(36).slice(2)}`);
    await chat.sayAll("hi", language, city, yes);
    expect(await chat.say(no)).toMatch(/1\) /);
    return chat;
  };

  it.each([
    ["English", "yes", "no", "where is a doctor?", "Doctor on call 116117"],
    ["Deutsch", "ja", "nein", "wo ist ein Arzt?", "Ärztl. Notdienst 116117"],
    ["العربية", "نعم", "لا", "أين أجد طبيبا", "طبيب مناوب 116117"],
  ])("a question typed at the menu in %s finds the health services of Leipzig", async (lang, yes, no, q, found) => {
    const chat = await onboarded(lang, "Leipzig", yes, no);
    const answer = await chat.say(q);
    expect(answer).toContain(found);
    expect(answer).not.toMatch(/did not understand|nicht verstanden/);
    // Picking the answer opens its card, with the phone number.
    expect(await chat.say("1")).toContain("116117");
  });

  it("a question nothing matches says so with examples, and never 'Having trouble' at the menu", async () => {
    const chat = await onboarded("English");
    for (const text of ["xylophone quantum", "🙂🙂", "这是什么", "x".repeat(300)]) {
      const answer = await chat.say(text);
      expect(answer).toContain("where is a doctor?");
      expect(answer).not.toContain("Having trouble");
      expect(answer).toMatch(/\d\) Lessons/);
    }
  });

  it("a 5,000-character question gets a clear answer and keeps the question", async () => {
    const chat = await onboarded("English");
    const answer = await chat.say("doctor ".repeat(800));
    expect(answer).toContain("very long");
    expect(answer).toMatch(/\d\) Lessons/);
  });

  it("regression: Arabic 'عودة' (back) and 'مساعدة' (help) no longer shadow the menu's choices", async () => {
    const chat = await onboarded("العربية", "Leipzig", "نعم", "لا");
    expect(await chat.say("عودة")).toContain(app.translator.t("ar", "return.intro").slice(0, 20));
    await chat.say("القائمة");
    expect(await chat.say("مساعدة")).toContain(app.translator.t("ar", "services.emergency"));
  });

  it("a global command longer than a choice's label stays the command ('delete my data' at the menu)", async () => {
    const chat = await onboarded("English");
    expect(await chat.say("delete my data")).toContain("Do you really want to delete");
  });

  it("everyday words: no, ok and greetings mean what they mean", async () => {
    const chat = chatWith(app, "ew");
    await chat.sayAll("hallo", "Deutsch", "Leipzig", "ja");
    // "nein" to the news question picks "Keine Nachrichten" (its choice plays "no").
    expect(await chat.say("nein")).toContain("Hauptmenü");
    expect(await chat.say("hallo")).toContain("Hallo!");
    const step1 = await chat.sayAll("Lektionen", "1", "1");
    expect(step1).toContain("1/5");
    expect(await chat.say("weiter")).toContain("2/5");
    expect(await chat.say("danke")).toContain("Gern geschehen");
  });

  // Regression (issue 17 trial): "далі" (next), typed out of habit at the research question, said yes.
  it("'next' or 'ok' never gives consent: the consent and research questions need a yes", async () => {
    const chat = chatWith(app, "consent-next");
    await chat.sayAll("hi", "Українська", "Sandefjord");
    expect(await chat.say("далі")).toContain(app.translator.t("uk", "engine.notUnderstood").slice(0, 15));
    expect((await app.store.reader.getUser(chat.address))?.consent).toBe("pending");
    expect(await chat.say("ok")).toContain(app.translator.t("uk", "engine.notUnderstood").slice(0, 15));
    await chat.sayAll("так", "ні");
    expect((await app.store.reader.getUser(chat.address))?.consent).toBe("given");
  });

  it("a miss inside a lesson re-asks briefly with the choices, without the whole step", async () => {
    const chat = await onboarded("English");
    const step = await chat.sayAll("lessons", "1", "1");
    const again = await chat.say("asdf qwer");
    expect(again).toContain("did not understand");
    expect(again).toContain("1) Next ▶");
    expect(again.length).toBeLessThan(step.length / 2);
  });

  it("'stop' inside a lesson asks whether to stop the lesson or all messages", async () => {
    const chat = await onboarded("English");
    await chat.sayAll("lessons", "1", "1");
    expect(await chat.say("stop")).toContain("stop this lesson, or stop all messages");
    expect(await chat.say("2")).toContain("I will not send you any messages");
    expect((await app.store.reader.getUser(chat.address))?.status).toBe("stopped");
  });

  it("a location shared at the menu answers with the nearest services; far from every city, it says so", async () => {
    const chat = await onboarded("English");
    expect(await chat.say("/location 51.34,12.37")).toContain("Nearest to you");
    await chat.say("menu");
    const far = await chat.say("/location 10,10");
    expect(far).toContain("far from the cities I know");
    expect(far).toContain("Sandefjord");
  });

  // Regression (issue 18): a mother typed "донька впала, сильно кровить" and read only "nothing found".
  it("a message nothing matches at the menu still says whom to call when someone is in danger", async () => {
    const chat = await onboarded("English");
    const answer = await chat.say("zzzq wxyv");
    expect(answer).toContain("I did not find anything");
    expect(answer).toContain("🆘 If someone is in danger: call 112.");
  });

  // Regression (issue 18): Trikala's asylum office is in Thessaloniki; it must not make Thessaloniki count as Trikala.
  it("a location in Thessaloniki is far from every city, though Trikala's asylum office is there", async () => {
    const chat = await onboarded("English");
    const far = await chat.say("/location 40.6401,22.9444");
    expect(far).toContain("far from the cities I know");
  });

  it("Telegram's language_code answers a first message in that language, offered first", async () => {
    const address = toAddress("telegram", "777");
    await app.engine.handle({
      id: "t1",
      address,
      kind: "text",
      text: "/start",
      receivedAt: app.clock.now(),
      languageHint: "ar",
    });
    const [first] = await app.store.takeOutboxFor(address, app.clock.now());
    expect(first?.outbound.kind).toBe("choices");
    if (first?.outbound.kind !== "choices") return;
    expect(first.outbound.text).toContain(app.translator.t("ar", "onboarding.hello").slice(0, 12));
    expect(first.outbound.choices[0]?.id).toBe("lang.ar");
  });

  it.each([
    ["Привіт", "lang.uk"],
    ["Здравствуйте", "lang.ru"],
    ["سلام، دکتر کجاست", "lang.fa"],
    ["سلام وروره، ډاکټر", "lang.ps"],
  ])("a first message %s puts its language first", async (text, first) => {
    const chat = chatWith(app, `s-${first}`);
    const answer = await chat.say(text);
    expect(answer.split("\n").find((l) => l.includes("1)"))).toBeDefined();
    const user = await app.store.reader.getUser(chat.address);
    expect(`lang.${user?.language}`).toBe(first);
  });

  it("regression: a second 'hi' at the welcome got 'Hello again! Here is where we were:' and then a second hello; now the welcome alone, and 'Hello again' after it", async () => {
    const chat = chatWith(app, "s-hi-twice");
    const welcome = await chat.say("hi");
    expect(await chat.say("hello")).toBe(welcome);
    await chat.say("English");
    const again = await chat.say("hi");
    expect(again.startsWith("Hello again! Here is where we were:")).toBe(true);
    expect(again).toContain("Where do you live?");
  });

  it("regression: 'سلام' alone (Arabic, Dari, Persian, Pashto and Urdu alike) offered Dari 4th and Urdu 15th; now every language in Arabic script comes first", async () => {
    const chat = chatWith(app, "s-salam");
    const answer = await chat.say("سلام");
    const options = answer.split("\n").filter((line) => /\d\)/.test(line));
    expect(options.slice(0, 5).map((line) => line.replace(/[\d)\s\u200e\u200f\u2066-\u2069]/g, ""))).toEqual([
      "العربية",
      "دری",
      "پښتو",
      "فارسی",
      "اردو",
    ]);
  });

  it.each([
    ["دری", "prs"],
    ["Dari", "prs"],
    ["فارسی", "fa"],
    ["farsi", "fa"],
    ["ukrainisch", "uk"],
    ["Українська", "uk"],
    ["kurdî", "kmr"],
    ["Soomaali", "so"],
  ])("typing %s at the language question picks %s", async (typed, code) => {
    const chat = chatWith(app, `l-${code}-${typed.length}`);
    await chat.say("hi");
    await chat.say(typed);
    expect((await app.store.reader.getUser(chat.address))?.language).toBe(code);
  });

  it("a language without lessons asks once for the second language and shows content in it with a note", async () => {
    const chat = chatWith(app, "tigrinya");
    await chat.say("hi");
    expect(await chat.say("ትግርኛ")).toMatch(/Deutsch/);
    await chat.sayAll("Deutsch", "Leipzig");
    const user = await app.store.reader.getUser(chat.address);
    expect(user?.secondLanguage).toBe("de");
  });

  it("regression: a reminder hour typed in Persian digits (۹) is understood", async () => {
    const chat = await onboarded("English");
    await chat.sayAll("settings", "daily reminder");
    expect(await chat.say("۹")).toContain("9:00");
    await chat.sayAll("settings", "daily reminder");
    // 3 a.m. is in the quiet hours, which apply by default (they did not: nudges came at night).
    const night = await chat.say("3");
    expect(night).toContain("I do not send messages between 21:00 and 8:00");
    expect(night).not.toContain("every day at 3:00");
  });
});
