/**
 * A staff member corrects a city service in a real browser (Debian chromium, playwright-core) against
 * the real HTTP server, on a phone's screen (390 × 844 px) where no page may scroll sideways: from the
 * navigation to the city, to the service, a new phone number and a note typed with the keyboard into
 * fields found by their labels, saved, confirmed, and listed as corrected by the team (seen without
 * swiping); a refused phone number said at the top of the page, in the first screen, with a link to
 * the field; and a removal that needs a tick first. Signing in is covered by
 * test/browser/console.test.ts; here the session comes from test/support/console.ts.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ct } from "../../src/console/text.ts";
import type { Service } from "../../src/content/services-schema.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { hasChromium, launchChromium, phone, type Served, serveOnFreePort, widths } from "../support/browser.ts";
import { signedIn } from "../support/console.ts";

if (!hasChromium) console.warn("browser tests skipped: no chromium (install it with: apt-get install -y chromium)");

describe.skipIf(!hasChromium)("correcting a city service in a browser (390 px, real server)", () => {
  let app: TestApp;
  let served: Served;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let service: Service;
  /** The Mainz service with the longest source address (long links made the page scroll sideways). */
  let longLinks: Service;
  /** A phone's whole screen, as people hold it (test/support/browser.ts' phone is a little shorter). */
  const screen = { width: phone.width, height: 844 };

  const en = (key: string, params?: Record<string, unknown>) => ct("en", key, params);

  beforeAll(async () => {
    app = await createTestApp("sqlite");
    const http = createHttpApp(app, { webChat: false });
    served = await serveOnFreePort(http.fetch);
    browser = await launchChromium();
    const staff = await signedIn(app, "telegram:100", ["staff"], { http });
    const found = app.content.contentServices.find((s) => s.city === "mainz" && s.phone);
    if (!found) throw new Error("the content has no Mainz service with a phone number");
    service = found;
    const longest = (s: Service) => Math.max(...s.sources.map((url) => url.length));
    const other = app.content.contentServices.filter((s) => s.city === "mainz" && s.id !== service.id);
    const [first] = other.sort((a, b) => longest(b) - longest(a));
    if (!first) throw new Error("the content has one Mainz service only");
    longLinks = first;
    const context = await browser.newContext({ viewport: screen });
    context.setDefaultTimeout(10_000);
    const [name = "", value = ""] = staff.cookie.split("=", 2);
    await context.addCookies([{ name, value, url: served.base }]);
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    served?.close();
    await app?.dispose();
  });

  const typeInto = async (field: ReturnType<Page["getByLabel"]>, text: string) => {
    await field.click();
    await field.pressSequentially(text);
  };

  const expectNoSidewaysScroll = async (what: string) => {
    const { scrollWidth, innerWidth } = await widths(page);
    expect(innerWidth, what).toBe(phone.width);
    expect(scrollWidth, `${what} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
  };

  it("saves a new phone number with a note and sees it listed as corrected by the team", async () => {
    await page.goto(`${served.base}/staff`);
    await page
      .getByRole("navigation", { name: en("nav.label") })
      .getByRole("link", { name: en("nav.services"), exact: true })
      .click();
    await page.waitForURL(`${served.base}/staff/services`);
    await page.getByRole("link", { name: "Mainz", exact: true }).click();
    await page.waitForURL(`${served.base}/staff/services?city=mainz`);
    await expectNoSidewaysScroll("services of Mainz");
    await page.getByRole("link", { name: service.name, exact: true }).click();
    await page.waitForURL(`${served.base}/staff/services/${service.id}`);
    await expectNoSidewaysScroll("service page");

    await typeInto(page.getByLabel(en("services.form.phone"), { exact: true }), "+49 6131 999000");
    await typeInto(page.getByLabel(en("services.form.note"), { exact: true }), "New number since March.");
    await page.getByRole("button", { name: en("services.form.save") }).click();
    await page.waitForURL(`${served.base}/staff/services/${service.id}?done=saved`);
    await expect.poll(() => page.getByRole("status").textContent()).toBe(en("services.done.saved"));
    expect(app.content.service(service.id)?.phone).toBe("+49 6131 999000");

    await page.getByRole("link", { name: en("services.back", { city: "Mainz" }) }).click();
    await page.waitForURL(`${served.base}/staff/services?city=mainz`);
    await expectNoSidewaysScroll("services of Mainz, one corrected");
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: service.name, exact: true }) });
    await expect.poll(() => row.textContent()).toContain("+49 6131 999000");
    // The marker is under the name, inside the screen: no swiping to see that it is corrected.
    const mark = row.getByText(en("services.correctedOn", { date: "2 March 2026" }));
    await mark.scrollIntoViewIfNeeded();
    const box = await mark.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= screen.width, "the marker is within the screen").toBe(true);
    // Topics are headings, so the Ausländerbehörde's topic and the library's are easy to find.
    const topic = app.translator.t("en", `services.categories.${service.category}`);
    await expect.poll(() => page.getByRole("heading", { name: topic, exact: true, level: 3 }).count()).toBe(1);
  });

  it("says a refused phone number at the top, in the first screen, with a link to the field", async () => {
    await page.goto(`${served.base}/staff/services/${longLinks.id}`);
    await expectNoSidewaysScroll("service page with long source links");
    await typeInto(page.getByLabel(en("services.form.phone"), { exact: true }), "call 0800-HELP");
    await page.getByRole("button", { name: en("services.form.save") }).click();
    await page.waitForLoadState();

    const summary = page.getByRole("alert");
    await expect.poll(() => summary.textContent()).toContain(en("services.form.errorsTitle"));
    expect(await page.evaluate("window.scrollY")).toBe(0);
    const box = await summary.boundingBox();
    expect(box, "the summary is shown").not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0), "the whole summary is in the first screen").toBeLessThanOrEqual(
      screen.height,
    );
    await expectNoSidewaysScroll("refused correction");
    // What to fix, linked to the field, which keeps its own message and what was typed.
    await summary.getByRole("link", { name: new RegExp(`^${en("services.form.phone")}: `) }).click();
    await page.waitForURL(`${served.base}/staff/services/${longLinks.id}#f-phone-block`);
    const field = page.getByLabel(en("services.form.phone"), { exact: true });
    expect(await field.inputValue()).toBe("call 0800-HELP");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    const fieldBox = await field.boundingBox();
    expect(fieldBox && fieldBox.y >= 0 && fieldBox.y + fieldBox.height <= screen.height, "the field is shown").toBe(
      true,
    );
    expect(await page.locator("#f-phone-error").isVisible()).toBe(true);
    expect(app.content.service(longLinks.id)?.staffUpdate).toBeUndefined();
  });

  it("removes the correction only after “Yes, remove the correction” is ticked", async () => {
    await page.goto(`${served.base}/staff/services/${service.id}`);
    await page.getByRole("button", { name: en("services.form.remove") }).click();
    await page.waitForLoadState();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain(en("services.remove.confirmNeeded"));
    expect(app.content.service(service.id)?.phone).toBe("+49 6131 999000");

    await page.getByLabel(en("services.remove.confirm")).check();
    await page.getByRole("button", { name: en("services.form.remove") }).click();
    await page.waitForURL(`${served.base}/staff/services/${service.id}?done=removed`);
    await expect.poll(() => page.getByRole("status").textContent()).toBe(en("services.done.removed"));
    expect(app.content.service(service.id)?.staffUpdate).toBeUndefined();
  });
});
