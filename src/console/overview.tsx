/**
 * The overview at `/staff` (role staff): people, activity, the way to the first finished lesson,
 * lessons, quizzes, meetings and the quiz questions to check, each as a table with its CSV download,
 * most with an inline SVG chart of the same numbers. Totals only, never an address. Also the
 * research export at `/staff/research` (research-page.tsx).
 *
 * The router is mounted at `/staff` itself, so it checks the role on each of its routes rather than
 * with `use("*")`, which would reach every other area under `/staff` (a counsellor's referrals).
 */

import { type Context, Hono } from "hono";
import type { App } from "../app.ts";
import { spreadsheetStyle } from "../stats/csv.ts";
import { overviewStats } from "../stats/overview.ts";
import { BarChart, type ChartRow } from "./bar-chart.tsx";
import { ClassTotals, classTotals } from "./classes-totals.tsx";
import type { ConsoleEnv, ConsoleLanguage, StaffSession } from "./context.ts";
import { requireRole } from "./guard.ts";
import { Page } from "./layout.tsx";
import {
  type CellKind,
  formatCell,
  localized,
  overviewTables,
  type StatTable,
  type TableId,
  tableCsv,
  tableIds,
} from "./overview-tables.ts";
import { researchRoutes } from "./research-page.tsx";
import { ct } from "./text.ts";

/** A chart drawn from a table: which columns hold the values (the row header labels the bars). */
interface ChartSpec {
  values: number[];
  /** Rows to draw (all by default). */
  rows?: (row: StatTable["rows"][number]) => boolean;
}

const charts: Partial<Record<TableId, ChartSpec>> = {
  cities: { values: [2] },
  languages: { values: [2] },
  channels: { values: [2] },
  activity: { values: [1, 2] },
  funnel: { values: [1] },
  // 32 lessons, most untouched at first: the chart shows those with learners, the table all.
  lessons: { values: [2, 3], rows: (row) => Number(row[2]) > 0 },
};

