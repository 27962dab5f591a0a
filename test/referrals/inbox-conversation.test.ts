/**
 * The referral inbox and the conversation through Lotse, end to end on the real store: a person
 * asks for counselling in their own language, a counsellor added in the console is told (without
 * the person's chat address, with a link to the inbox), sees the request in the inbox, writes from
 * the console, the person gets it in their chat marked as from a counsellor of the organisation,
 * answers, the answer appears on the request's page, the person ends the conversation with an end
 * word of their language (Arabic, Dari), and "My counselling request" shows the status the
 * counsellor set. Global words still work inside the conversation, and a person who said stop gets
 * nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { type ConsoleClient, signedIn } from "../support/console.ts";

let app: TestApp;
let counsellor: ConsoleClient;

beforeEach(async () => {
  app = await createTestApp();
  // Added in the console (staff_members), not in STAFF_ADDRESSES.
  counsellor = await signedIn(app, "telegram:100", ["counsellor"]);
  await chatInbox("telegram:100");
});
afterEach(() => app.dispose());

/** Direction marks and isolates the renderer adds for right-to-left readers, removed for comparing. */
const plain = (text: string) => text.replace(/[\u2066-\u2069\u200E\u200F\u061C]/g, "");

/** Everything queued for a chat, as plain text (and taken, as a phone would). */
async function chatInbox(address: string): Promise<string[]> {
  return (await app.store.takeOutboxFor(address as Address, app.clock.now())).map((o) =>
    "text" in o.outbound ? plain(o.outbound.text) : "",
  );
}

const t = (lang: string, key: string) => app.translator.t(lang, key);

/** A person who speaks `lang`, in Mainz, who asks for a counsellor with a chosen name and a note. */
async function referredPerson(user: string, lang: "ar" | "prs", name: string, note: string) {
  const chat = chatWith(app, user);
  const languageName = lang === "ar" ? "العربية" : "دری";
  await chat.sayAll("hi", languageName, "1", t(lang, "onboarding.consent.yes"), "2");
  await chat.say(t(lang, "return.menuEntry"));
  const consent = plain(await chat.say(t(lang, "return.contact")));
  expect(consent).toContain("Lotse");
  await chat.sayAll(t(lang, "return.share.yes"), name);
  expect(plain(await chat.say(note))).toContain(plain(app.translator.t(lang, "return.sentOrg", { org: "Lotse" })));
  const row = await app.store.db
    .selectFrom("referrals")
    .selectAll()
    .where("address", "=", chat.address)
    .executeTakeFirstOrThrow();
  return { chat, id: Number(row.id) };
}

