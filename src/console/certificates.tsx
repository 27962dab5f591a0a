/**
 * Certificates in the staff console (`/staff/certificates`, role staff): the newest certificates, a
 * search by name, course or number, and a certificate's page with its public check page and a form
 * to withdraw it (a reason and a tick are needed). The action is src/certificates/revoke.ts, shared
 * with the API.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import type { App } from "../app.ts";
import { certificateUrls } from "../certificates/issue.ts";
import { certificateById, certificateLimits, type StoredCertificate } from "../certificates/repository.ts";
import { type RevokeError, revokeAsStaff } from "../certificates/revoke.ts";
import { searchCertificates } from "../certificates/search.ts";
import type { ConsoleEnv, ConsoleLanguage } from "./context.ts";
import { one } from "./form-body.ts";
import { requireRole } from "./guard.ts";
import { Csrf, Page } from "./layout.tsx";
import { languageName } from "./meetings-form.tsx";
import { ct } from "./text.ts";

type Ctx = Context<ConsoleEnv>;

function day(iso: string, lang: ConsoleLanguage, timeZone: string): string {
  return new Date(iso).toLocaleDateString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "long", timeZone });
}

function courseTitle(app: App, c: StoredCertificate, lang: ConsoleLanguage): string {
  const course = app.content.course(c.courseId);
  return course ? (course.title[lang] ?? course.title.en ?? c.courseId) : c.courseId;
}

function Status(props: { c: StoredCertificate; lang: ConsoleLanguage; zone: string }) {
  const { c, lang, zone } = props;
  return c.revokedAt ? (
    <strong>{ct(lang, "certificates.revokedOn", { date: day(c.revokedAt, lang, zone) })}</strong>
  ) : (
    <span>{ct(lang, "certificates.valid")}</span>
  );
}

/**
 * The certificate pages.
 *
 * @example
 * staff.route("/certificates", certificatePages(app));
 */
