/**
 * The staff console's "Done when" walked in a real browser (Debian chromium, playwright-core) against
 * the real HTTP server with ADMIN_TOKEN set and the local web chat on: the first admin signs in with a
 * code received in their web chat, creates a meeting in English and Arabic that learners see in their
 * own chats, broadcasts to "Mainz and Arabic" and reads the delivery counts, adds a counsellor who
 * answers a referral through Lotse, and that counsellor sees no meetings, broadcasts or overview.
 *
 * Everything is typed with the keyboard into fields found by their labels and roles (what a screen
 * reader announces), on a phone-sized screen (390 px), where no page may scroll sideways.
 * The steps build on each other, so they run in order in one describe.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { languageName } from "../../src/console/meetings-form.tsx";
import { ct } from "../../src/console/text.ts";
import { languageByCode } from "../../src/domain/languages.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { maxCounsellorMessage } from "../../src/referrals/conversation.ts";
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
const adminToken = "browser-test-admin-token-0123456789";

describe.skipIf(!hasChromium)("the staff console in a browser (390 px, real server, web chat)", () => {
  let app: TestApp;
  let served: Served;
  let stopTicking: () => void;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  // Shared between the steps.
  let admin: WebChat;
  let adminConsole: Page;
  let amira: WebChat; // Arabic, Mainz, wants news
  let ellen: WebChat; // English, Mainz, wants news
  let counsellor: WebChat;
  let counsellorConsole: Page;

  const en = (key: string, params?: Record<string, unknown>) => ct("en", key, params);
  const t = (language: string, key: string, params?: Record<string, unknown>) =>
    app.translator.t(language, key, params);

  beforeAll(async () => {
    app = await createTestApp("sqlite");
    served = await serveOnFreePort(createHttpApp(app, { webChat: true, adminToken }).fetch);
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

  /** A person's web chat, through onboarding: language, city, consent, news. */
  const onboard = async (hello: string, language: string, city: string, news: boolean): Promise<WebChat> => {
    const chat = await WebChat.open(browser, served.base);
    await chat.say(hello);
    await chat.tap(languageByCode(language)?.nativeName ?? language);
    await chat.tap(t(language, `cities.${city}`));
    await chat.tap(t(language, "onboarding.consent.yes"));
    await chat.tap(t(language, news ? "onboarding.news.yes" : "onboarding.news.no"));
    return chat;
  };

  /** The chat address the person reads under "My data" → "Show my data" (web:<their session>). */
  const addressShownIn = async (chat: WebChat, language: string): Promise<string> => {
    await chat.say(t(language, "privacy.menuEntry"));
    await chat.tap(t(language, "privacy.menu.show"));
    const line = await chat.waitFor(/web:[A-Za-z0-9-]{8,64}/);
    return /web:[A-Za-z0-9-]{8,64}/.exec(line)?.[0] ?? "";
  };

  /** The sign-in code from the chat's newest code message (in the person's language). */
  const codeIn = async (chat: WebChat, language: string): Promise<string> => {
    const before = t(language, "staff.signInCode", { code: "§" }).split("§")[0] ?? "";
    const line = await chat.waitFor(new RegExp(`${literal(before)}\\d{6}`));
    return /\d{6}/.exec(line.slice(line.indexOf(before)))?.[0] ?? "";
  };

  /** Types into a field found by its label, with the keyboard. */
  const typeInto = async (field: ReturnType<Page["getByLabel"]>, text: string) => {
    await field.click();
    await field.pressSequentially(text);
  };

  /** Follows a link of the console's navigation. */
  const navigate = async (page: Page, key: string) => {
    await page
      .getByRole("navigation", { name: en("nav.label") })
      .getByRole("link", { name: en(`nav.${key}`), exact: true })
      .click();
    const path = { overview: "/staff", staff: "/staff/people" }[key] ?? `/staff/${key}`;
    await page.waitForURL(`${served.base}${path}`);
  };

  /** A step of the walk; once one fails, the later ones (which build on it) are skipped, not failed. */
  const step = walkSteps();

  /** Types into a date or time field from its first part (a click would land in the middle of it). */
  const typeInSegments = async (field: ReturnType<Page["getByLabel"]>, keys: string) => {
    await field.focus();
    await field.pressSequentially(keys);
  };

  const expectNoSidewaysScroll = async (page: Page, what: string) => {
    const { scrollWidth, innerWidth } = await widths(page);
    expect(innerWidth, what).toBe(phone.width);
    expect(scrollWidth, `${what} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
  };

  step("the first admin sets up with the admin token and signs in with a code received in the web chat", async () => {
    admin = await onboard("hi", "en", "leipzig", false);
    const address = await addressShownIn(admin, "en");
    adminConsole = await admin.context.newPage();
    await adminConsole.goto(`${served.base}/staff/sign-in`);
    await expectNoSidewaysScroll(adminConsole, "sign-in");
    await adminConsole.getByText(en("signIn.firstAdmin")).click();
    const setup = adminConsole.getByRole("form", { name: en("signIn.firstAdmin") });
    await typeInto(setup.getByLabel(en("signIn.token")), adminToken);
    await setup.getByRole("radio", { name: en("signIn.channels.web") }).check();
    // As the hint under the field says: the whole chat address from "Show my data".
    await typeInto(setup.getByLabel(en("signIn.id")), address);
    await setup.getByLabel(en("signIn.id")).press("Enter");
    await adminConsole.waitForURL(/\/staff\/sign-in\/code$/);
    await expect.poll(() => adminConsole.getByRole("status").textContent()).toContain(en("signIn.codeSent"));

    const code = await codeIn(admin, "en");
    expect(code).toMatch(/^\d{6}$/);
    await typeInto(adminConsole.getByLabel(en("signIn.code")), code);
    await adminConsole.getByRole("button", { name: en("signIn.confirm") }).click();
    await adminConsole.waitForURL(`${served.base}/staff`);
    const nav = adminConsole.getByRole("navigation", { name: en("nav.label") });
    for (const key of ["overview", "meetings", "broadcasts", "staff", "audit"])
      await expect.poll(() => nav.getByRole("link", { name: en(`nav.${key}`) }).count()).toBe(1);
    // An admin is not a counsellor: the referrals stay with counsellors.
    expect(await nav.getByRole("link", { name: en("nav.referrals") }).count()).toBe(0);
    await expectNoSidewaysScroll(adminConsole, "overview");

    // From now on the chat's staff menu tells them where and with what to sign in.
    await admin.say("menu");
    await admin.say("staff");
    await admin.waitFor(new RegExp(`/staff \\(.*${literal(address)}\\)`));
  });

  step(
    "creates a meeting in English and Arabic for Mainz that learners see in their chats, each in their language",
    async () => {
      // Learners who said yes to news at onboarding, before the meeting exists.
      amira = await onboard("مرحبا", "ar", "mainz", true);
      ellen = await onboard("hello", "en", "mainz", true);

      await navigate(adminConsole, "meetings");
      await adminConsole.getByRole("link", { name: en("meetings.list.new") }).click();
      await expect
        .poll(() => adminConsole.getByRole("heading", { level: 1 }).textContent())
        .toBe(en("meetings.new.heading"));
      const english = adminConsole.getByRole("group", { name: /^English/ });
      const arabic = adminConsole.getByRole("group", { name: /العربية/ });
      await typeInto(english.getByLabel(en("meetings.form.title")), "Coffee and questions");
      await typeInto(english.getByLabel(en("meetings.form.description")), "Ask us anything about life in Mainz.");
      await typeInto(arabic.getByLabel(en("meetings.form.title")), "قهوة وأسئلة");
      await typeInto(arabic.getByLabel(en("meetings.form.description")), "اسألونا عن الحياة في ماينتس.");
      // The browser's own date and time fields, typed into (headless chromium orders the date month, day,
      // year whatever the locale).
      await typeInSegments(adminConsole.getByLabel(en("meetings.form.date"), { exact: true }), "03202026");
      await typeInSegments(adminConsole.getByLabel(en("meetings.form.time"), { exact: true }), "1800");
      expect(await adminConsole.getByLabel(en("meetings.form.date"), { exact: true }).inputValue()).toBe("2026-03-20");
      expect(await adminConsole.getByLabel(en("meetings.form.time"), { exact: true }).inputValue()).toBe("18:00");
      await adminConsole
        .getByLabel(en("meetings.form.city"), { exact: true })
        .selectOption({ label: "Mainz (Europe/Berlin)" });
      await typeInto(
        adminConsole.getByLabel(en("meetings.form.place"), { exact: true }),
        "Stadtbibliothek, Rheinallee 3",
      );
      // Who the announcement reaches, before anything is saved: the two learners of Mainz who want news.
      await expect
        .poll(() => adminConsole.locator("#reach").textContent())
        .toContain(`Mainz: ${en("meetings.form.people", { count: 2 })}`);
      expect(await adminConsole.getByRole("checkbox", { name: en("meetings.form.announce") }).isChecked()).toBe(true);
      await expectNoSidewaysScroll(adminConsole, "meeting form");
      await adminConsole.screenshot({ path: new URL("console-meeting-form.png", artifacts).pathname, fullPage: true });

      await adminConsole
        .getByRole("button", { name: en("meetings.form.create") })
        .last()
        .click();
      await adminConsole.waitForURL(/\/staff\/meetings\/\d+\?done=createdAnnounced/);
      await expect
        .poll(() => adminConsole.getByRole("status").textContent())
        .toBe(en("meetings.done.createdAnnounced", { count: 2 }));
      await expectNoSidewaysScroll(adminConsole, "meeting page");

      // The announcement comes to each in their own language (the page asks the server every 5 seconds).
      await amira.waitFor(/قهوة وأسئلة/);
      await ellen.waitFor(/Coffee and questions/);
      expect((await amira.texts()).join("\n")).not.toContain("Coffee and questions");
      // And "Meetings" in the menu lists it, in Arabic for Amira.
      await amira.say(t("ar", "meetings.menuEntry"));
      await amira.waitFor(/قهوة وأسئلة/);
      await ellen.say(t("en", "meetings.menuEntry"));
      await ellen.waitFor(/Coffee and questions/);
    },
  );

  step(
    'broadcasts to "Mainz and Arabic": reach before sending, delivery counts after, and only Amira gets it',
    async () => {
      await navigate(adminConsole, "broadcasts");
      await adminConsole.getByRole("link", { name: en("broadcasts.list.new") }).click();
      await expectNoSidewaysScroll(adminConsole, "broadcast form");
      const textIn = (code: string) =>
        adminConsole.getByRole("textbox", {
          name: en("broadcasts.form.textIn", { language: languageName(app.translator, code, "en") }),
          exact: true,
        });
      await typeInto(textIn("en"), "The library is closed on Friday.");
      await typeInto(textIn("ar"), "المكتبة مغلقة يوم الجمعة.");
      await adminConsole
        .getByRole("group", { name: en("broadcasts.field.audience.cities") })
        .getByRole("checkbox", { name: "Mainz", exact: true })
        .check();
      await adminConsole
        .getByRole("group", { name: en("broadcasts.field.audience.languages") })
        .getByRole("checkbox", { name: languageName(app.translator, "ar", "en"), exact: true })
        .check();
      await adminConsole
        .getByRole("button", { name: en("broadcasts.form.preview") })
        .last()
        .click();
      const reach = adminConsole.getByRole("region", { name: en("broadcasts.reach.heading") });
      await expect.poll(() => reach.textContent()).toContain(en("broadcasts.reach.total", { count: 1 }));
      await expectNoSidewaysScroll(adminConsole, "broadcast form with reach and preview");

      await adminConsole.getByRole("button", { name: en("broadcasts.form.send"), exact: true }).click();
      await adminConsole.waitForURL(/\/staff\/broadcasts\/\d+\?done=sent/);
      await expect
        .poll(() => adminConsole.getByRole("status").textContent())
        .toBe(en("broadcasts.done.sent", { count: 1 }));

      // Amira's chat shows it (in Arabic); Ellen, in Mainz but English, does not get it.
      await amira.waitFor(/المكتبة مغلقة يوم الجمعة/);
      // The web chat is a pull channel: "sent" once Amira's page fetched it; delivered and read are not reported.
      const counts = adminConsole.locator("#counts");
      await expect
        .poll(
          async () => {
            await adminConsole.getByRole("link", { name: en("broadcasts.detail.refresh") }).click();
            return counts.getByRole("row", { name: new RegExp(`^${en("broadcasts.channel.web")}`) }).textContent();
          },
          { timeout: 5_000 },
        )
        .toContain(en("broadcasts.counts.notReported", { channel: en("broadcasts.channel.web") }));
      const cells = await counts
        .getByRole("row", { name: new RegExp(`^${en("broadcasts.channel.web")}`) })
        .getByRole("cell")
        .allTextContents();
      // Waiting, being sent, sent, delivered, read, failed.
      expect(cells.slice(0, 3).concat(cells.slice(5))).toEqual(["0", "0", "1", "0"]);
      expect((await ellen.texts()).join("\n")).not.toContain("The library is closed");
      await expectNoSidewaysScroll(adminConsole, "delivery counts");
      // The overview, now with people, a meeting and a broadcast in it.
      await navigate(adminConsole, "overview");
      await expectNoSidewaysScroll(adminConsole, "overview with figures");
    },
  );

  step(
    "a counsellor added on the Staff page signs in with a code from their web chat and answers a referral",
    async () => {
      counsellor = await onboard("hello", "en", "mainz", false);
      const address = await addressShownIn(counsellor, "en");

      await navigate(adminConsole, "staff");
      const add = adminConsole.getByRole("form", { name: en("people.add") });
      await add.getByRole("radio", { name: en("signIn.channels.web") }).check();
      await typeInto(add.getByLabel(en("signIn.id")), address);
      await typeInto(add.getByLabel(en("people.name")), "Chris");
      await add.getByRole("checkbox", { name: new RegExp(`^${en("people.role.staff")}`) }).uncheck();
      await add.getByRole("checkbox", { name: new RegExp(`^${en("people.role.counsellor")}`) }).check();
      await add.getByRole("button", { name: en("people.addButton") }).click();
      await expect.poll(() => adminConsole.getByRole("status").textContent()).toBe(en("people.done.saved"));
      await expectNoSidewaysScroll(adminConsole, "staff page");

      counsellorConsole = await counsellor.context.newPage();
      await counsellorConsole.goto(`${served.base}/staff/sign-in`);
      const signIn = counsellorConsole.getByRole("form", { name: en("signIn.title") });
      await signIn.getByRole("radio", { name: en("signIn.channels.web") }).check();
      await typeInto(signIn.getByLabel(en("signIn.id")), address.slice("web:".length));
      await signIn.getByRole("button", { name: en("signIn.send") }).click();
      const code = await codeIn(counsellor, "en");
      await typeInto(counsellorConsole.getByLabel(en("signIn.code")), code);
      await counsellorConsole.getByLabel(en("signIn.code")).press("Enter");
      await counsellorConsole.waitForURL(`${served.base}/staff/referrals`);

      // Amira asks for a counsellor in her chat (offered only now that there is one).
      await amira.say("القائمة");
      await amira.tap(t("ar", "return.menuEntry"));
      await amira.tap(t("ar", "return.contact"));
      await amira.tap(t("ar", "return.share.yes"));
      await amira.say("أمل");
      await amira.tap(t("ar", "return.noMessage"));
      await amira.waitFor(new RegExp(literal(t("ar", "return.sentOrg", { org: app.orgName }).slice(0, 20))));

      await counsellorConsole.reload();
      await expectNoSidewaysScroll(counsellorConsole, "referral inbox");
      await counsellorConsole.getByRole("link", { name: "أمل" }).click();
      await counsellorConsole.waitForURL(/\/staff\/referrals\/\d+$/);
      // What she agreed to share (language, city, the name she chose), never her chat address.
      const shared = await counsellorConsole.locator("dl").first().textContent();
      expect(shared).toContain("Mainz");
      expect(shared).toContain("العربية");
      expect(await counsellorConsole.content()).not.toContain(webAddressOf(await amira.context.cookies()));
      await typeInto(
        counsellorConsole.getByLabel(en("referrals.thread.message", { max: maxCounsellorMessage }), { exact: true }),
        "Hello Amal, I can help you. When can we talk?",
      );
      await counsellorConsole.getByRole("button", { name: en("referrals.thread.send"), exact: true }).click();
      await counsellorConsole.waitForURL(/done=sent/);
      await expect.poll(() => counsellorConsole.getByRole("status").textContent()).toBe(en("referrals.done.sent"));
      await expectNoSidewaysScroll(counsellorConsole, "referral page");
      await counsellorConsole.screenshot({ path: new URL("console-referral.png", artifacts).pathname, fullPage: true });

      // Amira sees it marked as from a counsellor, in her language, and answers.
      const marked = t("ar", "return.counsel.from", { org: app.orgName, text: "§" }).split("§")[0] ?? "";
      const received = await amira.waitFor(/Hello Amal, I can help you/);
      expect(withoutMarks(received)).toContain(withoutMarks(marked));
      await amira.say("شكرا، يوم الاثنين صباحا");
      await amira.waitFor(new RegExp(literal(t("ar", "return.counsel.sent").slice(0, 12))));

      await counsellorConsole.reload();
      const thread = counsellorConsole.getByRole("list", { name: en("referrals.thread.heading") });
      await expect.poll(() => thread.textContent()).toContain("شكرا، يوم الاثنين صباحا");
      // And the counsellor's own chat was told of the new request, with the way to it in the console.
      await counsellor.waitFor(new RegExp(literal(t("en", "return.staff.newRequest", { id: 1 }))));
      await counsellor.waitFor(/\/staff\/referrals\/1\b/);
    },
  );

  step(
    "the counsellor-only account sees no meetings, broadcasts or overview, and gets 403 at /staff/meetings",
    async () => {
      const nav = counsellorConsole.getByRole("navigation", { name: en("nav.label") });
      expect(await nav.getByRole("link").allTextContents()).toEqual([en("nav.referrals")]);
      for (const path of ["/staff/meetings", "/staff/broadcasts", "/staff"]) {
        const response = await counsellorConsole.goto(`${served.base}${path}`);
        expect(response?.status(), path).toBe(403);
      }
    },
  );
});

/** A string as a literal inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Text without the direction marks the chat puts around mixed-direction words. */
function withoutMarks(text: string): string {
  return text.replace(/[\u200e\u200f\u2066-\u2069]/g, "");
}

/** A browser's web chat address, from its session cookie (only to check it is never shown). */
function webAddressOf(cookies: { name: string; value: string }[]): string {
  return `web:${cookies.find((c) => c.name === "lotse_web")?.value ?? "none"}`;
}
