/**
 * Return-counselling referrals as people and counsellors experience them:
 * the consent says exactly what the counsellor sees and which organisation is
 * behind it, a refusal stores nothing, a referral reaches every counsellor
 * (with the chat address only if the person chose to share it), withdrawing
 * deletes it and tells them, "delete my data" removes it, and the admin API
 * lists referrals only with the right token.
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

  it("explains exactly what the counsellor sees and which organisation is behind it before asking", async () => {
    const consent = await person.say("talk to a counsellor");
    expect(consent).toContain("A return counsellor of Lotse can write to you here in this chat");
    expect(consent).toContain("• your language: English");
    expect(consent).toContain("• your city: Mainz");
    expect(consent).toContain("• a name you choose for them (it does not have to be your real name)");
    expect(consent).toContain("• the messages you write to them");
    expect(consent).toContain('They do not see your phone number or chat ID, unless you choose "Yes, share contact"');
    expect(consent).toContain("Only the return counsellors of Lotse can see your request");
    expect(consent).toContain("withdraw your request at any time");
    expect(consent).not.toContain("chat address");
    expect(await referrals()).toEqual([]);
  });

  it("a refusal stores nothing and tells nobody", async () => {
    expect(await person.sayAll("talk to a counsellor", "no, thank you")).toContain("Nothing was shared");
    expect(await referrals()).toEqual([]);
    expect(await inbox("anna")).toEqual([]);
  });

  it("going back from the message question shares nothing", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it", "no name", "back");
    expect(await referrals()).toEqual([]);
  });

  it("creates the referral with only what was agreed and notifies every counsellor, not other staff", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it", "Amal", "Please call after 16:00");
    const [row] = await referrals();
    expect(row).toMatchObject({
      address: "console:amal",
      language: "en",
      city: "mainz",
      message: "Please call after 16:00",
      display_name: "Amal",
      share_contact: 0,
      status: "new",
    });
    for (const counsellor of ["anna", "omar"]) {
      const [notice] = await inbox(counsellor);
      expect(notice).toContain(`New request for return counselling: #${row?.id}`);
      expect(notice).toContain("• name: Amal");
      expect(notice).toContain("• language: English");
      expect(notice).toContain("• city: Mainz");
      expect(notice).toContain("• contact: not shared");
      expect(notice).not.toContain("console:amal");
      // The person's words stay in the console, out of the counsellor's own messenger.
      expect(notice).toContain("• a message: read it in the console");
      expect(notice).not.toContain("Please call after 16:00");
      expect(notice).toContain(`http://localhost:3000/staff/referrals/${row?.id}`);
    }
    expect(await inbox("lea")).toEqual([]);
  });

  it("shows the chat address only to counsellors of a person who chose to share it", async () => {
    await person.sayAll("talk to a counsellor", "yes, share contact", "no name", "no message");
    const [row] = await referrals();
    expect(row).toMatchObject({ share_contact: 1, display_name: null });
    const [notice] = await inbox("anna");
    expect(notice).toContain("• chat address: console:amal");
    expect(notice).toContain(`• name: Person ${row?.id}`);
  });

  it("asks to shorten a message over 300 characters instead of cutting it", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it");
    expect(await person.say("x".repeat(41))).toContain("This name has 41 characters");
    await person.say("no name");
    expect(await person.say("x".repeat(301))).toContain("Your message has 301 characters");
    expect(await referrals()).toEqual([]);
    await person.say("no message");
    expect((await referrals())[0]?.message).toBeNull();
  });

  it("withdrawing deletes the referral and tells the counsellors", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it", "no name", "no message");
    await inbox("anna");
    expect(await person.sayAll("my request", "withdraw it")).toContain("withdrawn and deleted");
    expect(await referrals()).toEqual([]);
    const [notice] = await inbox("anna");
    expect(notice).toMatch(/Request #\d+ for return counselling was withdrawn/);
  });

  it("delete my data removes the referral too", async () => {
    await person.sayAll(
      "talk to a counsellor",
      "yes, send it",
      "no name",
      "no message",
      "delete my data",
      "yes, delete all",
    );
    expect(await referrals()).toEqual([]);
  });

  it("keeps referrals from the admin token: what people tell counsellors stays with counsellors", async () => {
    await person.sayAll("talk to a counsellor", "yes, send it", "no name", "no message");
    const http = createHttpApp(app, { webChat: false, adminToken: token });
    expect((await http.request("/api/referrals")).status).toBe(401);
    const admin = await http.request("/api/referrals", { headers: { authorization: `Bearer ${token}` } });
    expect(admin.status).toBe(403);
    expect(await admin.text()).not.toContain("console:amal");
  });
});
