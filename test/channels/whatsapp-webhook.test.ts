/**
 * End to end on WhatsApp: the HTTP server against a local fake Graph API,
 * checking the exact requests for onboarding and a quiz, the verification
 * challenge, signatures, duplicate and multi-message webhooks, statuses, and
 * messages outside the 24-hour window going out as templates.
 */
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWhatsAppChannel } from "../../src/channels/whatsapp/channel.ts";
import type { Address } from "../../src/domain/address.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { silentLogger } from "../../src/log.ts";
import { OutboxSender } from "../../src/outbox/sender.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import {
  type FakeGraph,
  type GraphRequest,
  metaJson,
  signature,
  startFakeGraph,
  whatsappContact,
  whatsappWebhookBody,
} from "../support/fake-graph.ts";
import { shownAnswer } from "../support/quiz-answers.ts";

const appSecret = "test-app-secret-0123456789";
const verifyToken = "verify-me-please";
const phoneNumberId = "106540352242922";
const waId = "4915112345678";
const address = `whatsapp:${waId}` as Address;
let wamid = 0;

const webhook = (messages: object[], statuses: object[] = []) =>
  whatsappWebhookBody(
    {
      ...(messages.length > 0 ? { contacts: [whatsappContact(waId)], messages } : {}),
      ...(statuses.length > 0 ? { statuses } : {}),
    },
    phoneNumberId,
  );
const text = (body: string, from = waId) => ({
  from,
  id: `wamid.IN${++wamid}`,
  timestamp: "1772442000",
  type: "text",
  text: { body },
});
const button = (id: string) => ({
  from: waId,
  id: `wamid.IN${++wamid}`,
  timestamp: "1772442000",
  type: "interactive",
  interactive: { type: "button_reply", button_reply: { id, title: id } },
});
const row = (id: string) => ({
  from: waId,
  id: `wamid.IN${++wamid}`,
  timestamp: "1772442000",
  type: "interactive",
  interactive: { type: "list_reply", list_reply: { id, title: id } },
});

/** A request as the test reads it: type, the body's first line, and the ids of buttons, rows or the template. */
function brief(request: GraphRequest): [string, string, string[]] {
  const b = request.body as Record<string, Record<string, unknown>> & { type: string };
  if (b.type === "text") return ["text", String(b.text?.body).split("\n")[0] ?? "", []];
  if (b.type === "template") {
    const t = b.template as {
      name: string;
      language: { code: string };
      components?: { parameters: { text: string }[] }[];
    };
    return ["template", t.name, [t.language.code, ...(t.components?.[0]?.parameters.map((p) => p.text) ?? [])]];
  }
  const i = b.interactive as {
    type: string;
    body: { text: string };
    action: { buttons?: { reply: { id: string } }[]; sections?: { rows: { id: string }[] }[] };
  };
  const ids =
    i.action.buttons?.map((x) => x.reply.id) ?? i.action.sections?.flatMap((s) => s.rows.map((r) => r.id)) ?? [];
  return [`interactive:${i.type}`, i.body.text.split("\n")[0] ?? "", ids];
}

