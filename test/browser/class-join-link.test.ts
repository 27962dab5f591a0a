/**
 * A class's web chat link (`/?start=class_K7F2Q`) in a real browser: a new person goes through
 * onboarding, then the class's join step; the code leaves the address bar, so a reload does not
 * send it again. Skipped where chromium is missing, as the other browser tests are. Beside them (not in
 * test/classes/) so it runs in the heavy group, one browser at a time.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { membersOf } from "../../src/classes/repository.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { classWithCode } from "../classes/learner-support.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { hasChromium, launchChromium, type Served, serveOnFreePort } from "../support/browser.ts";

// Skipped (with the line test/browser/classes.test.ts prints) where chromium is not installed.

describe.skipIf(!hasChromium)("a class's web chat link in a browser", () => {
  let app: TestApp;
  let server: Served;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    app = await createTestApp("sqlite");
    server = await serveOnFreePort(createHttpApp(app, { webChat: true }).fetch);
    base = server.base;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await app?.dispose();
  });

  const lastBot = (page: Page) => page.locator(".msg.bot").last();
  const tap = async (page: Page, label: string) => {
    const count = await page.locator(".msg.bot").count();
    await lastBot(page).getByRole("button", { name: label, exact: true }).click();
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(count);
  };

  it("opens onboarding, then the join step, and sends the link once", async () => {
    const cls = await classWithCode(app, "K7F2Q");
    const page = await (await browser.newContext({ viewport: { width: 390, height: 780 } })).newPage();
    await page.goto(`${base}/?start=class_K7F2Q`);
    await expect.poll(async () => (await lastBot(page).textContent()) ?? "").toContain("Which language");
    expect(new URL(page.url()).search).toBe("");
    await tap(page, "English");
    await tap(page, "Leipzig");
    await tap(page, "Yes, I agree");
    await tap(page, "No news");
    expect(await page.locator(".msg.bot").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("Do you want to join this class?")]),
    );
    await tap(page, "Yes, join");
    await tap(page, "Skip");
    expect(await lastBot(page).textContent()).toContain("You are now in the class “Tuesday group”.");
    expect(await membersOf(app.store.db, cls.id)).toHaveLength(1);
    const shown = await page.locator(".msg").count();
    await page.reload();
    await expect.poll(() => page.locator(".msg").count()).toBe(shown);
  });
});
