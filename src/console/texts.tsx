/**
 * Review of texts (translators; admins too): how far each language's translations are, one
 * language's texts with the English beside them, its glossary, and the not-yet-reviewed texts as a
 * PO or JSON file, the same file `npm run i18n -- export --unreviewed` writes. A reviewed file comes
 * back through an admin, who imports it into the code repository (the texts are program files), so
 * there is no upload here; the page says so in plain words.
 */
import { join } from "node:path";
import { Hono } from "hono";
import { type App, projectRoot } from "../app.ts";
import { languageByCode } from "../domain/languages.ts";
import { isRightToLeft } from "../i18n/direction.ts";
import { selectUnits, type WorkFileFormat, workFile, workFileFormats } from "../i18n/export.ts";
import { type Glossary, readGlossary } from "../i18n/glossary.ts";
import { isStatusFilter, type LanguageSummary, reviewLanguages, reviewPage, statusFilters } from "../i18n/review.ts";
import { reviewCacheFor } from "../i18n/review-cache.ts";
import type { UnitWithStatus } from "../i18n/status.ts";
import { audit } from "./audit.ts";
import type { ConsoleEnv, ConsoleLanguage, StaffSession } from "./context.ts";
import { requireRole } from "./guard.ts";
import { Page } from "./layout.tsx";
import { ct } from "./text.ts";
import { GlossaryDetails, ReturnSteps } from "./texts-help.tsx";

const counted = ["missing", "machine", "reviewed", "outdated"] as const;

/**
 * A language's name for staff in the console's language, then in its own script and direction.
 *
 * @example
 * <LanguageName lang="en" code="fa" /> // Farsi (Persian) <span lang="fa" dir="rtl">فارسی</span>
 */
export function LanguageName(props: { lang: ConsoleLanguage; code: string }) {
  const language = languageByCode(props.code);
  return (
    <>
      {ct(props.lang, `texts.languageName.${props.code}`)}{" "}
      <span lang={props.code} dir={isRightToLeft(props.code) ? "rtl" : undefined}>
        {language?.nativeName ?? props.code}
      </span>
    </>
  );
}

function CountCells(props: { counts: LanguageSummary["ui"] }) {
  return (
    <>
      <td class="num">{props.counts.total}</td>
      {counted.map((status) => (
        <td class="num">{props.counts[status]}</td>
      ))}
    </>
  );
}

function StatusTable(props: { lang: ConsoleLanguage; summaries: LanguageSummary[] }) {
  const { lang } = props;
  return (
    <div class="scroll">
      <table>
        <caption class="muted" style="text-align:start">
          {ct(lang, "texts.table.caption")}
        </caption>
        <thead>
          <tr>
            <th scope="col">{ct(lang, "texts.table.language")}</th>
            <th scope="col">{ct(lang, "texts.table.kind")}</th>
            <th scope="col">{ct(lang, "texts.table.total")}</th>
            {counted.map((status) => (
              <th scope="col">{ct(lang, `texts.status.${status}`)}</th>
            ))}
          </tr>
        </thead>
        {props.summaries.map(({ language, ui, content }) => (
          <tbody>
            <tr>
              <th scope="rowgroup" rowspan={2}>
                <a href={`/staff/texts/${language.code}`}>
                  <LanguageName lang={lang} code={language.code} />
                </a>
              </th>
              <td>{ct(lang, "texts.kind.ui")}</td>
              <CountCells counts={ui} />
            </tr>
            <tr>
              <td>{ct(lang, "texts.kind.content")}</td>
              {content ? (
                <CountCells counts={content} />
              ) : (
                <td colspan={5} class="muted">
                  {ct(lang, "texts.noContent")}
                </td>
              )}
            </tr>
          </tbody>
        ))}
      </table>
    </div>
  );
}

function Legend(props: { lang: ConsoleLanguage }) {
  return (
    <details>
      <summary>{ct(props.lang, "texts.legend")}</summary>
      <dl>
        {counted.map((status) => (
          <>
            <dt>{ct(props.lang, `texts.status.${status}`)}</dt>
            <dd>{ct(props.lang, `texts.statusHint.${status}`)}</dd>
          </>
        ))}
      </dl>
    </details>
  );
}

