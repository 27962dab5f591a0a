/**
 * Return-counselling referrals as people and counsellors experience them:
 * the consent says exactly what is shared, a refusal stores nothing, a
 * referral reaches every counsellor, withdrawing deletes it and tells them,
 * "delete my data" removes it, and the admin API lists referrals only with
 * the right token.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

const staff = "console:anna=counsellor,console:omar=staff+counsellor,console:lea=staff";
const token = "a-long-admin-token-for-tests";

describe("return-counselling referrals", () => {
  let app: TestApp;
  let person: ReturnType<typeof chatWith>;
  beforeEach(async () => {
    app = await createTestApp(undefined, { staffAddresses: staff });
    person = chatWith(app, "amal");
    await person.sayAll("hi", "English", "Mainz", "yes", "no news", "voluntary return");
  });
  afterEach(() => app.dispose());

  const referrals = () => app.store.db.selectFrom("referrals").selectAll().execute();
  const inbox = async (who: string) =>
    (await app.store.takeOutboxFor(`console:${who}` as Address, app.clock.now())).map((m) =>
      "text" in m.outbound ? m.outbound.text : "",
    );

  it("explains exactly what is shared and who sees it before asking", async () => {
    const consent = await person.say("talk to a counsellor");
    expect(consent).toContain("• your chat address, so they can write to you");
    expect(consent).toContain("• your language: English");
    expect(consent).toContain("• your city: Mainz");
    expect(consent).toContain("• a short message, only if you write one");
    expect(consent).toContain(
      "Only the return counsellors who work with this service, and its administrators, can see it",
    );
    expect(consent).toContain("withdraw your request at any time");
    expect(await referrals()).toEqual([]);
  });

  it("a refusal stores nothing and tells nobody", async () => {
    expect(await person.sayAll("talk to a counsellor", "no, thank you")).toContain("Nothing was shared");
    expect(await referrals()).toEqual([]);
    expect(await inbox("anna")).toEqual([]);
  });

  it("going back from the message question shares nothing", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it", "back");
    expect(await referrals()).toEqual([]);
  });

  it("creates the referral with only what was agreed and notifies every counsellor, not other staff", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it", "Please call after 16:00");
    const [row] = await referrals();
    expect(row).toMatchObject({
      address: "console:amal",
      language: "en",
      city: "mainz",
      message: "Please call after 16:00",
    });
    for (const counsellor of ["anna", "omar"]) {
      const [notice] = await inbox(counsellor);
      expect(notice).toContain("New request for return counselling");
      expect(notice).toContain("chat address: console:amal");
      expect(notice).toContain('message: "Please call after 16:00"');
    }
    expect(await inbox("lea")).toEqual([]);
  });

  it("asks to shorten a message over 300 characters instead of cutting it", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it");
    expect(await person.say("x".repeat(301))).toContain("Your message has 301 characters");
    expect(await referrals()).toEqual([]);
    await person.say("no message");
    expect((await referrals())[0]?.message).toBeNull();
  });

  it("withdrawing deletes the referral and tells the counsellors", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it", "no message");
    await inbox("anna");
    expect(await person.sayAll("my request", "withdraw it")).toContain("withdrawn and deleted");
    expect(await referrals()).toEqual([]);
    const [notice] = await inbox("anna");
    expect(notice).toMatch(/Request #\d+ for return counselling was withdrawn/);
  });

  it("delete my data removes the referral too", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it", "no message", "delete my data", "yes, delete all");
    expect(await referrals()).toEqual([]);
  });

  it("the admin API lists referrals only with the right bearer token", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it", "no message");
    const http = createHttpApp(app, { webChat: false, adminToken: token });
    expect((await http.request("/admin/referrals")).status).toBe(401);
    expect(
      (await http.request("/admin/referrals", { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status,
    ).toBe(401);
    const ok = await http.request("/admin/referrals", { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      referrals: [{ address: "console:amal", language: "en", city: "mainz", message: null }],
    });
    const off = createHttpApp(app, { webChat: false });
    expect((await off.request("/admin/referrals", { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });
});
