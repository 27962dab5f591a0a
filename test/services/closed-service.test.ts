/**
 * A place staff marked closed (issue 18, found by a staff member's trial): it leaves the topic lists,
 * but someone who types its name learns it is closed rather than reading "nothing found", and its
 * card says so first; a corrected phone number replaces "✓ Checked", which vouched for the old one.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refreshServiceOverrides, saveServiceOverride } from "../../src/services/overrides.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

describe("a service corrected by staff, as a person meets it", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  const correct = async (serviceId: string, change: { phone?: string; closed?: boolean; note?: string }) => {
    await saveServiceOverride(app.store.db, {
      serviceId,
      phone: change.phone ?? null,
      website: null,
      hours: null,
      closed: change.closed ?? false,
      note: change.note ?? null,
      updatedBy: "console:jana",
      updatedAt: "2026-03-02T10:00:00.000Z",
    });
    await refreshServiceOverrides(app.store.db, app.content);
  };

  const inMainz = async () => {
    const chat = chatWith(app, `p-${Math.random().toString(36).slice(2)}`);
    await chat.sayAll("hi", "English", "Mainz", "yes", "no");
    return chat;
  };

  /** A new person in Mainz searches the city's services for `query` and opens the first place found. */
  const firstCard = async (query: string) => {
    const chat = await inMainz();
    await chat.say("find help nearby");
    await chat.say(query);
    return chat.say("1");
  };

  it("a closed library is found by its name, marked closed, and its card leads with the closure", async () => {
    await correct("mainz-library", { closed: true, note: "Closed until 7 January" });
    const chat = await inMainz();
    await chat.say("find help nearby");
    const found = await chat.say("library");
    expect(found).toContain("⛔ Closed now");
    const card = await chat.say("1");
    expect(card).toMatch(/⛔ Closed: this place is not open now, the team says\.\n📌 Closed until 7 January/);
    // Not listed under its topic any more: Mainz has no other place there, so the topic itself goes.
    await chat.say("menu");
    expect(await chat.say("find help nearby")).not.toContain("Internet and devices");
  });

  it("regression: a closed emergency department's card still read its opening hours and '✓ Checked' (staff trial, a Dari reader)", async () => {
    const open = await firstCard("hospital");
    expect(open).toContain("Universitätsmedizin");
    expect(open).toContain("🕒 Emergency department day and night");
    expect(open).toContain("✓ Checked");
    await correct("mainz-hospital-unimedizin", { closed: true, note: "Closed until 7 January" });
    const other = await inMainz();
    await other.say("find help nearby");
    // Found by its name (a closed place leaves the topics' lists): its number is the one on its line.
    const found = await other.say("Universitätsmedizin");
    const line = found.split("\n").find((l) => l.includes("University Hospital")) ?? "";
    expect(line).toContain("⛔");
    const card = await other.say(/\d+/.exec(line)?.[0] ?? "");
    expect(card).toContain("⛔ Closed: this place is not open now, the team says.");
    expect(card).toContain("📍 Langenbeckstraße 1");
    expect(card).not.toContain("day and night");
    expect(card).not.toContain("🕒");
    expect(card).not.toContain("✓ Checked");
  });

  it("a corrected phone number shows with 'updated by the team', not '✓ Checked'", async () => {
    await correct("mainz-doctor-116117", { phone: "+49 6131 123456" });
    const card = await firstCard("doctor on call");
    expect(card).toContain("📞 +49 6131 123456");
    expect(card).toContain("✎ Updated by the team on 2026-03-02.");
    expect(card).not.toContain("✓ Checked");
  });

  it("regression: after two people had opened a card, a closure staff saved was not shown to the third (the card's step was kept)", async () => {
    for (const _person of [1, 2]) {
      const chat = await inMainz();
      await chat.say("find help nearby");
      await chat.say("library");
      expect(await chat.say("1")).not.toContain("Closed");
    }
    await correct("mainz-library", { closed: true, note: "Closed until 7 January" });
    const third = await inMainz();
    await third.say("find help nearby");
    expect(await third.say("library")).toContain("⛔ Closed now");
    expect(await third.say("1")).toContain("⛔ Closed: this place is not open now, the team says.");
  });

  it("regression: a person who had the card open was shown it again without the closure after a button from an earlier message", async () => {
    const chat = await inMainz();
    await chat.say("find help nearby");
    await chat.say("library");
    expect(await chat.say("1")).not.toContain("Closed");
    await correct("mainz-library", { closed: true, note: "Closed until 7 January" });
    // A button of the results list, still on the screen above the card.
    const shownAgain = async (id: string, inbound: object) => {
      await app.engine.handle({ id, address: chat.address, receivedAt: app.clock.now(), ...inbound } as never);
      const replies = await app.store.takeOutboxFor(chat.address, app.clock.now());
      return replies.map((r) => ("text" in r.outbound ? r.outbound.text : "")).join("\n");
    };
    const stale = await shownAgain("stale", { kind: "choice", choiceId: "svc.mainz-doctor-116117" });
    expect(stale).toContain("earlier message");
    expect(stale).toContain("⛔ Closed: this place is not open now, the team says.");
    expect(stale).toContain("📌 Closed until 7 January");
    // "hi" asks the question again too: as it reads now.
    expect(await shownAgain("hi", { kind: "text", text: "hi" })).toContain("⛔ Closed");
  });
});
