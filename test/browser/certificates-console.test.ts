/**
 * A staff member withdraws a certificate in a real browser (Debian chromium, playwright-core) against
 * the real HTTP server, on a phone's screen: from the navigation to the list, a search by the name
 * the person chose (in Persian script), the certificate's page, a withdrawal refused without the
 * tick (said at the top), then done; the public check page then says "withdrawn". No page scrolls
 * sideways.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCertificate } from "../../src/certificates/issue.ts";
import type { StoredCertificate } from "../../src/certificates/repository.ts";
import { ct } from "../../src/console/text.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { hasChromium, launchChromium, phone, type Served, serveOnFreePort, widths } from "../support/browser.ts";
import { signedIn } from "../support/console.ts";

if (!hasChromium) console.warn("browser tests skipped: no chromium (install it with: apt-get install -y chromium)");

describe.skipIf(!hasChromium)("withdrawing a certificate in a browser (390 px, real server)", () => {
  let app: TestApp;
  let served: Served;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let certificate: StoredCertificate;
  const en = (key: string, params?: Record<string, unknown>) => ct("en", key, params);

  beforeAll(async () => {
    app = await createTestApp("sqlite");
    const http = createHttpApp(app, { webChat: false });
    served = await serveOnFreePort(http.fetch);
    browser = await launchChromium();
    const staff = await signedIn(app, "telegram:100", ["staff"], { http });
    const course = app.content.course("money-online");
    if (!course) throw new Error("no course money-online");
    const settings = { pack: app.content, translator: app.translator, orgName: "Lotse", publicUrl: served.base };
    certificate = await issueCertificate(
      app.store.db,
      settings,
      { address: "whatsapp:4915100000001", language: "prs" },
      course,
      "مریم احمدی",
      app.clock.now(),
    );
    await issueCertificate(
      app.store.db,
      settings,
      { address: "telegram:555", language: "uk" },
      course,
      "Олена Коваленко",
      app.clock.now(),
    );
    const context = await browser.newContext({ viewport: phone });
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

  const expectNoSidewaysScroll = async (what: string) => {
    const { scrollWidth, innerWidth } = await widths(page);
    expect(scrollWidth, `${what} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
  };

  it("finds it by name, refuses without the tick, withdraws it with a reason, and the check page says so", async () => {
    await page.goto(`${served.base}/staff`);
    await page
      .getByRole("navigation", { name: en("nav.label") })
      .getByRole("link", { name: en("nav.certificates"), exact: true })
      .click();
    await page.waitForURL(`${served.base}/staff/certificates`);
    await expectNoSidewaysScroll("the list");
    await page.getByLabel(en("certificates.search")).fill("مریم");
    await page.getByRole("button", { name: en("certificates.searchButton") }).click();
    await expect.poll(() => page.getByRole("link", { name: "مریم احمدی" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Олена Коваленко" }).count()).toBe(0);
    await page.getByRole("link", { name: "مریم احمدی" }).click();
    await page.waitForURL(`${served.base}/staff/certificates/${certificate.id}`);
    await expectNoSidewaysScroll("a certificate's page");

    await page.getByLabel(en("certificates.revoke.reason")).fill("Issued to the wrong name");
    await page.getByRole("button", { name: en("certificates.revoke.button") }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain(en("certificates.revoke.confirmNeeded"));
    // What was typed is kept for the second try.
    expect(await page.getByLabel(en("certificates.revoke.reason")).inputValue()).toBe("Issued to the wrong name");

    await page.getByLabel(en("certificates.revoke.confirm")).check();
    await page.getByRole("button", { name: en("certificates.revoke.button") }).click();
    await expect.poll(() => page.textContent("body")).toContain(en("certificates.revoke.done"));
    expect(await page.textContent("body")).toContain("Issued to the wrong name");

    await page.goto(`${served.base}/verify/${certificate.id}?lang=en`);
    const check = (await page.textContent("body")) ?? "";
    expect(check).toContain("withdrawn");
    expect(check).not.toContain("This certificate is valid");
    await expectNoSidewaysScroll("the check page");
  });
});
