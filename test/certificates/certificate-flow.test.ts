/**
 * A course certificate as people and staff use it (issue 17): the quiz that finishes a course offers
 * it, the person chooses the name, receives the PDF and the check page; the page says valid, the
 * credential verifies with the standard verifier (@digitalbazaar/vc); staff withdraw it and the page
 * says so; "delete my data" asks whether certificates stay valid, and keeps them without the address.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyCredentialJson } from "../../src/certificates/credential.ts";
import { issuerKey } from "../../src/certificates/issue.ts";
import { certificatesOf, listCertificates } from "../../src/certificates/repository.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { learnerSeed, optionOrder } from "../../src/learning/option-order.ts";
import { saveQuizResult } from "../../src/learning/repository.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { signedIn } from "../support/console.ts";

describe("a certificate for a finished course", () => {
  let app: TestApp;
  let chat: ReturnType<typeof chatWith>;
  const course = "safe-online";

  beforeEach(async () => {
    app = await createTestApp();
    chat = chatWith(app, "mariam");
    await chat.sayAll("hi", "English", "Leipzig", "yes", "no news");
  });
  afterEach(() => app.dispose());

  /** The numbers this person sees next to each right option of a lesson's quiz. */
  const rightNumbers = (lessonId: string) =>
    (app.content.lesson(lessonId)?.quiz ?? []).map((q) => {
      const order = optionOrder(learnerSeed(chat.address), `${lessonId}/${q.id}`, q.options.length);
      return String(order.indexOf(q.options.findIndex((o) => o.correct)) + 1);
    });

  /** Passes every lesson of the course but the last in storage, then the last one in the chat. */
  async function finishCourse(): Promise<string> {
    const lessons = app.content.lessonsOf(course);
    const last = lessons[lessons.length - 1];
    if (!last) throw new Error("the course has no lessons");
    for (const lesson of lessons.slice(0, -1)) {
      await saveQuizResult(app.store.db, chat.address, { lesson: lesson.id, score: 5, total: 5 }, app.clock.now());
    }
    const steps = Array<string>(last.steps.length - 1).fill("next");
    await chat.sayAll("lessons", "stay safe online", last.title.en ?? "", ...steps, "take the quiz");
    return chat.sayAll(...rightNumbers(last.id));
  }

  it("is offered by the quiz that finishes the course, and sent with its check page", async () => {
    const result = await finishCourse();
    expect(result).toContain("🎉 You finished the course");
    expect(result).toContain("Get my certificate");
    const asked = await chat.say("get my certificate");
    expect(asked).toContain("What name should be on the certificate?");
    expect(asked).toContain("“Delete my data” deletes it");
    // Regression-minded: a link is not a name; the question stays.
    expect(await chat.say("https://example.org")).toContain("does not look like a name");
    expect(await chat.say("مریم احمدی")).toContain("The certificate will say: مریم احمدی");
    const sent = await chat.say("yes, make it");
    const [stored] = await certificatesOf(app.store.db, chat.address);
    expect(stored?.name).toBe("مریم احمدی");
    expect(sent).toContain(`/verify/${stored?.id}`);
    expect(sent).toContain(`[document] http://localhost:3000/verify/${stored?.id}/certificate.pdf`);

    // Asked again, the same certificate comes back (no second one).
    expect(await chat.sayAll("menu", "lessons", "stay safe online")).toContain("🎓 Certificate");
    expect(await chat.say("certificate")).toContain("again");
    expect(await listCertificates(app.store.db)).toHaveLength(1);
  });

  it("cannot be had before every lesson is passed", async () => {
    await saveQuizResult(
      app.store.db,
      chat.address,
      { lesson: "strong-passwords", score: 5, total: 5 },
      app.clock.now(),
    );
    // No certificate choice on an unfinished course's list, and the word does not make one.
    const list = await chat.sayAll("menu", "lessons", "stay safe online");
    expect(list).toContain("Strong passwords");
    expect(list).not.toContain("🎓 Certificate");
    await chat.say("certificate");
    expect(await listCertificates(app.store.db)).toHaveLength(0);
  });

  it("shows valid on its page, verifies as a credential, and shows withdrawn after staff revoke it", async () => {
    await finishCourse();
    await chat.sayAll("get my certificate", "Mariam Ahmadi", "yes, make it");
    const [certificate] = await certificatesOf(app.store.db, chat.address);
    if (!certificate) throw new Error("no certificate issued");
    const http = createHttpApp(app, { webChat: false });

    const page = await http.request(`/verify/${certificate.id}`, { headers: { "accept-language": "en-GB,en;q=0.9" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("This certificate is valid");
    expect(html).toContain("Mariam Ahmadi");

    const pdf = await http.request(`/verify/${certificate.id}/certificate.pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");

    const json = await (await http.request(`/verify/${certificate.id}/credential.json`)).text();
    const check = await verifyCredentialJson(json, app.clock.now());
    expect(check.verified).toBe(true);
    expect(check.issuer).toBe((await issuerKey(app.store.db)).did);

    const staff = await signedIn(app, "telegram:900", ["staff"], { http });
    const refused = await staff.api("POST", `/api/certificates/${certificate.id}/revoke`, { reason: " " });
    expect(refused.status).toBe(400);
    const revoked = await staff.api("POST", `/api/certificates/${certificate.id}/revoke`, { reason: "Wrong name" });
    expect(revoked.status).toBe(200);
    const after = await (await http.request(`/verify/${certificate.id}`)).text();
    expect(after).toContain("withdrawn");
    expect(after).not.toContain("This certificate is valid");

    // A withdrawn certificate is not handed out again.
    // The PDF link still in the chat opens the check page, which says it was withdrawn.
    const pdfAfter = await http.request(`/verify/${certificate.id}/certificate.pdf`);
    expect([pdfAfter.status, pdfAfter.headers.get("location")]).toEqual([303, `/verify/${certificate.id}`]);
    expect((await http.request(`/verify/${certificate.id}/credential.json`)).status).toBe(410);
    // The person hears it, with how to get a new one; the withdrawn one's name is not offered again (it may be the typo).
    app.clock.advance(60_000);
    expect(await chat.say("menu")).toContain("was withdrawn by the team");
    await chat.sayAll("lessons", "stay safe online");
    const again = await chat.say("certificate");
    expect(again).toContain("What name should be on the certificate?");
    expect(again).not.toContain("Mariam Ahmadi");
    await chat.sayAll("Mariam Ahmadi-Karimi", "yes, make it");
    expect((await certificatesOf(app.store.db, chat.address)).map((c) => [c.name, c.revokedAt === null])).toEqual([
      ["Mariam Ahmadi-Karimi", true],
      ["Mariam Ahmadi", false],
    ]);

    expect((await http.request("/verify/not-a-real-certificate-id")).status).toBe(404);
  });

  it("a certificate whose stored credential was altered is not shown as valid", async () => {
    await finishCourse();
    await chat.sayAll("get my certificate", "Mariam Ahmadi", "yes, make it");
    const [certificate] = await certificatesOf(app.store.db, chat.address);
    if (!certificate) throw new Error("no certificate issued");
    const forged = certificate.credential.replace("Mariam Ahmadi", "Someone Else");
    await app.store.db
      .updateTable("certificates")
      .set({ credential: forged })
      .where("id", "=", certificate.id)
      .execute();
    const html = await (await createHttpApp(app, { webChat: false }).request(`/verify/${certificate.id}`)).text();
    expect(html).not.toContain("This certificate is valid");
  });

  it("delete my data asks about certificates: kept valid without the address, or deleted", async () => {
    await finishCourse();
    await chat.sayAll("get my certificate", "Mariam Ahmadi", "yes, make it");
    // "My data" shows the name itself, not only a count.
    const shown = await chat.say("my data");
    expect(shown).toContain("Certificates, with the name you chose for them: 1");
    expect(shown).toContain("The name on your certificates: “Mariam Ahmadi”");
    const question = await chat.sayAll("delete my data", "yes");
    expect(question).toContain("should they stay valid?");
    await chat.say("keep them valid");
    const [kept] = await listCertificates(app.store.db);
    expect(kept?.address).toBeNull();
    expect(kept?.name).toBe("Mariam Ahmadi");
    const html = await (await createHttpApp(app, { webChat: false }).request(`/verify/${kept?.id}`)).text();
    expect(html).toContain("This certificate is valid");

    // Someone else who says "delete them too" leaves none behind.
    const other = chatWith(app, "olena");
    await other.sayAll("hi", "English", "Leipzig", "yes", "no news");
    chat = other;
    await finishCourse();
    await chat.sayAll("get my certificate", "Olena K", "yes, make it");
    expect(await listCertificates(app.store.db)).toHaveLength(2);
    await chat.sayAll("delete my data", "yes", "delete them too");
    expect((await listCertificates(app.store.db)).map((c) => c.name)).toEqual(["Mariam Ahmadi"]);
  });
});

describe("certificate regressions (review)", () => {
  let app: TestApp;
  let chat: ReturnType<typeof chatWith>;
  beforeEach(async () => {
    app = await createTestApp();
    chat = chatWith(app, "rev");
    await chat.sayAll("hi", "English", "Leipzig", "yes", "no news");
  });
  afterEach(() => app.dispose());

  const numbers = (lessonId: string, right: boolean) =>
    (app.content.lesson(lessonId)?.quiz ?? []).map((q) => {
      const order = optionOrder(learnerSeed(chat.address), `${lessonId}/${q.id}`, q.options.length);
      const target = q.options.findIndex((o) => (right ? o.correct : !o.correct));
      return String(order.indexOf(target) + 1);
    });

  async function toLastQuiz(): Promise<string> {
    const lessons = app.content.lessonsOf("safe-online");
    const last = lessons[lessons.length - 1];
    if (!last) throw new Error("no lessons");
    for (const lesson of lessons.slice(0, -1))
      await saveQuizResult(app.store.db, chat.address, { lesson: lesson.id, score: 5, total: 5 }, app.clock.now());
    await chat.sayAll(
      "lessons",
      "stay safe online",
      last.title.en ?? "",
      ...Array<string>(last.steps.length - 1).fill("next"),
    );
    await chat.say("take the quiz");
    return last.id;
  }

  it("a failed last quiz of a course offers the retry, not the certificate", async () => {
    const last = await toLastQuiz();
    const result = await chat.sayAll(...numbers(last, false));
    expect(result).toContain("To finish the lesson you need");
    expect(result).not.toContain("certificate");
    expect(result).toContain("1) Try again");
  });

  it("'ok' at the confirmation means yes, never the printed name", async () => {
    const last = await toLastQuiz();
    await chat.sayAll(...numbers(last, true));
    await chat.sayAll("get my certificate", "Mariam Ahmadi");
    await chat.say("ok");
    const [issued] = await certificatesOf(app.store.db, chat.address);
    expect(issued?.name).toBe("Mariam Ahmadi");
  });

  it("a name in a script the certificate cannot print is refused, with another spelling asked for", async () => {
    const last = await toLastQuiz();
    await chat.sayAll(...numbers(last, true));
    await chat.say("get my certificate");
    expect(await chat.say("ნინო ბერიძე")).toContain("does not look like a name");
    expect(await chat.say("Mariam 🙂")).toContain("does not look like a name");
    expect(await chat.say("Nino Beridze")).toContain("The certificate will say: Nino Beridze");
  });

  it("withdrawn for cause (no new one allowed): the person is told to ask the team, and gets none", async () => {
    const last = await toLastQuiz();
    await chat.sayAll(...numbers(last, true));
    await chat.sayAll("get my certificate", "Mariam Ahmadi", "yes, make it");
    const [certificate] = await certificatesOf(app.store.db, chat.address);
    const staff = await signedIn(app, "telegram:900", ["staff"]);
    const body = { reason: "Issued by mistake", allowNew: false };
    const res = await staff.api("POST", `/api/certificates/${certificate?.id}/revoke`, body);
    expect(((await res.json()) as { certificate: { newAllowed: boolean } }).certificate.newAllowed).toBe(false);
    app.clock.advance(60_000);
    expect(await chat.say("menu")).toContain("If you have questions about it, please ask them.");
    await chat.sayAll("lessons", "stay safe online");
    expect(await chat.say("certificate")).toContain("The team withdrew your certificate");
    expect(await listCertificates(app.store.db)).toHaveLength(1);
  });

  // Regression (trial): "ok" to the name offered from the last certificate became the printed name.
  it("'ok' to the name offered again takes that name", async () => {
    const last = await toLastQuiz();
    await chat.sayAll(...numbers(last, true));
    await chat.sayAll("get my certificate", "Mariam Ahmadi", "yes, make it");
    for (const lesson of app.content.lessonsOf("privacy-settings"))
      await saveQuizResult(app.store.db, chat.address, { lesson: lesson.id, score: 5, total: 5 }, app.clock.now());
    await chat.sayAll("menu", "lessons", "privacy on your phone");
    expect(await chat.say("certificate")).toContain("Use “Mariam Ahmadi”");
    expect(await chat.say("ok")).toContain("The certificate will say: Mariam Ahmadi");
  });
});