describe("WhatsApp webhooks and sending", () => {
  let fake: FakeGraph;
  let app: TestApp;
  let server: ServerType;
  let base: string;
  let sender: OutboxSender;

  beforeEach(async () => {
    fake = await startFakeGraph();
    app = await createTestApp();
    const channel = createWhatsAppChannel(app, {
      token: "EAAG-test-token-0123456789",
      phoneNumberId,
      appSecret,
      verifyToken,
      apiUrl: fake.url,
      apiVersion: "v24.0",
      templates: { nudge: "lotse_nudge", notice: "lotse_notice" },
      rate: { perSecond: 200, perChatIntervalMs: 0 },
    });
    const http = createHttpApp(app, { webChat: false, channelRoutes: [channel.routes] });
    server = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
  });
  afterEach(async () => {
    server.close();
    await app.dispose();
    await fake.close();
  });

  const post = (body: unknown, sign = true) => {
    const raw = metaJson(body);
    return fetch(`${base}/webhooks/whatsapp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(sign ? { "x-hub-signature-256": signature(raw, appSecret) } : {}),
      },
      body: raw,
    });
  };

  async function exchange(...messages: object[]): Promise<[string, string, string[]][]> {
    const before = fake.requests.length;
    expect((await post(webhook(messages))).status).toBe(200);
    await sender.drain();
    return fake.requests.slice(before).map(brief);
  }

  it("answers Meta's verification challenge only with the right token", async () => {
    const ok = await fetch(
      `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, "1158201444"]);
    const wrong = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
  });

  it("refuses a missing or wrong signature with 401 and processes nothing", async () => {
    expect((await post(webhook([text("hi")]), false)).status).toBe(401);
    const raw = metaJson(webhook([text("hi")]));
    const forged = await fetch(`${base}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "x-hub-signature-256": signature(raw, "another-secret") },
      body: raw,
    });
    expect(forged.status).toBe(401);
    expect(await app.store.reader.getUser(address)).toBeUndefined();
    expect(fake.requests).toEqual([]);
  });

  it("runs onboarding and a quiz with exactly these requests", async () => {
    // 19 languages: a list in pages of 9 and "More".
    expect(await exchange(text("hi"))).toEqual([
      [
        "interactive:list",
        "Hello! I am Lotse, a helper for people new to a country. I am run by a non-profit team.",
        ["lang.en", "lang.de", "lang.ar", "lang.prs", "lang.ps", "lang.fa", "lang.uk", "lang.ru", "lang.tr", "more.1"],
      ],
    ]);
    expect(await exchange(button("lang.en"))).toEqual([
      [
        "interactive:list",
        "Where do you live?",
        [
          "city.mainz",
          "city.leipzig",
          "city.lund",
          "city.palermo",
          "city.trikala",
          "city.aydin",
          "city.sandefjord",
          "city.other",
        ],
      ],
    ]);
    expect(await exchange(row("city.leipzig"))).toEqual([
      [
        "interactive:button",
        'Before we start: to help you, I store your chat address (no name, unless you ask for a certificate), your language, your city, your time zone and your progress, and for up to 30 days the messages I sent you. I do not share it with anyone. Write "my data" to see it and "delete my data" to delete everything.',
        ["consent.yes", "consent.no", "consent.more"],
      ],
    ]);
    expect(await exchange(button("consent.yes"))).toEqual([
      [
        "interactive:button",
        "Do you want news from the team, for example about new meetings? You can change this in the settings.",
        ["news.yes", "news.no"],
      ],
    ]);
    expect(await exchange(button("news.no"))).toEqual([
      ["text", 'Thank you, you are all set! You can write "menu" at any time.', []],
      [
        "interactive:list",
        "New here? Choose “🧭 Which course for me?”: a 2-minute check that finds the best course for you.",
        [
          "go.placement",
          "go.lessons",
          "go.progress",
          "go.meetings",
          "go.services",
          "go.return",
          "go.settings",
          "go.privacy",
        ],
      ],
    ]);
    await exchange(row("go.lessons"));
    await exchange(row("course.safe-online"));
    for (const step of [1, 2, 3, 4])
      expect((await exchange(row(step === 1 ? "lesson.strong-passwords" : "step.next")))[0]?.[1]).toBe(
        `Strong passwords · ${step}/5`,
      );
    await exchange(button("step.next"));
    expect(await exchange(button("step.quiz"))).toEqual([
      ["interactive:button", "Quiz: Strong passwords · question 1 of 5", ["answer.0", "answer.1", "answer.2"]],
    ]);
    // The right option (the content's third) at the place this person sees it.
    const right = Number(shownAnswer(app, address, "strong-passwords", "q1", 2)) - 1;
    expect(await exchange(button(`answer.${right}`))).toEqual([
      ["text", "✓ Right. Four random words make a long password. It is hard to guess but easy to remember.", []],
      ["interactive:button", "Quiz: Strong passwords · question 2 of 5", ["answer.0", "answer.1", "answer.2"]],
    ]);
    const [request] = fake.requests;
    expect(request?.path).toBe(`/v24.0/${phoneNumberId}/messages`);
    expect(request?.authorization).toBe("Bearer EAAG-test-token-0123456789");
    expect(request?.body).toMatchObject({ messaging_product: "whatsapp", to: waId });
  });

  it("processes a webhook delivered twice only once", async () => {
    const body = webhook([text("hi")]);
    await post(body);
    await post(body);
    await sender.drain();
    expect(fake.requests).toHaveLength(1);
  });

  it("processes every message of a webhook with several", async () => {
    const other = "4917612345678";
    await post(webhook([text("hi"), text("hallo", other)]));
    await sender.drain();
    expect(fake.requests.map((r) => r.body.to).sort()).toEqual([waId, other].sort());
  });

  it("records delivered and read, and sends again as a template what failed with 131047", async () => {
    await exchange(text("hi"));
    const sentId = "wamid.OUT1";
    const status = (s: string, extra: object = {}) => ({
      id: sentId,
      status: s,
      timestamp: "1772442200",
      recipient_id: waId,
      ...extra,
    });
    await post(webhook([], [status("delivered"), status("read")]));
    // Consent is not given yet, so nothing sent is kept: use a consented person for the rest.
    await exchange(button("lang.en"));
    await exchange(row("city.leipzig"));
    await exchange(button("consent.yes"));
    await exchange(button("news.no"));
    const last = `wamid.OUT${fake.requests.length}`;
    await post(
      webhook(
        [],
        [
          { id: last, status: "delivered", timestamp: "1", recipient_id: waId },
          { id: last, status: "read", timestamp: "2", recipient_id: waId },
        ],
      ),
    );
    const read = await app.store.db
      .selectFrom("outbox")
      .select("status")
      .where("platform_id", "=", last)
      .executeTakeFirst();
    expect(read?.status).toBe("read");
    const before = fake.requests.length;
    await post(
      webhook(
        [],
        [
          {
            id: last,
            status: "failed",
            timestamp: "3",
            recipient_id: waId,
            errors: [{ code: 131047, title: "Re-engagement message" }],
          },
        ],
      ),
    );
    await sender.drain();
    expect(fake.requests.slice(before).map(brief)).toEqual([
      ["template", "lotse_notice", ["en", expect.stringContaining("Main menu. What would you like to do?")]],
    ]);
  });

  it("sends a nudge outside the 24-hour window as the nudge template, in the person's language", async () => {
    await exchange(text("hi"));
    await exchange(button("lang.de"));
    await exchange(row("city.leipzig"));
    await exchange(button("consent.yes"));
    await exchange(button("news.no"));
    await exchange(row("go.settings"));
    await exchange(row("settings.nudge"));
    await exchange(button("nudge.18"));
    // Two days without a message from the person: the window has closed.
    const before = fake.requests.length;
    for (let h = 0; h < 48; h++) {
      app.clock.advance(3_600_000);
      await app.scheduler.runDue(app.clock.now());
    }
    await sender.drain();
    const nudges = fake.requests.slice(before).map(brief);
    expect(nudges.length).toBeGreaterThanOrEqual(1);
    expect(nudges.every((n) => n[0] === "template" && n[1] === "lotse_nudge" && n[2][0] === "de")).toBe(true);
    expect(nudges[0]?.[2][1]).not.toContain("\n");
  });

  // Regression (trial): after "delete my data" the profile is gone, so the window looked closed and the
  // goodbye failed without a template (or went out as a paid one): the person never heard it worked.
  it("sends the goodbye after delete my data as text, in the window of the message just sent", async () => {
    await exchange(text("hi"));
    await exchange(button("lang.en"));
    await exchange(row("city.leipzig"));
    await exchange(button("consent.yes"));
    await exchange(button("news.no"));
    await exchange(text("delete my data"));
    const goodbye = await exchange(button("privacy.confirmDelete"));
    expect(goodbye.map((c) => c[0])).toEqual(["text"]);
    expect(goodbye[0]?.[1]).toContain(app.translator.t("en", "privacy.deleted").split("\n")[0]?.slice(0, 20));
  });

  it("falls back to the template when WhatsApp answers 131047 to free text", async () => {
    await exchange(text("hi"));
    fake.refuse(131047, "Re-engagement message");
    const calls = await exchange(text("what now?"));
    // The refused re-ask (its choices under one short line), then the same words again as the template.
    expect(calls.map((c) => [c[0], c[1]])).toEqual([
      ["interactive:list", "Sorry, I did not understand that. Please pick one of the options, or type its number."],
      ["template", "lotse_notice"],
    ]);
  });

  it("backs off on 130429 and delivers later", async () => {
    fake.refuse(130429, "Rate limit hit");
    await exchange(text("hi"));
    expect(await app.store.db.selectFrom("outbox").select(["status", "error"]).executeTakeFirst()).toMatchObject({
      status: "queued",
      error: "130429 Rate limit hit",
    });
    app.clock.advance(5_000);
    await sender.drain();
    expect(fake.requests.map(brief).map((b) => b[0])).toEqual(["interactive:list", "interactive:list"]);
  });

  it("regression: a 26-character Arabic row title arrives at 24 or fewer, and a message the builder refuses fails at once without blocking the next", async () => {
    await exchange(text("مرحبا"));
    const now = app.clock.now();
    const row = { id: "meeting.7", label: "الأربعاء، 16 ديسمبر، 18:00" };
    expect(row.label.length).toBe(26);
    const many = ["a", "b", "c"].map((x) => ({ id: `x.${x}`, label: x }));
    await app.store.transaction((tx) =>
      tx.enqueue(
        address,
        [
          // A button id over WhatsApp's 256 characters: the library's builder refuses it before any request.
          {
            kind: "choices",
            text: "?",
            choices: [{ id: "y".repeat(300), label: "ok" }],
            listButton: "اختر",
            moreLabel: "المزيد",
          },
          { kind: "list", text: "اللقاءات", choices: [row, ...many], listButton: "اختر", moreLabel: "المزيد" },
        ],
        now,
      ),
    );
    const before = fake.requests.length;
    await sender.drain();
    const sent = fake.requests.slice(before);
    expect(sent).toHaveLength(1);
    const body = sent[0]?.body as { interactive: { action: { sections: { rows: { title: string }[] }[] } } };
    const rows = body.interactive.action.sections.flatMap((s) => s.rows);
    expect(rows[0]?.title.length).toBeLessThanOrEqual(24);
    expect(rows[0]?.title.endsWith("…")).toBe(true);
    const failed = await app.store.db
      .selectFrom("outbox")
      .select(["status", "error"])
      .where("status", "=", "failed")
      .execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toContain("refused before sending");
  });
});