/**
 * A text or word list as a reader sees it, lines kept, a word list one entry per line; the cell
 * around it carries the language and direction. "None yet" is in the console's language.
 */
function Text(props: { value: string | string[] | undefined; lang: ConsoleLanguage }) {
  const { value } = props;
  if (value === undefined || (Array.isArray(value) ? value.length === 0 : value.trim() === ""))
    return (
      <span class="muted" lang={props.lang} dir="ltr">
        {ct(props.lang, "texts.list.empty")}
      </span>
    );
  return <span style="white-space:pre-line">{Array.isArray(value) ? value.join("\n") : value}</span>;
}

function UnitRows(props: { lang: ConsoleLanguage; code: string; rows: UnitWithStatus[] }) {
  const { lang, code } = props;
  const rtl = isRightToLeft(code);
  return (
    <tbody>
      {props.rows.map(({ unit, status }) => (
        <tr>
          <td>
            <code style="overflow-wrap:anywhere">{unit.key}</code>
            {unit.context ? <div class="hint">{unit.context}</div> : null}
            {unit.maxLength ? (
              <div class="hint">{ct(lang, "texts.list.maxLength", { max: unit.maxLength })}</div>
            ) : null}
            {Array.isArray(unit.source) ? <div class="hint">{ct(lang, "texts.list.wordList")}</div> : null}
          </td>
          <td lang="en">
            <Text value={unit.source} lang={lang} />
          </td>
          <td lang={code} dir={rtl ? "rtl" : undefined}>
            <Text value={unit.translation} lang={lang} />
          </td>
          <td>{ct(lang, `texts.status.${status}`)}</td>
        </tr>
      ))}
    </tbody>
  );
}

interface ListQuery {
  status: string;
  page: number;
}

function ReviewList(props: { lang: ConsoleLanguage; code: string; units: UnitWithStatus[]; query: ListQuery }) {
  const { lang, code, query } = props;
  const filter = isStatusFilter(query.status) ? query.status : "all";
  const shown = reviewPage(props.units, filter, query.page);
  const link = (page: number) => `/staff/texts/${code}?status=${filter}&page=${page}`;
  return (
    <section aria-labelledby="list-title">
      <h2 id="list-title">{ct(lang, "texts.list.title")}</h2>
      <form method="get" action={`/staff/texts/${code}`} class="row noprint" style="align-items:end;max-width:640px">
        <div>
          <label for="status">{ct(lang, "texts.list.filter")}</label>
          <select id="status" name="status">
            {statusFilters.map((s) => (
              <option value={s} selected={s === filter}>
                {`${ct(lang, `texts.status.${s}`)} (${shown.counts[s]})`}
              </option>
            ))}
          </select>
        </div>
        <div style="flex:0 0 auto">
          <button type="submit">{ct(lang, "texts.list.apply")}</button>
        </div>
      </form>
      <p role="status">
        {ct(lang, "texts.list.position", { total: shown.total, page: shown.page, pages: shown.pages })}
      </p>
      {shown.rows.length === 0 ? (
        <p>{ct(lang, "texts.list.none")}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{ct(lang, "texts.list.key")}</th>
                <th scope="col">{ct(lang, "texts.list.english")}</th>
                <th scope="col">{ct(lang, "texts.list.translation")}</th>
                <th scope="col">{ct(lang, "texts.list.status")}</th>
              </tr>
            </thead>
            <UnitRows lang={lang} code={code} rows={shown.rows} />
          </table>
        </div>
      )}
      {shown.pages > 1 ? (
        <nav aria-label={ct(lang, "texts.list.pages")} class="row noprint" style="margin-top:12px">
          {shown.page > 1 ? <a href={link(shown.page - 1)}>{ct(lang, "texts.list.previous")}</a> : <span />}
          {shown.page < shown.pages ? <a href={link(shown.page + 1)}>{ct(lang, "texts.list.next")}</a> : <span />}
        </nav>
      ) : null}
    </section>
  );
}

