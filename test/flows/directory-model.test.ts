/**
 * The services and return flows walked through every choice they offer, for
 * every city: no dead ends, every reply (every service card) within Telegram's
 * and WhatsApp's limits in English, German and Arabic, every text translated.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { FlowInput, Reply } from "../../flows/kit.ts";
import { createReturnFlow } from "../../flows/return.ts";
import { createServicesFlow } from "../../flows/services.ts";
import { limitProblems } from "../../src/channels/limits.ts";
import { telegramProfile, whatsappProfile } from "../../src/channels/profiles.ts";
import { type ContentPack, loadContentPack } from "../../src/content/pack.ts";
import { cities } from "../../src/domain/cities.ts";
import { resumeFlow, startFlow } from "../../src/engine/flow-runner.ts";
import { ReplyRenderer } from "../../src/engine/render.ts";
import { createTranslator, readLocales } from "../../src/i18n/index.ts";
import { allLanguages, problemsInEveryLanguage } from "./every-language.ts";
import { walkFlow } from "./walk.ts";

const translator = createTranslator(readLocales("locales"));
const renderer = new ReplyRenderer(translator);
let pack: ContentPack;
beforeAll(async () => {
  pack = await loadContentPack("content");
});

const input = (city: string | null, data?: unknown): FlowInput => ({
  user: { language: "en", city, timeZone: "Europe/Berlin", consent: "given" },
  params: {},
  facts: {},
  data,
});

async function check(replies: Reply[]): Promise<{ problems: string[]; untranslated: string[] }> {
  const problems = await problemsInEveryLanguage(replies);
  const keys = new Set(
    replies
      .flatMap((r) => [
        ...("lines" in r ? r.lines.flat() : []),
        ...(r.kind === "choices" ? r.choices.flatMap((c) => [c.label, ...(c.description ? [c.description] : [])]) : []),
      ])
      .map((m) => m.key),
  );
  const untranslated = allLanguages
    .filter((l) => l !== "en")
    .flatMap((lang) =>
      [...keys]
        .filter((k) => !translator.has(lang, k) && !translator.has(lang, `${k}_other`))
        .map((k) => `${lang}: ${k}`),
    );
  return { problems, untranslated };
}

describe.each(cities.map((c) => c.id))("the services flow in %s", (city) => {
  it("reaches every service of the city through its topics, with no dead end, within limits", async () => {
    const flow = createServicesFlow(pack);
    const { states, replies } = walkFlow(flow, input(city), 2_000);
    expect(states.every((s) => s.prompt !== undefined)).toBe(true);
    const shown = new Set(
      replies
        .flatMap((r) => (r.kind === "choices" ? r.choices.map((c) => c.id) : []))
        .filter((id) => id.startsWith("svc.")),
    );
    for (const service of pack.services.filter((s) => s.city === city && s.category !== "emergency")) {
      expect(shown, service.id).toContain(`svc.${service.id}`);
    }
    expect(await check(replies)).toEqual({ problems: [], untranslated: [] });
  });
});

describe("the services flow for a city without a directory", () => {
  it("offers the cities it knows", async () => {
    const { states } = walkFlow(createServicesFlow(pack), input("other"), 500);
    expect(states[0]?.prompt?.kind).toBe("choices");
  });
});

describe("the return flow", () => {
  it.each([
    ["without a referral", { referral: null, counsellors: true }],
    ["without a counsellor", { referral: null, counsellors: false }],
    [
      "with a referral",
      {
        counsellors: true,
        referral: {
          id: 12,
          createdAt: "2026-03-02T09:00:00Z",
          message: "After 16:00",
          status: "contacted",
          conversationOpen: true,
          displayName: "Amal",
          shareContact: false,
        },
      },
    ],
  ])("is complete, translated and within limits %s", async (_name, data) => {
    const { states, replies } = walkFlow(createReturnFlow(pack, { orgName: "Lotse" }), input("mainz", data), 500);
    expect(states.every((s) => s.prompt !== undefined)).toBe(true);
    expect(await check(replies)).toEqual({ problems: [], untranslated: [] });
  });
});

/** The pages a walk showed, by the body line each page reply carries. */
function pagesShown(replies: Reply[]): { id: string; country: string; forCountry: unknown }[] {
  return replies.flatMap((r) => {
    if (!("lines" in r)) return [];
    const lines = r.lines.flat();
    const page = pack.returnInfo.find((p) => lines.some((m) => m.key === "common.raw" && m.params?.text === p.body));
    if (!page) return [];
    const where = lines.find((m) => m.key === "return.forCountry" || m.key === "return.forOtherCountries");
    const country =
      where?.key === "return.forCountry"
        ? (where.params?.country as unknown as { params: { text: { en: string } } })
        : null;
    return [{ id: page.id, country: page.country, forCountry: country?.params.text.en ?? where?.key }];
  });
}

