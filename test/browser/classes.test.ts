/**
 * A teacher's classes walked in a real browser (Debian chromium, playwright-core) against the real
 * HTTP server with the local web chat on, on a phone-sized screen (390 px) where no page may scroll
 * sideways: the teacher signs in with a code received in their web chat and lands on "Classes",
 * creates a class with two courses, sees two learners who joined by typing the code in their own web
 * chats (one with a chosen name, one without), adds a session that both are told of, marks who came,
 * and downloads the CSV, which names no chat address.
 *
 * Everything is typed with the keyboard into fields found by their labels and roles. The steps build
 * on each other, so they run in order in one describe.
 */
import { mkdirSync, readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { ct } from "../../src/console/text.ts";
import { languageByCode } from "../../src/domain/languages.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { saveStaffMember } from "../../src/staff/members.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import {
  hasChromium,
  launchChromium,
  phone,
  type Served,
  serveOnFreePort,
  tickScheduler,
  WebChat,
  widths,
} from "../support/browser.ts";
import { walkSteps } from "../support/walk-steps.ts";

if (!hasChromium) console.warn("browser tests skipped: no chromium (install it with: apt-get install -y chromium)");

const artifacts = new URL("../../test-artifacts/", import.meta.url);

describe.skipIf(!hasChromium)("a teacher's classes in a browser (390 px, real server, web chat)", () => {
  let app: TestApp;
  let served: Served;
  let stopTicking: () => void;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  // Shared between the steps.
  let teacher: WebChat;
  let console_: Page;
  let code = "";
  let amira: WebChat; // Arabic, skips the name
  let ellen: WebChat; // English, "Ellen"

  const en = (key: string, params?: Record<string, unknown>) => ct("en", key, params);
  const t = (language: string, key: string, params?: Record<string, unknown>) =>
    app.translator.t(language, key, params);

  beforeAll(async () => {
    app = await createTestApp("sqlite");
    served = await serveOnFreePort(createHttpApp(app, { webChat: true }).fetch);
    stopTicking = tickScheduler(app);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    stopTicking?.();
    await browser?.close();
    served?.close();
    await app?.dispose();
  });

  /** A person's web chat, through onboarding: language, Leipzig, consent, no news. */
  const onboard = async (hello: string, language: string): Promise<WebChat> => {
    const chat = await WebChat.open(browser, served.base);
    await chat.say(hello);
    await chat.tap(languageByCode(language)?.nativeName ?? language);
    await chat.tap(t(language, "cities.leipzig"));
    await chat.tap(t(language, "onboarding.consent.yes"));
    await chat.tap(t(language, "onboarding.news.no"));
    return chat;
  };

  /** Types into a field with the keyboard. */
  const typeInto = async (field: ReturnType<Page["getByLabel"]>, text: string) => {
    await field.click();
    await field.pressSequentially(text);
  };

  /** Types into a date or time field from its first part (headless chromium orders dates month, day, year). */
  const typeInSegments = async (field: ReturnType<Page["getByLabel"]>, keys: string) => {
    await field.focus();
    await field.pressSequentially(keys);
  };

  const expectNoSidewaysScroll = async (page: Page, what: string) => {
    const { scrollWidth, innerWidth } = await widths(page);
    expect(innerWidth, what).toBe(phone.width);
    expect(scrollWidth, `${what} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
  };

  /** A step of the walk; once one fails, the later ones (which build on it) are skipped, not failed. */
  const step = walkSteps();

  step("a teacher signs in with a code received in their web chat and lands on Classes", async () => {
    teacher = await onboard("hi", "en");
    await teacher.say(t("en", "privacy.menuEntry"));
    await teacher.tap(t("en", "privacy.menu.show"));
    const line = await teacher.waitFor(/web:[A-Za-z0-9-]{8,64}/);
    const address = /web:[A-Za-z0-9-]{8,64}/.exec(line)?.[0] ?? "";
    // An admin gave them the teacher role (the Staff page does this; see test/browser/console.test.ts).
    await app.store.transaction((tx) =>
      saveStaffMember(tx, address as `web:${string}`, { roles: ["teacher"], name: "Tarek" }, app.clock.now()),
    );

    console_ = await teacher.context.newPage();
    await console_.goto(`${served.base}/staff/sign-in`);
    const signIn = console_.getByRole("form", { name: en("signIn.title") });
    await signIn.getByRole("radio", { name: en("signIn.channels.web") }).check();
    await typeInto(signIn.getByLabel(en("signIn.id")), address.slice("web:".length));
    await signIn.getByRole("button", { name: en("signIn.send") }).click();
    const before = t("en", "staff.signInCode", { code: "§" }).split("§")[0] ?? "";
    const codeLine = await teacher.waitFor(new RegExp(`${literal(before)}\\d{6}`));
    const signInCode = /\d{6}/.exec(codeLine.slice(codeLine.indexOf(before)))?.[0] ?? "";
    await typeInto(console_.getByLabel(en("signIn.code")), signInCode);
    await console_.getByLabel(en("signIn.code")).press("Enter");
    await console_.waitForURL(`${served.base}/staff/classes`);
    const nav = console_.getByRole("navigation", { name: en("nav.label") });
    expect(await nav.getByRole("link").allTextContents()).toEqual([en("nav.classes")]);
    await expectNoSidewaysScroll(console_, "classes list");
  });

  step("creates a class with two courses in order, with dates for the first", async () => {
    await console_.getByRole("link", { name: en("classes.list.new") }).click();
    await console_.waitForURL(`${served.base}/staff/classes/new`);
    await typeInto(console_.getByLabel(en("classes.form.name")), "Tuesday group");
    await console_.getByLabel(en("classes.form.city")).selectOption({ label: "Leipzig" });
    const languages = console_.getByRole("group", { name: en("classes.form.languages") });
    await languages.getByRole("checkbox", { name: /^English/ }).check();
    await languages.getByRole("checkbox", { name: /العربية/ }).check();
    const first = console_.getByRole("group", { name: en("classes.form.courseNumber", { n: 1 }) });
    await first.getByLabel(en("classes.form.course")).selectOption({ value: "phone-papers" });
    await typeInSegments(first.getByLabel(en("classes.form.startsOn")), "03022026");
    await typeInSegments(first.getByLabel(en("classes.form.endsOn")), "03312026");
    const second = console_.getByRole("group", { name: en("classes.form.courseNumber", { n: 2 }) });
    await second.getByLabel(en("classes.form.course")).selectOption({ value: "safe-online" });
    await expectNoSidewaysScroll(console_, "class form");
    await console_.screenshot({ path: new URL("console-class-form.png", artifacts).pathname, fullPage: true });
    await console_
      .getByRole("button", { name: en("classes.form.create") })
      .last()
      .click();
    await console_.waitForURL(/\/staff\/classes\/1\?done=created$/);
    await expect.poll(() => console_.getByRole("status").textContent()).toBe(en("classes.done.created"));
    code = (await console_.locator(".code span[aria-hidden]").textContent()) ?? "";
    expect(code).toMatch(/^[A-Z0-9]{5}$/);
    // Without a bot username or WhatsApp number: what to write; the web chat has a link.
    expect(await console_.locator("#join-heading + p + p + ul").textContent()).toContain(`join ${code}`);
    await expectNoSidewaysScroll(console_, "class page");
    const courses = await console_.locator("dl ol").textContent();
    const title = (id: string) => app.content.course(id)?.title.en ?? id;
    expect(courses?.indexOf(title("phone-papers"))).toBeGreaterThanOrEqual(0);
    expect(courses?.indexOf(title("phone-papers"))).toBeLessThan(courses?.indexOf(title("safe-online")) ?? -1);
  });

  step(
    "sees the learners who joined by typing the code in their chats, by chosen name or as Learner <ref>",
    async () => {
      amira = await onboard("مرحبا", "ar");
      await amira.say(`join ${code}`);
      await amira.tap(t("ar", "classes.join.yes"));
      await amira.tap(t("ar", "classes.name.skip"));
      await amira.waitFor(new RegExp(literal(t("ar", "classes.joined", { name: "Tuesday group" }).slice(0, 8))));
      // The server's clock is a test clock: a minute later, so the list is in the order they joined.
      app.clock.advance(60_000);
      ellen = await onboard("hello", "en");
      await ellen.say(`join ${code}`);
      await ellen.tap(t("en", "classes.join.yes"));
      await ellen.say("Ellen");
      await ellen.waitFor(/You are now in the class “Tuesday group”/);

      await console_.reload();
      const learners = console_.locator("#learners");
      await expect
        .poll(() => learners.getByRole("rowheader").allTextContents())
        .toEqual([expect.stringMatching(/^Learner [0-9a-f]{8}$/), "Ellen"]);
      expect(await learners.textContent()).toContain(en("classes.learners.states.not-started"));
      expect(await console_.content()).not.toContain(webAddressOf(await ellen.context.cookies()));
      await expectNoSidewaysScroll(console_, "class page with learners");
    },
  );

  step("adds a session in Leipzig's time; both learners are told in their chats", async () => {
    await console_.getByRole("link", { name: en("classes.detail.addSession") }).click();
    await console_.waitForURL(/\/staff\/classes\/1\/sessions\/new$/);
    await typeInSegments(console_.getByLabel(en("classes.sessionForm.date"), { exact: true }), "03102026");
    await typeInSegments(console_.getByLabel(en("classes.sessionForm.time"), { exact: true }), "1800");
    await typeInto(console_.getByLabel(en("classes.sessionForm.place"), { exact: true }), "Stadtbibliothek, Raum 2");
    await expectNoSidewaysScroll(console_, "session form");
    await console_.getByRole("button", { name: en("classes.sessionForm.create") }).click();
    await console_.waitForURL(/\/staff\/classes\/1\?done=session$/);
    expect(await console_.locator("#sessions").textContent()).toContain("Stadtbibliothek, Raum 2");
    await ellen.waitFor(/Tuesday group/);
    await ellen.waitFor(/Stadtbibliothek, Raum 2/);
    await amira.waitFor(/Stadtbibliothek, Raum 2/);
  });

  step("marks who came at the session", async () => {
    await console_.getByRole("link", { name: en("classes.sessions.mark") }).click();
    await console_.waitForURL(/\/staff\/classes\/1\/sessions\/\d+$/);
    await console_.getByRole("checkbox", { name: en("classes.attendance.cameLabel", { name: "Ellen" }) }).check();
    await expectNoSidewaysScroll(console_, "attendance");
    await console_.getByRole("button", { name: en("classes.attendance.save") }).click();
    await console_.waitForURL(/done=attendance&n=1$/);
    await expect
      .poll(() => console_.getByRole("status").textContent())
      .toBe(en("classes.done.attendance", { count: 1 }));
    expect(
      await console_.getByRole("checkbox", { name: en("classes.attendance.cameLabel", { name: "Ellen" }) }).isChecked(),
    ).toBe(true);
  });

  step("downloads the class as CSV, with the learners' refs and names and no chat address", async () => {
    await console_.getByRole("link", { name: en("classes.attendance.back") }).click();
    await console_.waitForURL(`${served.base}/staff/classes/1`);
    const [download] = await Promise.all([
      console_.waitForEvent("download"),
      console_.getByRole("link", { name: en("classes.detail.csv") }).click(),
    ]);
    const path = await download.path();
    const csv = readFileSync(path, "utf8");
    expect(csv).toContain("Ellen");
    expect(csv).toContain("sessions_attended");
    expect(csv).not.toContain("web:");
    for (const chat of [amira, ellen]) expect(csv).not.toContain(webAddressOf(await chat.context.cookies()).slice(4));
    await console_.screenshot({ path: new URL("console-class.png", artifacts).pathname, fullPage: true });
  });
});

/** A string as a literal inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A browser's web chat address, from its session cookie (only to check it is never shown). */
function webAddressOf(cookies: { name: string; value: string }[]): string {
  return `web:${cookies.find((c) => c.name === "lotse_web")?.value ?? "none"}`;
}
