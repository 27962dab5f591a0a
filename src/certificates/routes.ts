/**
 * The public side of certificates, for anyone a person shows one to (an employer, a school):
 * `GET /verify/<id>` a page that says whether it is valid, withdrawn or unknown; `.../credential.json`
 * the signed Open Badges 3.0 credential; `.../certificate.pdf` the printable certificate. The id is
 * random and unguessable; the page shows only what the certificate itself shows.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { App } from "../app.ts";
import { languageByCode } from "../domain/languages.ts";
import { isRightToLeft } from "../i18n/direction.ts";
import { languageFromTag } from "../i18n/guess-language.ts";
import { issuerDid } from "./issue.ts";
import { credentialLibrary } from "./libraries.ts";
import { certificatePdfFor } from "./pdf-texts.ts";
import { certificateById, type StoredCertificate } from "./repository.ts";
import { type SignedFacts, signedFacts } from "./signed-facts.ts";

/** What the page found: the stored certificate, whether its signature is ours and intact. */
interface Finding {
  certificate: StoredCertificate | undefined;
  signatureValid: boolean;
  /** What the signed credential says: the only facts the page shows. */
  facts: SignedFacts | undefined;
}

async function find(app: App, id: string): Promise<Finding> {
  // Ids are base64url; anything else is not looked up (and never reaches SQL as a pattern).
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(id)) return { certificate: undefined, signatureValid: false, facts: undefined };
  const certificate = await certificateById(app.store.db, id);
  if (!certificate) return { certificate: undefined, signatureValid: false, facts: undefined };
  const { verifyCredentialJson } = await credentialLibrary();
  const check = await verifyCredentialJson(certificate.credential, app.clock.now());
  // Anyone can sign with a key of their own; only our organisation's key makes it ours.
  const ours = check.verified && check.issuer === (await issuerDid(app.store.db));
  return { certificate, signatureValid: ours, facts: signedFacts(certificate.credential) };
}

/** A day as people read it in `language` (Gregorian, so an employer and the holder read the same date). */
function dayIn(iso: string, language: string): string {
  try {
    return new Date(iso).toLocaleDateString(language, { dateStyle: "long", timeZone: "UTC", calendar: "gregory" });
  } catch {
    return iso.slice(0, 10);
  }
}

function page(app: App, language: string, finding: Finding, id: string) {
  const t = (key: string, params?: Record<string, unknown>) => app.translator.t(language, key, params);
  const c = finding.certificate;
  const dir = isRightToLeft(language) ? "rtl" : "ltr";
  const facts = finding.facts;
  // The signed title, and the course's title in the reader's language beside it when that differs.
  const translated = c ? app.content.course(c.courseId)?.title[language] : undefined;
  // Each title isolated on its own, so an Arabic title and its Turkish translation keep their order.
  const courseTitle =
    facts && translated && translated !== facts.courseTitle
      ? html`<bdi>${facts.courseTitle}</bdi> (<bdi>${translated}</bdi>)`
      : html`<bdi>${facts?.courseTitle ?? ""}</bdi>`;
  const status = !c
    ? html`<p class="bad">${t("certificates.page.unknown")}</p>`
    : c.revokedAt
      ? html`<p class="bad">${t("certificates.page.revoked", { date: dayIn(c.revokedAt, language) })}</p>`
      : finding.signatureValid
        ? html`<p class="good">${t("certificates.page.valid")}</p>`
        : html`<p class="bad">${t("certificates.page.unknown")}</p>`;
  const competences = facts ? facts.competences.map((a) => competenceLine(app, language, a)) : [];
  const shown = c && facts && (finding.signatureValid || c.revokedAt);
  const languages = app.translator.languages
    .map((code) => languageByCode(code))
    .filter((l): l is NonNullable<typeof l> => l !== undefined);
  return html`<!doctype html>
<html lang="${language}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t("certificates.page.title")}</title>
<style>
body{font-family:system-ui,"Noto Sans","Noto Naskh Arabic","Noto Sans Ethiopic","Noto Sans Bengali",sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b;overflow-wrap:anywhere}
.good{background:#e6f4ea;border:2px solid #1e7b34;padding:.75rem;font-weight:600}
.bad{background:#fdecea;border:2px solid #a4262c;padding:.75rem;font-weight:600}
dt{font-weight:600;margin-top:.5rem}dd{margin:0}
a{color:#0b57d0}
form{margin-top:1.5rem}
</style></head>
<body>
<h1>${t("certificates.page.title")}</h1>
${status}
${
  shown
    ? html`<dl>
<dt>${t("certificates.page.holder")}</dt><dd><bdi>${facts.name}</bdi></dd>
<dt>${t("certificates.page.course")}</dt><dd>${courseTitle}</dd>
<dt>${t("certificates.page.issued")}</dt><dd>${dayIn(facts.issuedAt, language)}</dd>
<dt>${t("certificates.page.issuer")}</dt><dd><bdi>${facts.issuer}</bdi></dd>
${competences.length > 0 ? html`<dt>${t("certificates.page.competences")}</dt><dd><ul>${competences.map((line) => html`<li><bdi>${line}</bdi></li>`)}</ul></dd>` : ""}
</dl>
${c.revokedAt ? "" : html`<p><a href="/verify/${id}/certificate.pdf">${t("certificates.page.pdf")}</a> · <a href="/verify/${id}/credential.json">${t("certificates.page.credential")}</a></p>`}`
    : ""
}
<form method="get" action="/verify/${id}">
<label for="lang">${t("certificates.page.language")}</label>
<select id="lang" name="lang">${languages.map((l) => html`<option value="${l.code}"${l.code === language ? " selected" : ""}>${l.nativeName}</option>`)}</select>
<button type="submit">OK</button>
</form>
</body></html>`;
}

