/**
 * The public side of certificates, for anyone a person shows one to (an employer, a school):
 * `GET /verify/<id>` a page that says whether it is valid, withdrawn or unknown; `.../credential.json`
 * the signed Open Badges 3.0 credential; `.../certificate.pdf` the printable certificate. The id is
 * random and unguessable; the page shows only what the certificate itself shows.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { App } from "../app.ts";
import { isRightToLeft } from "../i18n/direction.ts";
import { verifyCredentialJson } from "./credential.ts";
import { issuerKey } from "./issue.ts";
import { certificatePdfFor } from "./pdf-texts.ts";
import { certificateById, type StoredCertificate } from "./repository.ts";

/** What the page found: the stored certificate, whether its signature is ours and intact. */
interface Finding {
  certificate: StoredCertificate | undefined;
  signatureValid: boolean;
}

async function find(app: App, id: string): Promise<Finding> {
  // Ids are base64url; anything else is not looked up (and never reaches SQL as a pattern).
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(id)) return { certificate: undefined, signatureValid: false };
  const certificate = await certificateById(app.store.db, id);
  if (!certificate) return { certificate: undefined, signatureValid: false };
  const check = await verifyCredentialJson(certificate.credential, app.clock.now());
  // Anyone can sign with a key of their own; only our organisation's key makes it ours.
  const ours = check.verified && check.issuer === (await issuerKey(app.store.db)).did;
  return { certificate, signatureValid: ours };
}

function page(app: App, language: string, finding: Finding, id: string) {
  const t = (key: string, params?: Record<string, unknown>) => app.translator.t(language, key, params);
  const c = finding.certificate;
  const dir = isRightToLeft(language) ? "rtl" : "ltr";
  const course = c ? app.content.course(c.courseId) : undefined;
  const courseTitle = course ? (course.title[c?.language ?? "en"] ?? course.title.en) : c?.courseId;
  const status = !c
    ? html`<p class="bad">${t("certificates.page.unknown")}</p>`
    : c.revokedAt
      ? html`<p class="bad">${t("certificates.page.revoked", { date: c.revokedAt.slice(0, 10) })}</p>`
      : finding.signatureValid
        ? html`<p class="good">${t("certificates.page.valid")}</p>`
        : html`<p class="bad">${t("certificates.page.unknown")}</p>`;
  const competences = c ? competencesOf(c) : [];
  return html`<!doctype html>
<html lang="${language}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t("certificates.page.title")}</title>
<style>
body{font-family:system-ui,"Noto Sans","Noto Naskh Arabic","Noto Sans Ethiopic",sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
.good{background:#e6f4ea;border:2px solid #1e7b34;padding:.75rem;font-weight:600}
.bad{background:#fdecea;border:2px solid #a4262c;padding:.75rem;font-weight:600}
dt{font-weight:600;margin-top:.5rem}dd{margin:0}
a{color:#0b57d0}
</style></head>
<body>
<h1>${t("certificates.page.title")}</h1>
${status}
${
  c && !(!finding.signatureValid && !c.revokedAt)
    ? html`<dl>
<dt>${t("certificates.page.holder")}</dt><dd><bdi>${c.name}</bdi></dd>
<dt>${t("certificates.page.course")}</dt><dd><bdi>${courseTitle}</bdi></dd>
<dt>${t("certificates.page.issued")}</dt><dd>${c.issuedAt.slice(0, 10)}</dd>
<dt>${t("certificates.page.issuer")}</dt><dd><bdi>${app.orgName}</bdi></dd>
${competences.length > 0 ? html`<dt>${t("certificates.page.competences")}</dt><dd><ul>${competences.map((line) => html`<li>${line}</li>`)}</ul></dd>` : ""}
</dl>
<p><a href="/verify/${id}/certificate.pdf">${t("certificates.page.pdf")}</a> · <a href="/verify/${id}/credential.json">${t("certificates.page.credential")}</a></p>`
    : ""
}
</body></html>`;
}

/** The competences as the credential names them ("2.3 … · Proficiency: basic"). */
function competencesOf(c: StoredCertificate): string[] {
  try {
    const credential = JSON.parse(c.credential) as {
      credentialSubject?: {
        achievement?: { alignment?: { targetCode?: string; targetName?: string; targetDescription?: string }[] };
      };
    };
    return (credential.credentialSubject?.achievement?.alignment ?? []).map(
      (a) => `${a.targetCode ?? ""} ${a.targetName ?? ""} (${a.targetDescription ?? ""})`,
    );
  } catch {
    return [];
  }
}

/** The reader's language: `?lang=` when the bot has it, else the certificate's, else English. */
function languageFor(app: App, asked: string | undefined, certificate: StoredCertificate | undefined): string {
  if (asked && app.translator.languages.includes(asked)) return asked;
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
    const language = languageFor(app, c.req.query("lang"), finding.certificate);
    c.header("cache-control", "no-store");
    return c.html(page(app, language, finding, id), finding.certificate ? 200 : 404);
  });
  routes.get("/verify/:id/credential.json", async (c) => {
    const finding = await find(app, c.req.param("id"));
    if (!finding.certificate) return c.json({ error: "no such certificate" }, 404);
    c.header("content-type", "application/ld+json; charset=utf-8");
    c.header("cache-control", "no-store");
    return c.body(finding.certificate.credential);
  });
  routes.get("/verify/:id/certificate.pdf", async (c) => {
    const finding = await find(app, c.req.param("id"));
    if (!finding.certificate) return c.json({ error: "no such certificate" }, 404);
    const pdf = await certificatePdfFor(app, finding.certificate);
    c.header("content-type", "application/pdf");
    c.header("content-disposition", `inline; filename="certificate-${finding.certificate.courseId}.pdf"`);
    c.header("cache-control", "no-store");
    return c.body(new Uint8Array(pdf));
  });
  return routes;
}
