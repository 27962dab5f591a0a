/**
 * The engine's promises beyond single conversations: retried webhooks are
 * handled once, broken saved state never crashes or loses data, bad input
 * gets a clear answer, and one person's messages are processed in order.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import type { Inbound } from "../../src/domain/inbound.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

const address = "console:tester" as Address;
let counter = 0;
function text(body: string, id = `m${++counter}`): Inbound {
  return { id, address, kind: "text", text: body, receivedAt: new Date() };
}

async function onboard(app: TestApp): Promise<ReturnType<typeof chatWith>> {
  const chat = chatWith(app);
  await chat.sayAll("hi", "English", "Leipzig", "yes", "no news");
  return chat;
}

describe("engine", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  it("handles a retried message id once (a webhook delivered twice)", async () => {
    const first = await app.engine.handle(text("hi", "dup-1"));
    const again = await app.engine.handle(text("hi", "dup-1"));
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(await app.store.takeOutboxFor(address, app.clock.now())).toHaveLength(1);
  });

  it("sends a person whose saved flow version is unknown back to the menu with an apology", async () => {
    const chat = await onboard(app);
    await app.store.db.updateTable("conversations").set({ flow_version: 99 }).where("address", "=", address).execute();
    const answer = await chat.say("2");
    expect(answer).toContain("I lost track of where we were");
    expect(answer).toContain("Main menu");
    expect(await app.store.reader.getUser(address)).toMatchObject({
      language: "en",
      city: "leipzig",
      consent: "given",
    });
  });

  it("survives a corrupt stored snapshot without losing the user's settings", async () => {
    const chat = await onboard(app);
    for (const broken of ["{not json", JSON.stringify({ status: "active", value: "no-such-state", context: {} })]) {
      await app.store.db
        .updateTable("conversations")
        .set({ snapshot: broken })
        .where("address", "=", address)
        .execute();
      const answer = await chat.say("1");
      expect(answer).toContain("I lost track of where we were");
      expect(answer).toContain("Main menu");
    }
    expect(await app.store.reader.getUser(address)).toMatchObject({ language: "en", city: "leipzig" });
  });

  it("answers a 10,000-character message kindly and keeps the question", async () => {
    const chat = await onboard(app);
    const answer = await chat.say("a".repeat(10_000));
    expect(answer).toContain("That message is very long");
    expect(answer).toContain("Main menu");
    expect(await app.store.reader.getConversation(address)).toMatchObject({ flowId: "menu" });
  });

  it("answers a stale button with where the person is now", async () => {
    await onboard(app);
    await app.engine.handle({ id: "btn-1", address, kind: "choice", choiceId: "lang.de", receivedAt: new Date() });
    const [reply] = await app.store.takeOutboxFor(address, app.clock.now());
    expect(reply?.outbound).toMatchObject({ kind: "text", text: expect.stringContaining("earlier message") });
    expect(await app.store.reader.getUser(address)).toMatchObject({ language: "en" });
  });

  it("a crafted choice id that the question did not offer changes nothing", async () => {
    await onboard(app);
    await app.engine.handle({
      id: "crafted",
      address,
      kind: "choice",
      choiceId: "privacy.confirmDelete",
      receivedAt: new Date(),
    });
    expect(await app.store.reader.getUser(address)).toBeDefined();
  });

  it("explains that it cannot read pictures, and keeps the question", async () => {
    await onboard(app);
    await app.engine.handle({ id: "img", address, kind: "media", mediaKind: "image", receivedAt: new Date() });
    const replies = await app.store.takeOutboxFor(address, app.clock.now());
    expect(replies.map((r) => r.outbound.kind)).toEqual(["text", "choices"]);
  });

  it("processes one person's messages in arrival order when they come at once", async () => {
    await onboard(app);
    // Open settings, then the language question, then pick German: only works in this order.
    await Promise.all([text("settings"), text("1"), text("Deutsch")].map((m) => app.engine.handle(m)));
    expect(await app.store.reader.getUser(address)).toMatchObject({ language: "de" });
  });

  it("recognises global words in every language and as slash commands", async () => {
    const chat = await onboard(app);
    // The answer is in the person's language (English) whichever language the word was typed in.
    for (const word of ["menu", "Menü", "القائمة", "/menu", "/MENU@LotseBot"]) {
      await chat.say("1");
      expect(await chat.say(word), word).toContain("Main menu");
    }
    expect(await chat.say("/mydata")).toContain("everything I store about you");
    expect(await chat.say("/nonsense")).toContain("I do not know the command /nonsense");
  });

  it("stop silences the person until start", async () => {
    const chat = await onboard(app);
    await chat.say("stop");
    expect(await app.store.reader.getUser(address)).toMatchObject({ status: "stopped" });
    expect(await chat.say("start")).toContain("Welcome back");
    expect(await app.store.reader.getUser(address)).toMatchObject({ status: "active" });
  });

  it("after a refusal stores only the refusal: no city, no kept replies", async () => {
    const chat = chatWith(app);
    await chat.sayAll("hi", "English", "Lund", "no");
    const user = await app.store.reader.getUser(address);
    expect(user).toMatchObject({ consent: "refused", city: null });
    const data = await app.store.reader.exportData(address);
    expect(data.counts.outbox).toBe(0);
  });

  it("deleting my data erases every row of that address, and the goodbye is not kept", async () => {
    const chat = await onboard(app);
    await chat.sayAll("delete my data", "yes, delete all");
    const data = await app.store.reader.exportData(address);
    expect(Object.values(data.counts).every((n) => n === 0)).toBe(true);
    expect(data.user).toBeUndefined();
  });
});