describe.each([...cities.map((c) => c.id), "other"])("the return flow for a person in %s", (city) => {
  // Regression (issue 18): a person in Palermo read "In Germany, the federal states are responsible..."
  it("shows the pages of the country the person lives in, each saying which country, in every language", async () => {
    const { states, replies } = walkFlow(
      createReturnFlow(pack, { orgName: "Lotse" }),
      input(city, { referral: null, counsellors: true }),
      2_000,
    );
    expect(states.every((s) => s.prompt !== undefined)).toBe(true);
    const shown = pagesShown(replies);
    const home = cities.find((c) => c.id === city);
    if (home) {
      const expected = pack.returnInfo.filter(
        (p) => p.country === home.country && (!p.regions || p.regions.includes(home.region)),
      );
      expect(new Set(shown.map((p) => p.id))).toEqual(new Set(expected.map((p) => p.id)));
      const name = new Intl.DisplayNames(["en"], { type: "region" }).of(home.country);
      for (const page of shown) expect(page, page.id).toMatchObject({ country: home.country, forCountry: name });
    } else {
      // Somewhere else: asked for the country, and every country's pages can be reached.
      expect(new Set(shown.map((p) => p.country))).toEqual(new Set(pack.returnInfo.map((p) => p.country)));
      for (const page of shown.filter((p) => p.country === "other")) {
        expect(page.forCountry).toBe("return.forOtherCountries");
      }
    }
    expect(await check(replies)).toEqual({ problems: [], untranslated: [] });
  });
});

// Regression (review of issue 18): someone elsewhere who opened "My request" and kept it was left at
// topics with no pages and no way to pick a country.
describe("the return flow for a person elsewhere, opened at their request", () => {
  it.each([
    ["ret.keep", { type: "user.choice", choiceId: "ret.keep" }],
    ["back", { type: "nav.back" }],
  ] as const)("after %s asks which country they live in", async (_name, event) => {
    const flow = createReturnFlow(pack, { orgName: "Lotse" });
    const referral = {
      id: 3,
      createdAt: "2026-03-02T09:00:00Z",
      message: null,
      status: "new" as const,
      conversationOpen: false,
      displayName: null,
      shareContact: false,
    };
    const start = startFlow(flow, { ...input("other", { referral, counsellors: true }), params: { start: "request" } });
    const after = resumeFlow(flow, start.snapshot ?? "", event);
    const prompt = after.emitted.flatMap((e) => (e.type === "bot.reply" ? [e.reply] : [])).at(-1);
    expect(prompt && "lines" in prompt ? prompt.lines.flat().map((m) => m.key) : []).toContain("return.askCountry");
  });
});

describe("the meetings, staff and broadcast flows", () => {
  const view = {
    id: 7,
    title: { en: "Help with online courses", de: "Hilfe bei Online-Kursen", ar: "مساعدة في الدورات عبر الإنترنت" },
    description: { en: "Bring your phone.", de: "Bringen Sie Ihr Handy mit.", ar: "أحضر هاتفك." },
    startsAt: "2026-03-05T17:00:00.000Z",
    endsAt: "2026-03-05T18:30:00.000Z",
    place: "Stadtbibliothek, Leipzig",
    mapUrl: null,
    onlineUrl: "https://meet.example.org/abc",
    languages: ["Deutsch", "العربية"],
    placesLeft: 3,
    status: "planned" as const,
  };

  it.each([
    [
      "meetings",
      {
        meetings: [view, { ...view, id: 8, status: "cancelled" as const }],
        answers: { "7": { answer: "yes", waiting: false } },
        calendarBase: "https://lotse.example.org/calendar",
      },
    ],
    ["staff", { meetings: [{ ...view, city: "leipzig", confirmed: 3, waiting: 12 }] }],
    ["announce", {}],
    [
      "broadcast",
      {
        courses: [{ id: "safe-online", title: { en: "Stay safe online" } }],
        meetings: [{ id: 7, title: view.title, startsAt: view.startsAt }],
        recent: [{ id: 1, status: "sending", text: "Hello" }],
      },
    ],
  ])("%s: no dead end, translated, within limits", async (id, data) => {
    const { meetingsFlow } = await import("../../flows/meetings.ts");
    const { staffFlow } = await import("../../flows/staff.ts");
    const { broadcastFlow } = await import("../../flows/broadcast.ts");
    const { announceFlow } = await import("../../flows/staff-announce.ts");
    const flows = { meetings: meetingsFlow, staff: staffFlow, broadcast: broadcastFlow, announce: announceFlow };
    const flow = flows[id as keyof typeof flows];
    const { states, replies } = walkFlow(flow, input("leipzig", data), 800);
    expect(states.length).toBeGreaterThan(1);
    expect(states.every((s) => s.prompt !== undefined)).toBe(true);
    expect(await check(replies)).toEqual({ problems: [], untranslated: [] });
  });
});