function Table(props: { table: StatTable; lang: ConsoleLanguage; min: number; rows?: StatTable["rows"] }) {
  const { table, lang } = props;
  const rows = props.rows ?? table.rows;
  const withheld = ct(lang, "overview.withheld", { min: props.min });
  const cell = (value: StatTable["rows"][number][number], kind: CellKind) => {
    const text = formatCell(value, kind, lang);
    return kind !== "text" && (value === null || value === undefined) ? <abbr title={withheld}>{text}</abbr> : text;
  };
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th scope="col" class={c.kind === "text" ? undefined : "num"}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colspan={table.columns.length} class="muted">
                {ct(lang, "overview.noData")}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr>
                {table.columns.map((c, i) =>
                  i === table.rowHeader ? (
                    <th scope="row">{cell(row[i], c.kind)}</th>
                  ) : (
                    <td class={c.kind === "text" ? undefined : "num"}>{cell(row[i], c.kind)}</td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function Section(props: { table: StatTable; lang: ConsoleLanguage; min: number; hint?: string }) {
  const { table, lang } = props;
  const spec = charts[table.id];
  const chartRows: ChartRow[] = spec
    ? table.rows
        .filter((row) => (spec.rows ? spec.rows(row) : true))
        .map((row) => ({
          label: String(row[table.rowHeader] ?? ""),
          values: spec.values.map((v) => Number(row[v] ?? 0)),
        }))
    : [];
  return (
    <section aria-labelledby={`${table.id}-heading`}>
      <h2 id={`${table.id}-heading`}>{table.title}</h2>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      {spec && chartRows.length > 0 ? (
        <figure style="margin:0 0 8px">
          <BarChart
            id={`${table.id}-chart`}
            title={table.title}
            description={ct(lang, "overview.chartDescription")}
            series={spec.values.map((v) => ({ label: table.columns[v]?.label ?? "" }))}
            rows={chartRows}
            format={(v) => formatCell(v, "count", lang)}
          />
        </figure>
      ) : null}
      <Table table={table} lang={lang} min={props.min} />
      <p>
        <a href={`/staff/overview.csv?table=${table.id}`} download={`lotse-${table.id}.csv`}>
          {ct(lang, "overview.csvOf", { title: table.title })}
        </a>
      </p>
    </section>
  );
}

function Items(props: { table: StatTable; lang: ConsoleLanguage; min: number; app: App }) {
  const { table, lang } = props;
  const lessons = [...new Set(table.rows.map((r) => String(r[0])))];
  const checkColumn = table.columns.findIndex((c) => c.key === "check");
  return (
    <section aria-labelledby="items-heading">
      <h2 id="items-heading">{table.title}</h2>
      <p class="hint">{ct(lang, "overview.itemsHint", { min: props.min })}</p>
      {lessons.length === 0 ? <p class="muted">{ct(lang, "overview.noData")}</p> : null}
      {lessons.map((lesson) => {
        const rows = table.rows.filter((r) => r[0] === lesson);
        const flagged = rows.filter((r) => String(r[checkColumn] ?? "") !== "").length;
        const title = localized(props.app.content.lesson(lesson)?.title, lang) || lesson;
        return (
          <details open={flagged > 0}>
            <summary>{ct(lang, "overview.itemsSummary", { title, count: rows.length, flagged })}</summary>
            <Table table={table} lang={lang} min={props.min} rows={rows} />
          </details>
        );
      })}
      <p>
        <a href="/staff/overview.csv?table=items" download="lotse-items.csv">
          {ct(lang, "overview.csvOf", { title: table.title })}
        </a>
      </p>
    </section>
  );
}

/** The tables of the overview now, in the staff member's language. */
async function tablesFor(app: App, staff: StaffSession) {
  const overview = await overviewStats(app.store.db, app.content, app.clock.now());
  return {
    overview,
    tables: overviewTables(overview, { lang: staff.language, pack: app.content, translator: app.translator }),
  };
}

/** One table as a CSV download; an unknown table is a 400 listing the known ones. */
async function csvResponse(c: Context<ConsoleEnv>, app: App, table: string | undefined) {
  const id = tableIds.find((t) => t === table);
  if (!id) return c.text(`table: one of ${tableIds.join(", ")}`, 400);
  const { tables } = await tablesFor(app, c.get("staff"));
  return c.body(tableCsv(tables[id], spreadsheetStyle(c.get("staff").language)), 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="lotse-${id}.csv"`,
  });
}

/**
 * The overview (`/`), its CSV downloads (`/overview.csv?table=<id>`, also `/?format=csv&table=<id>`)
 * and the research export (`/research`), for the staff role. Mounted at `/staff`.
 *
 * @example
 * staff.route("/", overviewPages(app));
 */
export function overviewPages(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  const staffOnly = requireRole("staff");

  pages.get("/", staffOnly, async (c) => {
    if (c.req.query("format") === "csv") return csvResponse(c, app, c.req.query("table"));
    const staff = c.get("staff");
    const lang = staff.language;
    const { overview, tables } = await tablesFor(app, staff);
    // In the organisation's own time, as staff read clocks (DEFAULT_TIME_ZONE).
    const generated = new Date(overview.generatedAt).toLocaleString(lang === "de" ? "de-DE" : "en-GB", {
      timeZone: app.defaultTimeZone,
      dateStyle: "medium",
      timeStyle: "short",
    });
    return c.html(
      <Page title={ct(lang, "overview.title")} staff={staff} path="/staff">
        <p>
          {ct(lang, "overview.generated", { time: generated, zone: app.defaultTimeZone })}{" "}
          <a href="/staff/research">{ct(lang, "overview.researchLink")}</a>
        </p>
        <p class="hint">{ct(lang, "overview.smallGroups", { min: overview.minGroup })}</p>
        <p>
          <strong>{ct(lang, "overview.peopleTotal", { count: overview.people.total })}</strong>
        </p>
        <Section table={tables.cities} lang={lang} min={overview.minGroup} />
        <Section table={tables.languages} lang={lang} min={overview.minGroup} />
        <Section table={tables.channels} lang={lang} min={overview.minGroup} />
        <Section table={tables.activity} lang={lang} min={overview.minGroup} hint={ct(lang, "overview.activityHint")} />
        <Section table={tables.funnel} lang={lang} min={overview.minGroup} hint={ct(lang, "overview.funnelHint")} />
        <Section table={tables.lessons} lang={lang} min={overview.minGroup} />
        <Section table={tables.quizzes} lang={lang} min={overview.minGroup} />
        <Section table={tables.meetings} lang={lang} min={overview.minGroup} hint={ct(lang, "overview.meetingsHint")} />
        <ClassTotals totals={await classTotals(app)} lang={lang} min={overview.minGroup} />
        <Items table={tables.items} lang={lang} min={overview.minGroup} app={app} />
      </Page>,
    );
  });

  pages.get("/overview.csv", staffOnly, (c) => csvResponse(c, app, c.req.query("table")));
  pages.route("/research", researchRoutes(app));
  return pages;
}
