/**
 * The overview's numbers as labelled tables, in the console's language: the page shows them (and
 * draws charts from them) and the CSV downloads are the very same tables, so a chart, its table
 * and its CSV cannot disagree.
 */
import type { ContentPack } from "../content/pack.ts";
import type { LocalizedText } from "../content/schema.ts";
import { languageByCode } from "../domain/languages.ts";
import type { Translator } from "../i18n/index.ts";
import { type CsvCell, type CsvStyle, toCsv } from "../stats/csv.ts";
import type { Overview } from "../stats/overview.ts";
import type { CountRow } from "../stats/people.ts";
import type { ConsoleLanguage } from "./context.ts";
import { ct } from "./text.ts";

/** How a column's values are written. */
export type CellKind = "text" | "count" | "share" | "index";

/** A column: its CSV key, its heading and kind. */
export interface Column {
  key: string;
  label: string;
  kind: CellKind;
}

/** One table of the overview. */
export interface StatTable {
  id: TableId;
  title: string;
  columns: Column[];
  /** The column that names each row (a row header for screen readers, the bar labels of a chart). */
  rowHeader: number;
  rows: CsvCell[][];
}

/** Every table, by the id its CSV download names (`/staff/overview.csv?table=<id>`). */
export const tableIds = [
  "cities",
  "languages",
  "channels",
  "activity",
  "funnel",
  "lessons",
  "quizzes",
  "meetings",
  "items",
] as const;
export type TableId = (typeof tableIds)[number];

/** What labels are made from. */
export interface LabelSource {
  lang: ConsoleLanguage;
  pack: ContentPack;
  /** The chat's translator, for city names. */
  translator: Translator;
}

/**
 * Text in the console language, else English, else any.
 *
 * @example
 * localized({ en: "Phone help", de: "Handy-Hilfe" }, "de"); // "Handy-Hilfe"
 */
export function localized(text: LocalizedText | Record<string, string> | undefined, lang: string): string {
  if (!text) return "";
  const map = text as Record<string, string | undefined>;
  return map[lang] ?? map.en ?? Object.values(map).find((v) => v !== undefined) ?? "";
}

/**
 * Every table of the overview, labelled.
 *
 * @example
 * const tables = overviewTables(overview, { lang: "de", pack: app.content, translator: app.translator });
 */
