/**
 * Every core flow, walked through every choice it offers: no state is a dead
 * end (each asks something or ends), "back" always leads somewhere, and every
 * reply on every path fits Telegram's and WhatsApp's limits in English,
 * German and Arabic.
 */
import { describe, expect, it } from "vitest";
import type { FlowInput } from "../../flows/kit.ts";
import { registerCoreFeatures } from "../../src/app.ts";
import { limitProblems } from "../../src/channels/limits.ts";
import { telegramProfile, whatsappProfile } from "../../src/channels/profiles.ts";
import { FlowRegistry } from "../../src/engine/registry.ts";
import { ReplyRenderer } from "../../src/engine/render.ts";
import { createTranslator, readLocales } from "../../src/i18n/index.ts";
import { allLanguages, problemsInEveryLanguage } from "./every-language.ts";
import { walkFlow } from "./walk.ts";

const registry = registerCoreFeatures(new FlowRegistry());
const renderer = new ReplyRenderer(createTranslator(readLocales("locales")));
const input: FlowInput = {
  user: { language: "en", city: "lund", timeZone: "Europe/Stockholm", consent: "given" },
  params: {},
  facts: {},
};
const flowIds = ["onboarding", "refused", "settings", "privacy", "menu", "stop"];
const entryPoints: Record<string, Record<string, string>[]> = {
  settings: [{}, { start: "language" }],
  privacy: [{}, { start: "export" }, { start: "delete" }],
};

describe.each(flowIds)("the %s flow", (id) => {
  const flow = registry.flow(id);
  if (!flow) throw new Error(`flow ${id} is not registered`);
  const walks = (entryPoints[id] ?? [{}]).map((params) => walkFlow(flow, { ...input, params }));

  it("has no dead end: every state asks a question with choices or free input", () => {
    for (const { states } of walks) {
      expect(states.length).toBeGreaterThan(0);
      for (const state of states) expect(state.prompt, state.snapshot).toBeDefined();
    }
  });

  it("answers back in every state (it goes a step back, re-asks or leaves)", () => {
    for (const { states } of walks) {
      for (const state of states) expect(state.back, state.snapshot).not.toBe("ignored");
    }
  });

  it("renders every reply through the real Telegram and WhatsApp renderers in all 19 languages, within limits, no raw key, whole URLs", async () => {
    expect(await problemsInEveryLanguage(walks.flatMap(({ replies }) => replies))).toEqual([]);
  });

  it.each(allLanguages.filter((l) => l !== "en"))("has every text translated in %s", (language) => {
    const translator = createTranslator(readLocales("locales"));
    const keys = new Set(
      walks
        .flatMap(({ replies }) =>
          replies.flatMap((r) => [
            ...("lines" in r ? r.lines.flat() : []),
            ...(r.kind === "choices" ? r.choices.map((c) => c.label) : []),
          ]),
        )
        .map((m) => m.key),
    );
    const missing = [...keys].filter((k) => !translator.has(language, k) && !translator.has(language, `${k}_other`));
    expect(missing).toEqual([]);
  });
});