export function certificatePages(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  pages.use("*", requireRole("staff"));
  const zone = app.defaultTimeZone;

  pages.get("/", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const search = (c.req.query("q") ?? "").slice(0, 100);
    const found = await searchCertificates(app.store, app.content, search);
    return c.html(
      <Page title={ct(lang, "certificates.title")} staff={staff} path="/staff/certificates">
        <p>{ct(lang, "certificates.intro")}</p>
        <form method="get" action="/staff/certificates">
          <label for="q">{ct(lang, "certificates.search")}</label>
          <input id="q" name="q" type="search" value={search} maxlength={100} />
          <button type="submit">{ct(lang, "certificates.searchButton")}</button>
        </form>
        {found.length === 0 ? (
          <p>{ct(lang, search ? "certificates.noneFound" : "certificates.none")}</p>
        ) : (
          <ul>
            {found.map((cert) => (
              <li>
                <a href={`/staff/certificates/${cert.id}`}>
                  <bdi>{cert.name}</bdi>
                </a>
                {" · "}
                {courseTitle(app, cert, lang)}
                {" · "}
                <bdi>{languageName(app.translator, cert.language, lang)}</bdi>
                {" · "}
                {day(cert.issuedAt, lang, zone)}
                {" · "}
                <Status c={cert} lang={lang} zone={zone} />
              </li>
            ))}
          </ul>
        )}
      </Page>,
    );
  });

  const detail = async (c: Ctx, cert: StoredCertificate, error?: RevokeError, reason = "", allowNew = true) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const urls = certificateUrls(app.publicUrl, cert.id);
    const done = c.req.query("done");
    return c.html(
      <Page
        title={ct(lang, "certificates.one")}
        staff={staff}
        path="/staff/certificates"
        flash={
          done === "revoked" || done === "revokedFinal"
            ? {
                kind: "notice",
                text: ct(lang, done === "revoked" ? "certificates.revoke.done" : "certificates.revoke.doneFinal"),
              }
            : undefined
        }
      >
        {error ? (
          <div class="error" role="alert" id="error-summary">
            <p>{ct(lang, error.key, error.params)}</p>
          </div>
        ) : null}
        <dl class="facts">
          <dt>{ct(lang, "certificates.name")}</dt>
          <dd>
            <bdi>{cert.name}</bdi>
          </dd>
          <dt>{ct(lang, "certificates.course")}</dt>
          <dd>{courseTitle(app, cert, lang)}</dd>
          <dt>{ct(lang, "certificates.language")}</dt>
          <dd>
            <bdi>{languageName(app.translator, cert.language, lang)}</bdi>
          </dd>
          <dt>{ct(lang, "certificates.issued")}</dt>
          <dd>{day(cert.issuedAt, lang, zone)}</dd>
          <dt>{ct(lang, "certificates.status")}</dt>
          <dd>
            <Status c={cert} lang={lang} zone={zone} />
            {cert.revokeReason ? ` – ${cert.revokeReason}` : ""}
            {cert.revokedAt
              ? ` (${ct(lang, cert.newAllowed ? "certificates.newAllowed" : "certificates.newNotAllowed")})`
              : ""}
          </dd>
          <dt>{ct(lang, "certificates.checkPage")}</dt>
          <dd>
            <a href={urls.page}>{urls.page}</a>
          </dd>
        </dl>
        {cert.revokedAt ? null : (
          <form method="post" action={`/staff/certificates/${cert.id}/revoke`} class="stack">
            <Csrf staff={staff} />
            <h2>{ct(lang, "certificates.revoke.title")}</h2>
            <p>{ct(lang, "certificates.revoke.explain")}</p>
            <label for="reason">{ct(lang, "certificates.revoke.reason")}</label>
            <textarea
              id="reason"
              name="reason"
              maxlength={certificateLimits.revokeReason}
              required
              aria-invalid={error?.field === "reason" ? "true" : undefined}
            >
              {reason}
            </textarea>
            <label for="allow-new" style="font-weight:400">
              <input id="allow-new" name="allowNew" type="checkbox" value="1" checked={allowNew} />{" "}
              {ct(lang, "certificates.revoke.allowNew")}
            </label>
            <label for="confirm" style="font-weight:400">
              <input id="confirm" name="confirm" type="checkbox" value="1" />{" "}
              <strong>{ct(lang, "certificates.revoke.confirm")}</strong>
            </label>
            <button type="submit">{ct(lang, "certificates.revoke.button")}</button>
          </form>
        )}
        <p>
          <a href="/staff/certificates">{ct(lang, "certificates.back")}</a>
        </p>
      </Page>,
    );
  };

  const missing = (c: Ctx) => {
    const lang = c.get("staff").language;
    return c.html(
      <Page title={ct(lang, "certificates.one")} staff={c.get("staff")} path="/staff/certificates">
        <p>{ct(lang, "certificates.missing")}</p>
        <p>
          <a href="/staff/certificates">{ct(lang, "certificates.back")}</a>
        </p>
      </Page>,
      404,
    );
  };

  pages.get("/:id", async (c) => {
    const cert = await certificateById(app.store.db, c.req.param("id"));
    return cert ? detail(c, cert) : missing(c);
  });

  pages.post("/:id/revoke", async (c) => {
    const cert = await certificateById(app.store.db, c.req.param("id"));
    if (!cert) return missing(c);
    const body = await c.req.parseBody();
    const reason = one(body, "reason");
    const allowNew = one(body, "allowNew") === "1";
    if (one(body, "confirm") !== "1") {
      const error = { field: "reason" as const, key: "certificates.revoke.confirmNeeded", params: {} };
      return detail(c, cert, error, reason, allowNew);
    }
    const result = await revokeAsStaff(app, c.get("staff"), cert.id, reason, { newAllowed: allowNew });
    if (!result.ok) return detail(c, cert, result.error, reason, allowNew);
    return c.redirect(`/staff/certificates/${cert.id}?done=${allowNew ? "revoked" : "revokedFinal"}`, 303);
  });

  return pages;
}