/**
 * The review pages at `/staff/texts` (translators and admins).
 *
 * @example
 * staff.route("/texts", textPages(app));
 */
export function textPages(app: App): Hono<ConsoleEnv> {
  const texts = reviewCacheFor({
    localesRoot: join(projectRoot, "locales"),
    contentRoot: join(projectRoot, "content"),
  });
  const pages = new Hono<ConsoleEnv>();
  pages.use("*", requireRole("translator"));

  pages.get("/", (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    return c.html(
      <Page title={ct(lang, "texts.title")} staff={staff} path="/staff/texts">
        <p>{ct(lang, "texts.intro")}</p>
        <Legend lang={lang} />
        <StatusTable lang={lang} summaries={texts.summaries()} />
      </Page>,
    );
  });

  const glossaryOf = (code: string): Glossary | undefined | "unreadable" => {
    try {
      return readGlossary(texts.roots.localesRoot, code);
    } catch (error) {
      app.logger.warn("texts.glossary_unreadable", { language: code, error });
      return "unreadable";
    }
  };

  const unknownLanguage = (staff: StaffSession, code: string) => {
    const lang = staff.language;
    const known = reviewLanguages()
      .map((l) => l.code)
      .join(", ");
    return (
      <Page
        title={ct(lang, "texts.title")}
        staff={staff}
        path="/staff/texts"
        flash={{ kind: "error", text: ct(lang, "texts.errors.language", { code, known }) }}
      >
        <p>
          <a href="/staff/texts">{ct(lang, "texts.back")}</a>
        </p>
      </Page>
    );
  };

  pages.get("/:lang", (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const code = c.req.param("lang");
    if (!reviewLanguages().some((l) => l.code === code)) return c.html(unknownLanguage(staff, code), 404);
    const status = c.req.query("status") ?? "all";
    const pageText = c.req.query("page") ?? "1";
    const page = /^[1-9][0-9]{0,5}$/.test(pageText) ? Number(pageText) : undefined;
    const error = !isStatusFilter(status)
      ? ct(lang, "texts.errors.status", { allowed: statusFilters.join(", ") })
      : page === undefined
        ? ct(lang, "texts.errors.page")
        : undefined;
    const units = texts.units(code);
    const counts = reviewPage(units, "all", 1).counts;
    const name = ct(lang, `texts.languageName.${code}`);
    const unreviewed = counts.all - counts.reviewed;
    return c.html(
      <Page
        title={ct(lang, "texts.languageTitle", { name })}
        staff={staff}
        path={`/staff/texts/${code}`}
        flash={error ? { kind: "error", text: error } : undefined}
      >
        <p>
          <a href="/staff/texts">{ct(lang, "texts.back")}</a>
        </p>
        <p>
          {ct(lang, "texts.summary", {
            total: counts.all,
            missing: counts.missing,
            machine: counts.machine,
            reviewed: counts.reviewed,
            outdated: counts.outdated,
          })}
        </p>
        <GlossaryDetails lang={lang} code={code} name={name} glossary={glossaryOf(code)} />
        <ReturnSteps lang={lang} code={code} name={name} unreviewed={unreviewed} />
        <ReviewList lang={lang} code={code} units={units} query={{ status, page: page ?? 1 }} />
      </Page>,
      error ? 400 : 200,
    );
  });

  pages.get("/:lang/download/:format", async (c) => {
    const staff = c.get("staff");
    const code = c.req.param("lang");
    if (!reviewLanguages().some((l) => l.code === code)) return c.html(unknownLanguage(staff, code), 404);
    const format = workFileFormats.find((f): f is WorkFileFormat => f === c.req.param("format"));
    if (!format) return c.text(ct(staff.language, "texts.errors.format"), 400);
    const units = selectUnits(texts.units(code), code, { unreviewed: true }, texts.roots.localesRoot);
    const body = workFile(units, code, format);
    await audit(app.store.db, staff, "texts.export", { language: code, format, items: units.length }, app.clock.now());
    return c.body(body, 200, {
      "content-type": format === "po" ? "text/x-gettext-translation; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="lotse-${code}-unreviewed.${format}"`,
    });
  });

  return pages;
}
