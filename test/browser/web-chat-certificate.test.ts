/**
 * A certificate in the web chat, in Debian's chromium at phone size (issue 17 trials): the PDF arrives
 * as a link the person can open (it came as its caption alone), the link serves the PDF, and after
 * "delete my data" the conversation goes from the phone too (it stayed in the browser's storage, with
 * the name on the certificate) while the goodbye is shown.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp } from "../../src/http/server.ts";
import { saveQuizResult } from "../../src/learning/repository.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { hasChromium, launchChromium, type Served, serveOnFreePort, WebChat } from "../support/browser.ts";
import { rightAnswers } from "../support/quiz-answers.ts";

if (!hasChromium) console.warn("browser tests skipped: no chromium (install it with: apt-get install -y chromium)");

describe.skipIf(!hasChromium)("a certificate in the web chat (390 px, real server)", () => {
  let app: TestApp;
  let served: Served;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    app = await createTestApp("sqlite");
    served = await serveOnFreePort(createHttpApp(app, { webChat: true }).fetch);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    served?.close();
    await app?.dispose();
  });

  it("sends the PDF as a link that opens it, and delete my data clears the phone's copy", async () => {
    const chat = await WebChat.open(browser, served.base);
    await chat.say("hi");
    await chat.tap("English");
    await chat.say("Leipzig");
    await chat.tap("Yes, I agree");
    await chat.say("no");
    const address = (await app.store.db.selectFrom("users").select("address").executeTakeFirstOrThrow())
      .address as `web:${string}`;
    const lessons = app.content.lessonsOf("safe-online");
    const last = lessons[lessons.length - 1];
    if (!last) throw new Error("no lessons");
    for (const lesson of lessons.slice(0, -1))
      await saveQuizResult(app.store.db, address, { lesson: lesson.id, score: 5, total: 5 }, app.clock.now());
    await chat.say("lessons");
    await chat.say("stay safe online");
    await chat.say(last.title.en ?? "");
    for (let i = 1; i < last.steps.length; i++) await chat.say("next");
    await chat.say("take the quiz");
    for (const answer of rightAnswers(app, address, last.id)) await chat.say(answer);
    await chat.say("get my certificate");
    await chat.say("Mariam Ahmadi");
    await chat.say("yes, make it");
    await chat.waitFor(/certificate\.pdf/);

    const link = chat.page.locator(".msg.bot a[href$='/certificate.pdf']").last();
    expect(await link.count()).toBe(1);
    // The link names the configured public address; the test server listens elsewhere.
    const href = new URL((await link.getAttribute("href")) ?? "");
    const pdf = await chat.page.request.get(`${served.base}${href.pathname}`);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    expect(await chat.page.evaluate("JSON.stringify(localStorage)")).toContain("Mariam Ahmadi");

    await chat.say("delete my data");
    await chat.tap(app.translator.t("en", "privacy.confirm.yes"));
    // The page then holds the goodbye alone: the button is clicked, not tapped-and-counted.
    await chat.page
      .locator(".msg.bot")
      .last()
      .getByRole("button", { name: app.translator.t("en", "certificates.keepOnDelete.delete"), exact: true })
      .click();
    await chat.waitFor(new RegExp(app.translator.t("en", "privacy.deleted").slice(0, 12)));
    expect(await chat.page.locator(".msg").count()).toBe(1);
    expect(await chat.page.evaluate("JSON.stringify(localStorage)")).not.toContain("Mariam Ahmadi");
    await chat.page.reload();
    await chat.page.waitForTimeout(500);
    expect((await chat.texts()).join("\n")).not.toContain("Mariam Ahmadi");
  });
});