export function overviewTables(overview: Overview, source: LabelSource): Record<TableId, StatTable> {
  const { lang, pack } = source;
  const t = (key: string, params?: Record<string, unknown>) => ct(lang, `overview.${key}`, params);
  const col = (key: string, kind: CellKind = "count"): Column => ({ key, label: t(`column.${key}`), kind });
  const notSet = t("notSet");
  const cityName = (id: string | null) =>
    id === null ? notSet : source.translator.has(lang, `cities.${id}`) ? source.translator.t(lang, `cities.${id}`) : id;
  const languageName = (code: string | null) => {
    if (code === null) return notSet;
    const native = languageByCode(code)?.nativeName ?? code;
    const here = displayName(lang, code);
    return here && here !== native ? `${here} (${native})` : native;
  };
  const lessonTitle = (id: string) => localized(pack.lesson(id)?.title, lang) || id;
  const people = (rows: CountRow[], label: (key: string | null) => string): CsvCell[][] =>
    rows.map((r) => [r.key ?? "", label(r.key), r.count]);
  const codeColumns = (what: string): Column[] => [col("code", "text"), col(what, "text"), col("people")];
  return {
    cities: {
      id: "cities",
      title: t("cities"),
      rowHeader: 1,
      columns: codeColumns("city"),
      rows: people(overview.people.byCity, cityName),
    },
    languages: {
      id: "languages",
      title: t("languages"),
      rowHeader: 1,
      columns: codeColumns("language"),
      rows: people(overview.people.byLanguage, languageName),
    },
    channels: {
      id: "channels",
      title: t("channels"),
      rowHeader: 1,
      columns: codeColumns("channel"),
      rows: people(overview.people.byChannel, (key) => t(`channel.${key}`)),
    },
    activity: {
      id: "activity",
      title: t("activity"),
      rowHeader: 0,
      columns: [col("measure", "text"), col("days7"), col("days30")],
      rows: [
        [t("learners"), overview.activity.learners7, overview.activity.learners30],
        [t("active"), overview.activity.active7, overview.activity.active30],
      ],
    },
    funnel: {
      id: "funnel",
      title: t("funnel"),
      rowHeader: 0,
      columns: [col("stage", "text"), col("people"), col("ofCreated", "share")],
      rows: overview.funnel.map((f) => {
        const created = overview.funnel[0]?.count ?? 0;
        return [t(`stage.${f.stage}`), f.count, created > 0 ? f.count / created : null];
      }),
    },
    lessons: {
      id: "lessons",
      title: t("lessons"),
      rowHeader: 1,
      columns: [col("lessonId", "text"), col("lesson", "text"), col("started"), col("finished")],
      rows: overview.lessons.map((l) => [l.lesson, lessonTitle(l.lesson), l.started, l.finished]),
    },
    quizzes: {
      id: "quizzes",
      title: t("quizzes"),
      rowHeader: 1,
      columns: [
        col("lessonId", "text"),
        col("lesson", "text"),
        col("takes"),
        col("people"),
        col("averageScore", "share"),
      ],
      rows: overview.quizzes.map((q) => [q.lesson, lessonTitle(q.lesson), q.takes, q.people, q.averageScore]),
    },
    meetings: {
      id: "meetings",
      title: t("meetings"),
      rowHeader: 1,
      columns: [
        col("starts", "text"),
        col("meeting", "text"),
        col("city", "text"),
        col("status", "text"),
        col("capacity"),
        col("yes"),
        col("maybe"),
        col("waiting"),
        col("attended"),
      ],
      rows: overview.meetings.map((m) => [
        localTime(m.startsAt, m.timeZone),
        localized(m.title, lang),
        m.city === null ? t("online") : cityName(m.city),
        t(`meetingStatus.${m.status}`),
        m.capacity,
        m.yes,
        m.maybe,
        m.waiting,
        m.attended,
      ]),
    },
    items: {
      id: "items",
      title: t("items"),
      rowHeader: 2,
      columns: [
        col("lessonId", "text"),
        col("questionId", "text"),
        col("question", "text"),
        col("answers"),
        col("shareCorrect", "share"),
        col("discrimination", "index"),
        col("check", "text"),
      ],
      rows: overview.items.flatMap((lesson) =>
        lesson.items.map((i) => [
          i.lesson,
          i.question,
          localized(pack.question(i.lesson, i.question)?.question, lang) || i.question,
          i.count,
          i.shareCorrect,
          i.discrimination,
          i.flags.map((f) => t(`flag.${f}`)).join("; "),
        ]),
      ),
    },
  };
}

/**
 * A table as CSV: the column keys as header, shares and indices as decimals (4 places), counts as
 * they are; a value withheld for a small group is empty.
 *
 * @example
 * tableCsv(tables.cities); // "code,city,people\r\nmainz,Mainz,12\r\n"
 */
export function tableCsv(table: StatTable, style: CsvStyle = {}): string {
  const round = (v: CsvCell) => (typeof v === "number" ? Math.round(v * 10_000) / 10_000 : v);
  return toCsv(
    table.columns.map((c) => c.key),
    table.rows.map((row) => row.map((v, i) => (table.columns[i]?.kind === "text" ? v : round(v)))),
    style,
  );
}

/**
 * A number as the page shows it: counts with separators, shares as percent, indices with 2 decimals.
 *
 * @example
 * formatCell(0.7, "share", "de"); // "70 %"
 */
export function formatCell(value: CsvCell, kind: CellKind, lang: ConsoleLanguage): string {
  if (value === null || value === undefined || value === "") return kind === "text" ? "" : "–";
  if (typeof value === "string") return value;
  if (kind === "share")
    return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(value);
  if (kind === "index")
    return new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  return new Intl.NumberFormat(lang).format(value);
}

/** "YYYY-MM-DD HH:mm" in the meeting's own zone (the same in the page and the CSV). */
function localTime(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

function displayName(lang: string, code: string): string | undefined {
  try {
    return new Intl.DisplayNames(lang, { type: "language" }).of(code);
  } catch {
    return undefined;
  }
}
