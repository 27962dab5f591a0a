/**
 * A broadcast's status is a word people read: every chat language has each status word of its own
 * (not English by fallback), and the chat shows them through the flow's label, not the stored code.
 */
import { describe, expect, it } from "vitest";
import { msg } from "../../flows/kit.ts";
import { broadcastStatuses } from "../../src/broadcasts/broadcasts.ts";
import { createTestApp } from "../support/app.ts";

describe("broadcast status words in the chat", () => {
  it("exist in every chat language, and fit a WhatsApp button with a four-digit number", async () => {
    const app = await createTestApp();
    try {
      const missing: string[] = [];
      const long: string[] = [];
      for (const language of app.translator.languages) {
        for (const status of broadcastStatuses) {
          const key = `broadcast.status.${status}`;
          if (!app.translator.has(language, key)) missing.push(`${language} ${key}`);
          const label = app.engine.renderer.msg(msg("broadcast.recentLabel", { id: 9999, status: msg(key) }), language);
          if (label.length > 20) long.push(`${language}: ${label}`);
        }
      }
      expect(app.translator.languages.length).toBeGreaterThanOrEqual(19);
      expect(missing).toEqual([]);
      expect(long).toEqual([]);
      expect(
        app.engine.renderer.msg(
          msg("broadcast.recentLabel", { id: 7, status: msg("broadcast.status.scheduled") }),
          "de",
        ),
      ).toBe("#7 (geplant)");
    } finally {
      await app.dispose();
    }
  });
});