const referral = (id: number) =>
  app.store.db.selectFrom("referrals").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("the conversation through Lotse", () => {
  it("forwards 'hi' and 'thanks' to the counsellor instead of answering them as small talk (regression)", async () => {
    const { chat, id } = await referredPerson("samir", "ar", "سمير", "-");
    await chatInbox("telegram:100");
    await counsellor.post(`/staff/referrals/${id}/messages`, { message: "Hello, how can I help?" });
    await chatInbox(chat.address);
    for (const text of ["مرحبا", "شكرا", "thanks", "hi"]) {
      expect(plain(await chat.say(text))).toContain(plain(t("ar", "return.counsel.sent")));
    }
    const messages = await app.store.db
      .selectFrom("referral_messages")
      .select("text")
      .where("referral_id", "=", id)
      .where("sender", "=", "person")
      .execute();
    expect(messages.map((m) => m.text)).toEqual(["مرحبا", "شكرا", "thanks", "hi"]);
  });

  it("goes from a referral in Arabic to the console and back, until the person ends it with an Arabic end word", async () => {
    const { chat, id } = await referredPerson("amal", "ar", "أمل", "أفضل بعد الساعة الرابعة");

    // The counsellor added in the console is told, in their language, without the chat address.
    const [notice] = await chatInbox("telegram:100");
    expect(notice).toContain(`New request for return counselling: #${id}`);
    expect(notice).toContain("• name: أمل");
    expect(notice).toContain("• language: Arabic (العربية)");
    expect(notice).toContain("• city: Mainz");
    expect(notice).toContain("• contact: not shared");
    expect(notice).toContain(`http://localhost:3000/staff/referrals/${id}`);
    expect(notice).not.toContain("console:amal");

    // The inbox lists it; the page shows what was shared, never the address.
    const inbox = await counsellor.get("/staff/referrals");
    expect(inbox.status).toBe(200);
    const list = await inbox.text();
    expect(list).toContain("أمل");
    expect(list).toContain("Arabic (العربية)");
    expect(list).not.toContain("console:amal");

    // The counsellor writes; the person's chat gets it marked, as a reply (lane 0).
    const sent = await counsellor.post(`/staff/referrals/${id}/messages`, {
      message: "Hello, I am Sara. Is Tuesday good?",
    });
    expect(sent.status).toBe(303);
    const queued = await app.store.db
      .selectFrom("outbox")
      .select(["lane", "payload"])
      .where("address", "=", chat.address)
      .where("status", "=", "queued")
      .execute();
    expect(queued.map((r) => Number(r.lane))).toEqual([0]);
    const [marked] = await chatInbox(chat.address);
    expect(marked).toContain("💬 مستشار (Lotse):");
    expect(marked).toContain("Hello, I am Sara. Is Tuesday good?");
    expect(marked).toContain("إنهاء المحادثة");
    expect(await referral(id)).toMatchObject({
      status: "contacted",
      conversation_open: 1,
      assigned_to: "telegram:100",
    });

    // The person answers; it is stored for the console, and the counsellor's chat hears there is news (no text).
    expect(plain(await chat.say("نعم، الثلاثاء مناسب لي"))).toContain(plain(t("ar", "return.counsel.sent")));
    const [news] = await chatInbox("telegram:100");
    expect(news).toContain(`Request #${id} (أمل) has a new message`);
    expect(news).not.toContain("الثلاثاء");
    expect(await (await counsellor.get("/staff/referrals")).text()).toMatch(/<strong>1<\/strong>/);
    const page = await (await counsellor.get(`/staff/referrals/${id}`)).text();
    expect(page).toContain("Hello, I am Sara. Is Tuesday good?");
    expect(page).toContain("نعم، الثلاثاء مناسب لي");
    expect(page.indexOf("Hello, I am Sara")).toBeLessThan(page.indexOf("نعم، الثلاثاء مناسب لي"));

    // The person ends it with an Arabic end word.
    expect(plain(await chat.say("إنهاء"))).toContain(plain(t("ar", "return.counsel.ended")));
    expect(await referral(id)).toMatchObject({ conversation_open: 0, conversation_ended_by: "person" });
    expect(await (await counsellor.get(`/staff/referrals/${id}`)).text()).toContain(
      "The person ended the conversation.",
    );
    // Later texts go nowhere near the counsellor.
    await chat.say("نص آخر");
    const messages = await app.store.db
      .selectFrom("referral_messages")
      .select("text")
      .where("referral_id", "=", id)
      .execute();
    expect(messages.map((m) => m.text)).toEqual(["Hello, I am Sara. Is Tuesday good?", "نعم، الثلاثاء مناسب لي"]);

    // The counsellor closes it; "my request" shows the status.
    expect((await counsellor.post(`/staff/referrals/${id}/status`, { status: "closed" })).status).toBe(303);
    // "My request" typed anywhere finds it (here after a text the menu did not understand).
    // Its words are those of the menu's own entry, so it opens the request at once.
    const mine = plain(await chat.say(t("ar", "return.myRequest")));
    expect(mine).toContain(plain(t("ar", "return.request.status.closed")));
    expect(mine).toContain(plain(t("ar", "return.request.conversationNone")));
    // Closed requests stay listed until the person withdraws them.
    expect(await (await counsellor.get("/staff/referrals?status=closed")).text()).toContain("أمل");
  });

  it("lets a Dari speaker end it with a Dari end word, and shows the open conversation under my request", async () => {
    const { chat, id } = await referredPerson("karim", "prs", "کریم", t("prs", "return.noMessage"));
    expect((await chatInbox("telegram:100"))[0]).toContain("• language: Dari (دری)");
    await counsellor.post(`/staff/referrals/${id}/messages`, { message: "Salam Karim" });
    const [marked] = await chatInbox(chat.address);
    expect(marked).toContain("💬 مشاور (Lotse):");
    // Leaving with "menu" keeps it open; "my request" says so and offers to write again.
    await chat.say("مینو");
    const mine = plain(await chat.say(t("prs", "return.menuRequest")));
    expect(mine).toContain(plain(t("prs", "return.request.status.contacted")));
    expect(mine).toContain(plain(t("prs", "return.request.conversationOpen")));
    expect(plain(await chat.say(t("prs", "return.request.write")))).toContain(plain(t("prs", "return.counsel.end")));
    await chat.say("تشکر، فردا وقت دارم");
    expect(plain(await chat.say("ختم"))).toContain(plain(t("prs", "return.counsel.ended")));
    expect(await referral(id)).toMatchObject({ conversation_open: 0, conversation_ended_by: "person" });
    const texts = await app.store.db
      .selectFrom("referral_messages")
      .select("text")
      .where("referral_id", "=", id)
      .execute();
    expect(texts.map((m) => m.text)).toEqual(["Salam Karim", "تشکر، فردا وقت دارم"]);
  });

  it("ends from the console: the person is told and leaves the conversation", async () => {
    const { chat, id } = await referredPerson("amal", "ar", "أمل", "بدون رسالة");
    await counsellor.post(`/staff/referrals/${id}/messages`, { message: "Hello" });
    await chatInbox(chat.address);
    expect((await counsellor.post(`/staff/referrals/${id}/end`)).status).toBe(303);
    const [told] = await chatInbox(chat.address);
    expect(told).toContain(plain(app.translator.t("ar", "return.counsel.endedByCounsellor", { org: "Lotse" })));
    expect(await app.store.reader.getConversation(chat.address)).toBeUndefined();
    expect(await referral(id)).toMatchObject({ conversation_open: 0, conversation_ended_by: "counsellor" });
    // Ending twice is refused plainly.
    expect((await counsellor.post(`/staff/referrals/${id}/end`)).status).toBe(409);
  });

  it("keeps stop working inside the conversation (delete my data: inbox-erase.test.ts), and sends nothing after stop", async () => {
    const { chat, id } = await referredPerson("amal", "ar", "أمل", "بدون رسالة");
    await counsellor.post(`/staff/referrals/${id}/messages`, { message: "Hello" });
    await chatInbox(chat.address);
    await chat.say("توقف");
    expect((await app.store.reader.getUser(chat.address))?.status).toBe("stopped");
    const refused = await counsellor.post(`/staff/referrals/${id}/messages`, { message: "Are you there?" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Are you there?"); // kept in the form
    expect(await chatInbox(chat.address)).toEqual([]);
    const stored = await app.store.db
      .selectFrom("referral_messages")
      .select("text")
      .where("referral_id", "=", id)
      .execute();
    expect(stored.map((m) => m.text)).toEqual(["Hello"]);
    // The API says the same.
    expect((await counsellor.api("POST", `/api/referrals/${id}/messages`, { text: "Hello?" })).status).toBe(409);
  });

  it("refuses an empty message in the form with 400 naming the field, and audits actions with the number only", async () => {
    const { id } = await referredPerson("amal", "ar", "أمل", "بدون رسالة");
    const empty = await counsellor.post(`/staff/referrals/${id}/messages`, { message: "   " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Message: please write something.");
    await counsellor.post(`/staff/referrals/${id}/notes`, { text: "Prefers Tuesdays" });
    await counsellor.post(`/staff/referrals/${id}/messages`, { message: "Hello there" });
    await counsellor.post(`/staff/referrals/${id}/assign`, { assignee: "" });
    await counsellor.post(`/staff/referrals/${id}/status`, { status: "closed" });
    const entries = await app.store.db
      .selectFrom("audit_log")
      .select(["action", "detail"])
      .where("action", "like", "referral.%")
      .execute();
    expect(entries.map((e) => e.action).sort()).toEqual([
      "referral.assign",
      "referral.end",
      "referral.message",
      "referral.note",
      "referral.status",
    ]);
    for (const entry of entries) {
      expect(JSON.parse(entry.detail)).toMatchObject({ referral: id });
      expect(entry.detail).not.toMatch(/Tuesdays|Hello there|console:amal/);
    }
    // Assigning to someone without the counsellor role is refused, naming the field.
    const wrong = await counsellor.post(`/staff/referrals/${id}/assign`, { assignee: "telegram:999" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Assigned to:");
  });

  it("offers the same through the API", async () => {
    const { chat, id } = await referredPerson("amal", "ar", "أمل", "بدون رسالة");
    const list = (await (await counsellor.api("GET", "/api/referrals?status=new")).json()) as { referrals: unknown[] };
    expect(list.referrals).toMatchObject([
      { id, status: "new", name: "أمل", language: "ar", city: "mainz", unread: 0 },
    ]);
    expect(JSON.stringify(list)).not.toContain("console:amal");
    expect((await counsellor.api("GET", "/api/referrals?city=atlantis")).status).toBe(400);
    const sent = await counsellor.api("POST", `/api/referrals/${id}/messages`, { text: "Hello from the API" });
    expect(sent.status).toBe(200);
    expect((await chatInbox(chat.address)).join("\n")).toContain("Hello from the API");
    await chat.say("شكرًا على الرسالة");
    // A number is the person's answer ("2 children"), not the number of the end button.
    await chat.say("2");
    const detail = (await (await counsellor.api("GET", `/api/referrals/${id}`)).json()) as {
      referral: unknown;
      messages: { from: string }[];
    };
    expect(detail.referral).toMatchObject({ id, status: "contacted", contact: null, conversationOpen: true });
    expect(detail.messages.map((m) => m.from)).toEqual(["counsellor", "person", "person"]);
    expect((await counsellor.api("POST", `/api/referrals/${id}/notes`, { text: "note" })).status).toBe(200);
    expect((await counsellor.api("PUT", `/api/referrals/${id}/assignee`, { assignedTo: "telegram:999" })).status).toBe(
      400,
    );
    expect((await counsellor.api("PUT", `/api/referrals/${id}/status`, { status: "done" })).status).toBe(400);
    expect((await counsellor.api("PUT", `/api/referrals/${id}/status`, { status: "closed" })).status).toBe(200);
    expect(await referral(id)).toMatchObject({ status: "closed", conversation_open: 0 });
    expect((await counsellor.api("POST", `/api/referrals/${id}/end`)).status).toBe(409);
    expect((await counsellor.api("GET", "/api/referrals/999")).status).toBe(404);
  });
});
