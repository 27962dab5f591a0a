/**
 * `/api/overview` and `/api/research/export` (role staff): the overview's numbers as JSON and CSV,
 * item statistics per quiz question, and the research export as CSV or xAPI statements.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { requireRole } from "../console/guard.ts";
import { overviewTables, tableCsv, tableIds } from "../console/overview-tables.ts";
import { exportResearch, researchFormats } from "../research/export.ts";
import { itemLimits, itemStats } from "../stats/items.ts";
import { overviewStats } from "../stats/overview.ts";
import { minGroup } from "../stats/small-groups.ts";
import { type Api, commonErrors, errorBody, security } from "./kit.ts";

const count = z.object({
  key: z.string().nullable().openapi({ description: "City id, language code or channel; null: not chosen" }),
  count: z.number().int(),
});

const item = z
  .object({
    lesson: z.string(),
    question: z.string(),
    count: z.number().int().openapi({ description: "People with a first answer in the quiz" }),
    shareCorrect: z
      .number()
      .nullable()
      .openapi({ description: `0..1; null under ${minGroup} people` }),
    discrimination: z.number().nullable().openapi({
      description:
        "Corrected point-biserial correlation with the rest of the lesson's quiz; null when too few or no variance",
    }),
    flags: z.array(z.enum(["tooEasy", "tooHard", "lowDiscrimination"])),
  })
  .openapi("QuizItemStats");

const lessonItems = z.object({ lesson: z.string(), items: z.array(item) }).openapi("LessonItemStats");

const overview = z
  .object({
    generatedAt: z.string(),
    minGroup: z.number().int().openapi({ description: "Averages and shares from fewer people are null" }),
    people: z.object({
      total: z.number().int(),
      byCity: z.array(count),
      byLanguage: z.array(count),
      byChannel: z.array(count),
    }),
    activity: z.object({
      learners7: z.number().int(),
      learners30: z.number().int(),
      active7: z.number().int(),
      active30: z.number().int(),
    }),
    lessons: z.array(
      z.object({
        lesson: z.string(),
        course: z.string().nullable(),
        started: z.number().int(),
        finished: z.number().int(),
      }),
    ),
    quizzes: z.array(
      z.object({
        lesson: z.string(),
        takes: z.number().int(),
        people: z.number().int(),
        averageScore: z.number().nullable(),
      }),
    ),
    meetings: z.array(
      z.object({
        id: z.number().int(),
        title: z.record(z.string(), z.string()),
        startsAt: z.string(),
        timeZone: z.string(),
        city: z.string().nullable(),
        status: z.string(),
        capacity: z.number().int().nullable(),
        yes: z.number().int(),
        maybe: z.number().int(),
        waiting: z.number().int(),
        attended: z.number().int(),
      }),
    ),
    funnel: z.array(z.object({ stage: z.string(), count: z.number().int() })),
    items: z.array(lessonItems),
  })
  .openapi("Overview");

const staffOnly = [requireRole("staff")];
const tags = ["Statistics"];

/**
 * Registers the overview, item statistics and research export routes.
 *
 * @example
 * registerOverviewApi(api, app);
 */
export function registerOverviewApi(api: Api, app: App): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/overview",
      tags,
      summary: "The overview's numbers: people, activity, lessons, quizzes, meetings, funnel, item statistics",
      security,
      middleware: staffOnly,
      responses: {
        200: { description: "Totals only, never an address", content: { "application/json": { schema: overview } } },
        ...commonErrors,
      },
    }),
    async (c) => c.json(await overviewStats(app.store.db, app.content, app.clock.now()), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/overview/items",
      tags,
      summary: "Item statistics per quiz question (share correct, discrimination, flags)",
      security,
      middleware: staffOnly,
      responses: {
        200: {
          description: "Per lesson in course order, questions in quiz order",
          content: {
            "application/json": {
              schema: z.object({
                limits: z.object({
                  easy: z.number(),
                  hard: z.number(),
                  discrimination: z.number(),
                  minGroup: z.number(),
                }),
                lessons: z.array(lessonItems),
              }),
            },
          },
        },
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json({ limits: { ...itemLimits, minGroup }, lessons: await itemStats(app.store.db, app.content) }, 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/overview.csv",
      tags,
      summary: "One table of the overview as CSV, labelled in the console language",
      security,
      middleware: staffOnly,
      request: {
        query: z.object({
          table: z.enum(tableIds).openapi({ description: `One of ${tableIds.join(", ")}` }),
        }),
      },
      responses: {
        200: { description: "CSV (RFC 4180)", content: { "text/csv": { schema: z.string() } } },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { table } = c.req.valid("query");
      const staff = c.get("staff");
      const stats = await overviewStats(app.store.db, app.content, app.clock.now());
      const tables = overviewTables(stats, { lang: staff.language, pack: app.content, translator: app.translator });
      return c.text(tableCsv(tables[table]), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="lotse-${table}.csv"`,
      });
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/research/export",
      tags,
      summary: "Pseudonymised learning records of people who agreed to research, as CSV or xAPI statements",
      description:
        "Only people who said yes to research in the chat; a keyed code (HMAC-SHA256 with RESEARCH_HASH_KEY) instead of the address; days, not times. Every export is written to the audit log.",
      security,
      middleware: staffOnly,
      request: {
        query: z.object({ format: z.enum(researchFormats).openapi({ description: "csv or xapi" }) }),
      },
      responses: {
        200: {
          description: "The export",
          content: {
            "text/csv": { schema: z.string() },
            "application/json": { schema: z.array(z.record(z.string(), z.unknown())) },
          },
        },
        409: {
          description: "The export is off: RESEARCH_HASH_KEY is not set",
          content: { "application/json": { schema: errorBody } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const key = app.research.hashKey;
      if (!key) {
        return c.json(
          { error: "research export is off: set RESEARCH_HASH_KEY (at least 16 characters) and restart" },
          409,
        );
      }
      const { format } = c.req.valid("query");
      const file = await exportResearch(
        app.store.db,
        c.get("staff"),
        { key, homePage: app.research.homePage, format },
        app.clock.now(),
      );
      return c.body(file.body, 200, {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "no-store",
      });
    },
  );
}
