/**
 * Several processes sharing Postgres: one person's messages must still be
 * processed one at a time (the user's row is locked), so no message's effect
 * is lost; different people proceed in parallel.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { createTestApp, dropSchema, type TestApp, uniqueSchema } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

// Two processes sharing one database exist only on Postgres (SQLite is one process); CI sets DATABASE_URL.
describe.runIf(process.env.DATABASE_URL)("two processes on one Postgres", () => {
  const schema = uniqueSchema();
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const clock = new FakeClock(new Date("2026-03-02T09:00:00Z"));
    first = await createTestApp("postgres", { schema, clock });
    second = await createTestApp("postgres", { schema, clock });
  });
  afterAll(async () => {
    await first.dispose();
    await second.dispose();
    await dropSchema(schema);
  });

  it("serialises one person's messages that arrive at both processes at once", async () => {
    const people = Array.from({ length: 8 }, (_, i) => `p${i}`);
    for (const who of people) await chatWith(first, who).sayAll("hi", "English", "Lund", "yes", "no news", "menu");
    await Promise.all(
      people.map(async (who) => {
        const address = `console:${who}` as Address;
        // From the menu, "1" opens the courses and a second "1" the first course's lessons:
        // if both processes read the same saved state, one step would be lost.
        await Promise.all([
          first.engine.handle({ id: `${who}-a`, address, kind: "text", text: "1", receivedAt: new Date() }),
          second.engine.handle({ id: `${who}-b`, address, kind: "text", text: "1", receivedAt: new Date() }),
        ]);
      }),
    );
    for (const who of people) {
      const saved = await first.store.reader.getConversation(`console:${who}` as Address);
      expect([saved?.flowId, JSON.parse(saved?.snapshot ?? "{}").value], who).toEqual(["lessons", "lessons"]);
    }
  });

  it("regression: a new person's first two messages at both processes at once started the welcome twice (the conversation read with the message missed the one the other process had just inserted)", async () => {
    const people = Array.from({ length: 8 }, (_, i) => `new${i}`);
    await Promise.all(
      people.map(async (who) => {
        const address = `console:${who}` as Address;
        await Promise.all([
          first.engine.handle({ id: `${who}-a`, address, kind: "text", text: "English", receivedAt: new Date() }),
          second.engine.handle({ id: `${who}-b`, address, kind: "text", text: "Deutsch", receivedAt: new Date() }),
        ]);
      }),
    );
    for (const who of people) {
      const address = `console:${who}` as Address;
      // Whichever came first was greeted; the other was read as the answer to the language question.
      const texts = (await first.store.takeOutboxFor(address, new Date())).map((item) =>
        "text" in item.outbound ? item.outbound.text : "",
      );
      expect(
        texts.filter((text) => text.includes("Lotse")),
        who,
      ).toHaveLength(1);
      expect(["en", "de"], who).toContain((await first.store.reader.getUser(address))?.language);
    }
  });

  it("handles a webhook retried to the other process once", async () => {
    const address = "console:retry" as Address;
    const inbound = { id: "same-id", address, kind: "text" as const, text: "hi", receivedAt: new Date() };
    const results = await Promise.all([first.engine.handle(inbound), second.engine.handle(inbound)]);
    expect(results.filter((r) => r.duplicate)).toHaveLength(1);
    expect(await first.store.takeOutboxFor(address, new Date())).toHaveLength(1);
  });
});
