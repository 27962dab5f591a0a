/**
 * The local web chat in a real browser: Debian's chromium driven by
 * playwright-core, on a phone-sized page (390x780). Skipped with a line saying
 * how to install it where chromium is missing; `.ci/run` installs it, so CI
 * always runs these. Screenshots of a right-to-left and a left-to-right
 * conversation are kept in `test-artifacts/`.
 */
import { existsSync, mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHttpApp } from "../../src/http/server.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(executablePath);
if (!hasChromium) {
  console.warn(
    `browser tests skipped: no chromium at ${executablePath} (install it with: apt-get install -y chromium)`,
  );
}
const artifacts = new URL("../../test-artifacts/", import.meta.url);

describe.skipIf(!hasChromium)("web chat in a browser (390x780)", () => {
  let app: TestApp;
  let server: ServerType;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    app = await createTestApp("sqlite");
    const http = createHttpApp(app, { webChat: true });
    server = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Flags as Debian's chromium needs them on a closed machine: no sandbox as root, no background network.
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    mkdirSync(artifacts, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await app?.dispose();
  });

  let page: Page;
  beforeEach(async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 780 },
      geolocation: { latitude: 51.3406, longitude: 12.3747 },
      permissions: ["geolocation"],
    });
    page = await context.newPage();
    await page.goto(base);
  });

  const type = async (text: string) => {
    const count = await page.locator(".msg.bot").count();
    await page.fill("#text", text);
    await page.press("#text", "Enter");
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(count);
  };
  const tap = async (label: string) => {
    const count = await page.locator(".msg.bot").count();
    await page.locator(".msg.bot").last().getByRole("button", { name: label, exact: true }).click();
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(count);
  };

  /** The newest message's buttons lie above the input, where a thumb reaches them. */
  const expectButtonsAboveInput = async () => {
    const input = await page.locator("form").boundingBox();
    const buttons = page.locator(".msg.bot").last().locator(".choices button");
    expect(await buttons.count()).toBeGreaterThan(0);
    const last = await buttons.last().boundingBox();
    // Each a thumb's target, 44 px at least each way (a trial measured quiz answers at 38 x 40 px).
    for (const box of await Promise.all((await buttons.all()).map((b) => b.boundingBox()))) {
      expect(Math.min(box?.width ?? 0, box?.height ?? 0)).toBeGreaterThanOrEqual(44);
    }
    expect(input).not.toBeNull();
    expect(last).not.toBeNull();
    if (!input || !last) return;
    expect(last.y + last.height).toBeLessThanOrEqual(input.y);
    expect(last.y).toBeGreaterThanOrEqual(0);
  };

  it("an English conversation: buttons above the input, links as links, no session in the URL, restored on reload", async () => {
    await type("hi");
    await expectButtonsAboveInput();
    await tap("English");
    await tap("Leipzig");
    await expectButtonsAboveInput();
    await tap("Yes, I agree");
    await tap("No news");
    await type("where is a doctor?");
    await tap("📍 Doctor on call 116117");
    await expect.poll(() => page.locator('a[href="https://116117.de/"]').count()).toBeGreaterThan(0);
    await expectButtonsAboveInput();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(new URL(page.url()).search).toBe("");
    const cookie = (await page.context().cookies()).find((c) => c.name === "lotse_web");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Strict");
    await page.screenshot({ path: new URL("web-chat-en.png", artifacts).pathname, fullPage: false });
    // After a reload the conversation and the current question are there, and its buttons work.
    await page.reload();
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(5);
    await expectButtonsAboveInput();
    await tap("Other services");
    expect(await page.locator(".msg.bot").last().textContent()).toContain("Leipzig");
  });

  it("an Arabic conversation is right to left, with the page's own words in Arabic", async () => {
    await type("مرحبا");
    await tap("العربية");
    await tap("لايبزيغ");
    await tap("نعم، أوافق");
    expect([await page.getAttribute("html", "lang"), await page.getAttribute("html", "dir")]).toEqual(["ar", "rtl"]);
    expect(await page.getAttribute("#text", "placeholder")).toBe(app.translator.t("ar", "web.placeholder"));
    expect(await page.textContent("#sendButton")).toBe(app.translator.t("ar", "web.send"));
    await tap(app.translator.t("ar", "onboarding.news.no"));
    await type("أين أجد طبيبا");
    await tap("📍 طبيب مناوب 116117");
    // The link is whole: no direction mark inside it.
    await expect.poll(() => page.locator('a[href="https://116117.de/"]').count()).toBeGreaterThan(0);
    // Regression (a trial in Arabic): the number isolated for right to left was no tel: link.
    expect(await page.locator('a[href="tel:116117"]').count()).toBeGreaterThan(0);
    // Regression (the same trial): the card, opening with its German name, was laid out left to right.
    const card = page.locator(".msg.bot").last();
    const direction = (el: unknown) =>
      (globalThis as unknown as { getComputedStyle(e: unknown): { direction: string } }).getComputedStyle(el).direction;
    expect(await card.evaluate(direction)).toBe("rtl");
    await expectButtonsAboveInput();
    await page.screenshot({ path: new URL("web-chat-ar.png", artifacts).pathname, fullPage: false });
  });

  it("'near me' asks the browser for the location and answers with what is near", async () => {
    await type("hallo");
    await tap("Deutsch");
    await tap("Leipzig");
    await tap(app.translator.t("de", "onboarding.consent.yes"));
    await tap(app.translator.t("de", "onboarding.news.no"));
    await tap(app.translator.t("de", "services.menuEntry"));
    await tap(app.translator.t("de", "services.nearMe"));
    const count = await page.locator(".msg.bot").count();
    await page
      .locator(".msg.bot")
      .last()
      .getByRole("button", { name: app.translator.t("de", "web.nearMe") })
      .click();
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(count);
    expect(await page.locator(".msg.bot").last().textContent()).toContain(app.translator.t("de", "services.nearest"));
  });
});