/** "2.3 Engaging in citizenship …: basic" in `language`. */
function competenceLine(app: App, language: string, a: { code: string; level: string }): string {
  return `${a.code} ${app.translator.t(language, `digcomp.${a.code}`)}: ${app.translator.t(language, `certificates.pdf.level.${a.level}`)}`;
}

/**
 * The reader's language: `?lang=` when the bot has it, else the first the browser asks for that the bot
 * has (an employer in Mainz reads German), else the certificate's, else English.
 */
function languageFor(
  app: App,
  asked: string | undefined,
  acceptLanguage: string | undefined,
  certificate: StoredCertificate | undefined,
): string {
  const known = new Set(app.translator.languages);
  if (asked && known.has(asked)) return asked;
  // Each tag as a platform's language setting is read (fa-AF is Dari, no is Bokmål).
  for (const part of (acceptLanguage ?? "").split(",")) {
    const code = languageFromTag(part.split(";")[0]?.trim());
    if (code && known.has(code)) return code;
  }
  return certificate?.language ?? "en";
}

/**
 * The verification routes.
 *
 * @example
 * http.route("/", certificateRoutes(app));
 */
export function certificateRoutes(app: App): Hono {
  const routes = new Hono();
  routes.get("/verify/:id", async (c) => {
    const id = c.req.param("id");
    const finding = await find(app, id);
    const language = languageFor(app, c.req.query("lang"), c.req.header("accept-language"), finding.certificate);
    c.header("cache-control", "no-store");
    return c.html(page(app, language, finding, id), finding.certificate ? 200 : 404);
  });
  routes.get("/verify/:id/credential.json", async (c) => {
    const finding = await find(app, c.req.param("id"));
    if (!finding.certificate) return c.json({ error: "no such certificate" }, 404);
    // A withdrawn certificate is not handed out again; its page says it was withdrawn.
    if (finding.certificate.revokedAt) return c.json({ error: "this certificate was withdrawn" }, 410);
    c.header("content-type", "application/ld+json; charset=utf-8");
    c.header("cache-control", "no-store");
    return c.body(finding.certificate.credential);
  });
  routes.get("/verify/:id/certificate.pdf", async (c) => {
    const finding = await find(app, c.req.param("id"));
    if (!finding.certificate) return c.json({ error: "no such certificate" }, 404);
    // A withdrawn certificate's PDF link (still in the chat) opens its check page, which says so.
    if (finding.certificate.revokedAt) return c.redirect(`/verify/${finding.certificate.id}`, 303);
    const pdf = finding.signatureValid ? await certificatePdfFor(app, finding.certificate) : undefined;
    if (!pdf) return c.json({ error: "no such certificate" }, 404);
    c.header("content-type", "application/pdf");
    c.header("content-disposition", `inline; filename="certificate-${finding.certificate.courseId}.pdf"`);
    c.header("cache-control", "no-store");
    return c.body(new Uint8Array(pdf));
  });
  // The achievement a credential names (`/courses/<id>`): what the course is and teaches, for whoever
  // follows the link from a credential.
  routes.get("/courses/:id", (c) => {
    const course = app.content.course(c.req.param("id"));
    if (!course) return c.json({ error: "no such course" }, 404);
    const language = languageFor(app, c.req.query("lang"), c.req.header("accept-language"), undefined);
    const text = (value: Readonly<Record<string, string>>) => value[language] ?? value.en ?? "";
    const lessons = app.content.lessonsOf(course.id);
    const codes = [...new Set(lessons.flatMap((l) => l.competences))].sort((a, b) =>
      a.localeCompare(b, "en", { numeric: true }),
    );
    const dir = isRightToLeft(language) ? "rtl" : "ltr";
    return c.html(html`<!doctype html>
<html lang="${language}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(course.title)}</title>
<style>body{font-family:system-ui,"Noto Sans","Noto Naskh Arabic",sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5}</style>
</head><body>
<h1>${text(course.title)}</h1>
<p>${text(course.summary)}</p>
<p>${app.orgName} · ${app.translator.t(language, "certificates.criteria", { lessons: lessons.length, course: text(course.title) })}</p>
<ol>${lessons.map((l) => html`<li><bdi>${text(l.title)}</bdi></li>`)}</ol>
<h2>${app.translator.t(language, "certificates.page.competences")}</h2>
<ul>${codes.map((code) => html`<li>${code} ${app.translator.t(language, `digcomp.${code}`)}</li>`)}</ul>
</body></html>`);
  });
  return routes;
}
