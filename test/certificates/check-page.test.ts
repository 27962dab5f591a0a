/**
 * What staff and employers read (issue 17 trials): the check page in the reader's language (an
 * employer's browser in German, not the holder's Dari), competences and levels translated, never the
 * credential's English "Proficiency:"; staff find a certificate by the course as its title reads in any
 * language, by part of its number or by a pasted check link.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCertificate } from "../../src/certificates/issue.ts";
import type { StoredCertificate } from "../../src/certificates/repository.ts";
import { searchCertificates } from "../../src/certificates/search.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

describe("the check page and the staff search", () => {
  let app: TestApp;
  let dari: StoredCertificate;
  let other: StoredCertificate;
  beforeAll(async () => {
    app = await createTestApp();
    const settings = { pack: app.content, translator: app.translator, orgName: app.orgName, publicUrl: app.publicUrl };
    const money = app.content.course("money-online");
    const safe = app.content.course("safe-online");
    if (!money || !safe) throw new Error("courses missing");
    dari = await issueCertificate(
      app.store.db,
      settings,
      { address: "whatsapp:1", language: "prs" },
      money,
      "مریم احمدی",
      app.clock.now(),
    );
    other = await issueCertificate(
      app.store.db,
      settings,
      { address: "telegram:2", language: "uk" },
      safe,
      "Олена Коваленко",
      app.clock.now(),
    );
  });
  afterAll(() => app.dispose());

  const pageText = async (id: string, headers: Record<string, string> = {}, query = "") =>
    (await createHttpApp(app, { webChat: false }).request(`/verify/${id}${query}`, { headers })).text();

  it("speaks the reader's browser language, with the competences and levels in it", async () => {
    const german = await pageText(dari.id, { "accept-language": "de-DE,de;q=0.9,en;q=0.8" });
    expect(german).toContain('lang="de"');
    expect(german).toContain(app.translator.t("de", "certificates.page.valid"));
    expect(german).toContain(app.translator.t("de", "digcomp.2.3"));
    expect(german).toContain(app.translator.t("de", "certificates.pdf.level.basic"));
    expect(german).not.toContain("Proficiency");
    expect(german).toContain("مریم احمدی");
    // Without a browser language the holder's; ?lang= wins over both.
    expect(await pageText(dari.id)).toContain('dir="rtl"');
    expect(await pageText(dari.id, { "accept-language": "de" }, "?lang=en")).toContain('lang="en"');
  });

  it("the course a credential names has a page of its own", async () => {
    const credential = JSON.parse(dari.credential) as { credentialSubject: { achievement: { id: string } } };
    const path = new URL(credential.credentialSubject.achievement.id).pathname;
    const response = await createHttpApp(app, { webChat: false }).request(path, {
      headers: { "accept-language": "en" },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("Money online");
    expect(text).toContain(app.translator.t("en", "digcomp.2.3"));
  });

  // Regression (review): the page showed the name column and today's organisation name, not what was signed.
  it("shows what was signed, whatever the row beside it says", async () => {
    await app.store.db.updateTable("certificates").set({ name: "Someone Else" }).where("id", "=", dari.id).execute();
    const text = await pageText(dari.id, { "accept-language": "en" });
    expect(text).toContain("مریم احمدی");
    expect(text).not.toContain("Someone Else");
    await app.store.db.updateTable("certificates").set({ name: "مریم احمدی" }).where("id", "=", dari.id).execute();
  });

  // Regression (review): a page view made a new key when the key row was missing (a restore without it),
  // and every certificate signed before then read "unknown" for good.
  it("a visitor's request never makes a signing key", async () => {
    const fresh = await createTestApp();
    const settings = {
      pack: fresh.content,
      translator: fresh.translator,
      orgName: "Lotse",
      publicUrl: fresh.publicUrl,
    };
    const course = fresh.content.course("money-online");
    if (!course) throw new Error("no course");
    const issued = await issueCertificate(
      fresh.store.db,
      settings,
      { address: "web:1", language: "en" },
      course,
      "Ana",
      fresh.clock.now(),
    );
    await fresh.store.db.deleteFrom("issuer_keys").execute();
    const res = await createHttpApp(fresh, { webChat: false }).request(`/verify/${issued.id}`);
    expect(await res.text()).not.toContain(fresh.translator.t("en", "certificates.page.valid"));
    expect(await fresh.store.db.selectFrom("issuer_keys").selectAll().execute()).toEqual([]);
    await fresh.dispose();
  });

  it("finds by a course title in any language, part of the number, or a pasted link", async () => {
    const names = async (search: string) =>
      (await searchCertificates(app.store, app.content, search)).map((c) => c.name);
    expect(await names("Sicher im Internet")).toEqual(["Олена Коваленко"]);
    expect(await names("money ONLINE")).toEqual(["مریم احمدی"]);
    expect(await names(dari.id.slice(3, 12))).toEqual(["مریم احمدی"]);
    expect(await names(`https://lotse.example/verify/${other.id}/certificate.pdf`)).toEqual(["Олена Коваленко"]);
    expect(await names("олена")).toEqual(["Олена Коваленко"]);
    expect((await names("")).length).toBe(2);
    expect(await names("nobody")).toEqual([]);
  });
});
