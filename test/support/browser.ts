/**
 * Browser tests against the real HTTP server: Debian's chromium driven by playwright-core (skipped
 * with a line where it is missing), the app served on a free port, a scheduler tick like the
 * server's own, and a person's local web chat driven the way they would use it: typing in the
 * message box, tapping the newest buttons, reading what the bot wrote.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import type { App } from "../../src/app.ts";

/** Where chromium is (`CHROMIUM_PATH`, else Debian's). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether chromium is installed; browser tests skip themselves (with a line saying so) without it. */
export const hasChromium = existsSync(chromiumPath);

/** A phone's screen, as the pages are checked at. */
export const phone = { width: 390, height: 780 } as const;

/**
 * Launches headless chromium with the flags Debian's build needs on a closed machine (no sandbox as
 * root, no background network).
 *
 * @example
 * const browser = await launchChromium();
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
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
}

/** A server on a free loopback port. */
export interface Served {
  base: string;
  close(): void;
}

/**
 * Serves a fetch handler (such as `createHttpApp(...).fetch`) on a free port of 127.0.0.1.
 *
 * @example
 * const served = await serveOnFreePort(createHttpApp(app, { webChat: true }).fetch);
 * await page.goto(served.base);
 */
export async function serveOnFreePort(fetch: (request: Request) => Response | Promise<Response>): Promise<Served> {
  const server: ServerType = serve({ fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => void server.close() };
}

/**
 * Runs what is due every `ms`, as the server's ticker does every five seconds (announcements and
 * broadcasts are fanned out by scheduled jobs); a tick still running is not started twice.
 *
 * @example
 * const stop = tickScheduler(app);
 * afterAll(stop);
 */
export function tickScheduler(app: App, ms = 250): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await app.scheduler.runDue(app.clock.now());
    } finally {
      running = false;
    }
  }, ms);
  return () => clearInterval(timer);
}

/**
 * Whether the page scrolls sideways: its width and the window's.
 *
 * @example
 * const { scrollWidth, innerWidth } = await widths(page);
 * expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
 */
export function widths(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  // A string, as the tests are compiled without the DOM's types.
  return page.evaluate("({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })");
}

/** One person's local web chat in a browser of its own (the session is that browser's cookie). */
export class WebChat {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /**
   * Opens the web chat at `base` in a new phone-sized browser context.
   *
   * @example
   * const amira = await WebChat.open(browser, base);
   * await amira.say("مرحبا");
   */
  static async open(browser: Browser, base: string): Promise<WebChat> {
    const context = await browser.newContext({ viewport: phone });
    // A step that cannot happen fails within seconds, not after playwright's 30.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(base);
    return new WebChat(context, page);
  }

  private bot() {
    return this.page.locator(".msg.bot");
  }

  /** Types a message with the keyboard, sends it with Enter, and waits for the answer. */
  async say(text: string): Promise<void> {
    const count = await this.bot().count();
    const box = this.page.getByRole("textbox");
    await box.click();
    await box.pressSequentially(text);
    await box.press("Enter");
    await expect.poll(() => this.bot().count()).toBeGreaterThan(count);
  }

  /** Taps a button of the newest message (the only ones that work) and waits for the answer. */
  async tap(label: string): Promise<void> {
    const count = await this.bot().count();
    try {
      await this.bot().last().getByRole("button", { name: label, exact: true }).click();
    } catch (error) {
      const last = (await this.texts()).slice(-3).join("\n---\n");
      throw new Error(`no button "${label}" in the newest message; the last ones:\n${last}`, { cause: error });
    }
    await expect.poll(() => this.bot().count()).toBeGreaterThan(count);
  }

  /** Every bot message on the page, in order. */
  async texts(): Promise<string[]> {
    return this.bot().allTextContents();
  }

  /**
   * Waits (the page asks the server every five seconds) for a bot message matching `pattern` and
   * returns the newest that does.
   */
  async waitFor(pattern: RegExp, timeout = 9_000): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = (await this.texts()).findLast((t) => pattern.test(t));
      if (found !== undefined) return found;
      if (Date.now() > deadline) break;
      await this.page.waitForTimeout(200);
    }
    // Says what the chat shows instead, so a failure explains itself.
    const last = (await this.texts()).slice(-4).join("\n---\n");
    throw new Error(`no bot message matching ${pattern} within ${timeout} ms; the last ones:\n${last}`);
  }
}
