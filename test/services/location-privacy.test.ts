/**
 * A shared location is used for the nearest-services search and not kept:
 * the promise the bot makes when it asks for it.
 */
import { describe, expect, it } from "vitest";
import { createTestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

describe("a shared location", () => {
  it("is used for the search and not kept: no distances in saved state or delivered messages", async () => {
    const app = await createTestApp();
    try {
      const person = chatWith(app, "sami");
      await person.sayAll("hi", "English", "Lund", "yes", "no news", "find help nearby", "near me");
      const answer = await person.say("/location 55.7047,13.1910");
      expect(answer).toMatch(/City library Lund - \d+ m/);
      const saved = await app.store.reader.getConversation(person.address);
      expect(`${saved?.snapshot} ${saved?.prompt}`).not.toMatch(/\d+ m\b|distance|55\.70|13\.19/);
      const kept = await app.store.db
        .selectFrom("outbox")
        .select("payload")
        .where("address", "=", person.address)
        .execute();
      expect(kept.map((r) => r.payload).join(" ")).not.toMatch(/\d+ m"|\d+\.\d km/);
      expect(await person.say("back")).toContain("Services in Lund");
    } finally {
      await app.dispose();
    }
  });
});
