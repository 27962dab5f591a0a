/**
 * The referral offer only while someone can answer it, and the conversation's texts as people get
 * them: with nobody in the counsellor role the return information is there but the offer is not;
 * once an admin adds a counsellor in the console the offer appears and that counsellor is told of
 * a request. The counsel flow, walked through every choice, is translated and within Telegram's
 * and WhatsApp's limits in every language, and its end words never collide with global words.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCounselFlow } from "../../flows/counsel.ts";
import type { FlowInput } from "../../flows/kit.ts";
import type { Address } from "../../src/domain/address.ts";
import { createGlobalWords } from "../../src/engine/global-words.ts";
import { normalizeText } from "../../src/engine/normalize.ts";
import { createTranslator, readLocales } from "../../src/i18n/index.ts";
import { saveStaffMember } from "../../src/staff/members.ts";
import { allLanguages, problemsInEveryLanguage } from "../flows/every-language.ts";
import { walkFlow } from "../flows/walk.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

describe("the referral offer", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  it("is not shown while nobody is a counsellor, and is once a counsellor is added in the console", async () => {
    const person = chatWith(app, "amal");
    await person.sayAll("hi", "English", "Mainz", "yes", "no news");
    const home = await person.say("voluntary return");
    expect(home).toContain("Return counselling");
    expect(home).not.toContain("Talk to a counsellor");
    expect(await person.say("talk to a counsellor")).not.toContain("Do you want to send this request?");
    expect(await app.store.db.selectFrom("referrals").selectAll().execute()).toEqual([]);

    await app.store.transaction((tx) =>
      saveStaffMember(tx, "telegram:100", { roles: ["counsellor"] }, app.clock.now()),
    );
    await person.say("menu");
    expect(await person.say("voluntary return")).toContain("Talk to a counsellor");
    await person.sayAll("talk to a counsellor", "yes, send it", "no name", "no message");
    const notices = (await app.store.takeOutboxFor("telegram:100" as Address, app.clock.now())).map((o) =>
      "text" in o.outbound ? o.outbound.text : "",
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("New request for return counselling: #1");
    expect(notices[0]).toContain("• name: Person 1");
  });
});

describe("the counsel flow's texts", () => {
  const translator = createTranslator(readLocales("locales"));
  const isEndWord = () => false;
  const input = (params: Record<string, string>): FlowInput => ({
    user: { language: "en", city: "mainz", timeZone: "Europe/Berlin", consent: "given" },
    params,
    facts: {},
  });

  it.each([
    ["a first message", { message: "Hello, I am Sara from the counselling centre.", first: "1" }],
    ["a later message", { message: "Tuesday at 10 is fine." }],
    ["opened by the person", {}],
    ["ended by the counsellor", { ended: "counsellor" }],
  ])("are complete and within limits for %s", async (_name, params) => {
    const { replies } = walkFlow(createCounselFlow({ orgName: "Beratung Mainz e.V.", isEndWord }), input(params), 50);
    expect(replies.length).toBeGreaterThan(0);
    expect(await problemsInEveryLanguage(replies)).toEqual([]);
  });

  it("has end words in every language, none of them a global word or a greeting", () => {
    const global = createGlobalWords(translator);
    const everyday = new Set(
      translator.languages
        .flatMap((lang) =>
          ["greeting", "thanks", "yes", "no", "next"].flatMap((m) => translator.words(lang, `everyday.${m}`)),
        )
        .map(normalizeText),
    );
    for (const lang of allLanguages) {
      const words = translator.words(lang, "return.counsel.endWords");
      expect(words.length, lang).toBeGreaterThan(0);
      for (const word of words) {
        expect(global.match(word), `${lang}: ${word}`).toBeUndefined();
        expect(everyday.has(normalizeText(word)), `${lang}: ${word}`).toBe(false);
      }
    }
  });
});
