/**
 * `/api/broadcasts`: the console's broadcasts as JSON for tools and scripts (role staff on every
 * route): the list, one with its live delivery counts, the reach of an audience before sending, the
 * Telegram and WhatsApp preview, create (now, or at a local date and time in a zone: no ISO typing)
 * and cancel. The same checks and actions as the console (src/broadcasts/draft.ts, actions.ts), so an
 * unknown city is refused the same way, with the list of known ones.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../app.ts";
import { cancelAsStaff, createFromDraft, draftPreview, draftReach } from "../broadcasts/actions.ts";
import { everyone } from "../broadcasts/audience.ts";
import type { AudienceChannel, AudienceFilter, ProgressCondition } from "../broadcasts/audience-filter.ts";
import { deliveryCounts } from "../broadcasts/counts.ts";
import { type Draft, type DraftProblem, draftProblems, problemMessage } from "../broadcasts/draft.ts";
import { broadcastStatuses } from "../broadcasts/lifecycle.ts";
import type { ReachDetail } from "../broadcasts/reach.ts";
import { type BroadcastView, getBroadcast, listBroadcasts } from "../broadcasts/repository.ts";
import { requireRole } from "../console/guard.ts";
import { fallbackLanguage } from "../domain/languages.ts";
import { type Api, commonErrors, errorBody, json, security } from "./kit.ts";

const staffOnly = [requireRole("staff")];
const tags = ["Broadcasts"];

const audienceInput = z
  .object({
    cities: z
      .array(z.string())
      .optional()
      .openapi({ description: "City ids (any of them)", example: ["mainz"] }),
    languages: z
      .array(z.string())
      .optional()
      .openapi({ description: "The person's language codes (any of them)", example: ["ar"] }),
    channels: z
      .array(z.string())
      .optional()
      .openapi({ description: "telegram, whatsapp, web (any of them)", example: ["telegram", "whatsapp"] }),
    progress: z
      .array(z.string())
      .optional()
      .openapi({
        description: "Course progress (any of them): started:<course>, finished:<course>, or none",
        example: ["started:safe-online"],
      }),
    meetingId: z
      .number()
      .int()
      .positive()
      .nullable()
      .optional()
      .openapi({ description: "Only the guests (yes or maybe) of this meeting; they need not want news" }),
  })
  .openapi("BroadcastAudience", {
    description:
      "Every filter is a set (a person matches it with any value; empty or missing: no limit), all filters together. Everyone must want news, except a meeting's guests.",
  });

const draftInput = z
  .object({
    texts: z.record(z.string(), z.string()).openapi({
      description: "The message per language code",
      example: { en: "Free Wi-Fi at the library", ar: "واي فاي مجاني في المكتبة" },
    }),
    defaultLanguage: z
      .string()
      .optional()
      .openapi({ description: "For people whose own and second language have no text (default: en, else the first)" }),
    audience: audienceInput.optional(),
    schedule: z
      .object({
        date: z.string().openapi({ example: "2026-12-10" }),
        time: z.string().openapi({ example: "18:00" }),
        timeZone: z.string().openapi({ example: "Europe/Berlin" }),
      })
      .optional()
      .openapi({ description: "Local date and time in a zone; missing: send now" }),
  })
  .openapi("BroadcastDraft");

const reachInput = z
  .object({
    audience: audienceInput.optional(),
    texts: z.record(z.string(), z.string()).optional().openapi({ description: "To count by the language shown" }),
    defaultLanguage: z.string().optional(),
  })
  .openapi("BroadcastReachInput");

const reachSchema = z
  .object({
    total: z.number(),
    byChannel: z.array(z.object({ channel: z.string(), count: z.number() })),
    byLanguage: z.array(z.object({ language: z.string().nullable(), count: z.number() })),
    byShown: z.array(z.object({ language: z.string(), count: z.number(), withNote: z.number() })),
    byChannelAndShown: z.array(z.object({ channel: z.string(), language: z.string(), count: z.number() })),
    whatsapp: z.object({ insideWindow: z.number(), outsideWindow: z.number() }),
  })
  .openapi("BroadcastReach");

const previewSchema = z
  .object({
    templateName: z.string().nullable(),
    readers: z.array(
      z.object({
        reader: z.object({ language: z.string().nullable(), secondLanguage: z.string().nullable() }),
        shown: z.string(),
        fallback: z.boolean(),
        telegram: z.array(z.object({ method: z.string(), text: z.string(), buttons: z.array(z.array(z.string())) })),
        whatsapp: z.array(z.object({ type: z.string(), text: z.string(), buttons: z.array(z.string()) })),
        template: z.object({ name: z.string().nullable(), language: z.string(), parameters: z.array(z.string()) }),
      }),
    ),
  })
  .openapi("BroadcastPreview");

const channelCounts = z
  .object({
    channel: z.string(),
    queued: z.number(),
    sending: z.number(),
    sent: z.number(),
    delivered: z.number().nullable().openapi({ description: "null where the platform does not report it (Telegram)" }),
    read: z.number().nullable(),
    failed: z.number(),
  })
  .openapi("BroadcastChannelCounts");

const countsSchema = z
  .object({
    status: z.enum(broadcastStatuses),
    cancelReason: z.string().nullable(),
    recipients: z.number(),
    channels: z.array(channelCounts),
    total: channelCounts,
    failures: z.array(
      z.object({ channel: z.string(), reason: z.string(), count: z.number(), examples: z.array(z.string()) }),
    ),
  })
  .openapi("BroadcastCounts");

const broadcastSchema = z
  .object({
    id: z.number(),
    status: z.enum(broadcastStatuses),
    cancelReason: z.string().nullable(),
    texts: z.record(z.string(), z.string()),
    defaultLanguage: z.string(),
    audience: z.object({
      cities: z.array(z.string()),
      languages: z.array(z.string()),
      channels: z.array(z.string()),
      progress: z.array(z.string()),
      meetingId: z.number().nullable(),
    }),
    sendAt: z.string(),
    timeZone: z.string().nullable(),
    recipients: z.number(),
    createdAt: z.string(),
  })
  .openapi("Broadcast");

const idParam = z.object({
  id: z
    .string()
    .regex(/^\d+$/, "a broadcast id (a number)")
    .openapi({ param: { name: "id", in: "path" }, example: "7" }),
});

const notFound = { 404: json(errorBody, "No such broadcast") };

/** Refusals as the API says them: in English, naming each field and what is allowed. */
function refused(c: Context, problems: readonly DraftProblem[]): never {
  return c.json(
    { error: "invalid input", errors: problems.map((p) => ({ field: p.field, message: problemMessage(p) })) },
    400,
  ) as never;
}

function toAudience(input: z.infer<typeof audienceInput> | undefined): AudienceFilter {
  return {
    ...everyone,
    cities: input?.cities ?? [],
    languages: input?.languages ?? [],
    // Unknown values stay, so the checks name them with what is allowed.
    channels: (input?.channels ?? []) as AudienceChannel[],
    progress: (input?.progress ?? []) as ProgressCondition[],
    meetingId: input?.meetingId ?? null,
  };
}

function toDraft(input: z.infer<typeof draftInput>): Draft {
  const languages = Object.keys(input.texts);
  return {
    texts: input.texts,
    defaultLanguage:
      input.defaultLanguage ??
      (languages.includes(fallbackLanguage) ? fallbackLanguage : (languages[0] ?? fallbackLanguage)),
    audience: toAudience(input.audience),
    when: input.schedule ? { kind: "at", ...input.schedule } : { kind: "now" },
  };
}

function reachOut(reach: ReachDetail): z.infer<typeof reachSchema> {
  const { groups: _groups, ...rest } = reach;
  return rest;
}

function broadcastOut(b: BroadcastView): z.infer<typeof broadcastSchema> {
  return {
    id: b.id,
    status: b.status,
    cancelReason: b.cancelReason,
    texts: { ...b.message.texts },
    defaultLanguage: b.message.defaultLanguage,
    audience: {
      cities: b.audience.cities,
      languages: b.audience.languages,
      channels: b.audience.channels,
      progress: b.audience.progress,
      meetingId: b.audience.meetingId,
    },
    sendAt: b.sendAt.toISOString(),
    timeZone: b.timeZone,
    recipients: b.recipients,
    createdAt: b.createdAt.toISOString(),
  };
}

/**
 * Registers the broadcasts routes.
 *
 * @example
 * registerBroadcastsApi(api, app);
 */
export function registerBroadcastsApi(api: Api, app: App): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/broadcasts",
      tags,
      summary: "Broadcasts, newest first (50 a page; ?before=<id> for older ones)",
      security,
      middleware: staffOnly,
      request: {
        query: z.object({ before: z.string().regex(/^\d+$/, "a broadcast id (a number)").optional() }),
      },
      responses: { 200: json(z.object({ broadcasts: z.array(broadcastSchema) }), "Broadcasts"), ...commonErrors },
    }),
    async (c) => {
      const { before } = c.req.valid("query");
      const list = await listBroadcasts(app.store.reader, {
        limit: 50,
        before: before === undefined ? undefined : Number(before),
      });
      return c.json({ broadcasts: list.map(broadcastOut) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/broadcasts/{id}",
      tags,
      summary: "One broadcast with its live delivery counts per channel and failures by reason",
      security,
      middleware: staffOnly,
      request: { params: idParam },
      responses: {
        200: json(z.object({ broadcast: broadcastSchema, counts: countsSchema }), "The broadcast"),
        ...commonErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      const b = await getBroadcast(app.store.reader, id);
      const counts = await deliveryCounts(app.store.reader, id);
      if (!b || !counts) return c.json({ error: "no such broadcast" }, 404);
      const { tally: _tally, id: _id, ...shown } = counts;
      return c.json({ broadcast: broadcastOut(b), counts: shown }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/broadcasts/reach",
      tags,
      summary: "How many people an audience reaches now: per channel, per language, and WhatsApp's 24-hour window",
      security,
      middleware: staffOnly,
      request: { body: { content: { "application/json": { schema: reachInput } }, required: true } },
      responses: { 200: json(reachSchema, "Reach now"), ...commonErrors },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const texts = input.texts ?? {};
      const draft: Draft = {
        texts,
        defaultLanguage: input.defaultLanguage ?? Object.keys(texts)[0] ?? fallbackLanguage,
        audience: toAudience(input.audience),
        when: { kind: "now" },
      };
      const problems = (await draftProblems(app.store.reader, draft, app.content, app.clock.now())).filter(
        (p) => p.field.startsWith("audience.") || (Object.keys(texts).length > 0 && p.code !== "noText"),
      );
      if (problems.length > 0) return refused(c, problems);
      return c.json(reachOut(await draftReach(app, draft)), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/broadcasts/preview",
      tags,
      summary:
        "The reach and the message as Telegram and WhatsApp will show it, with the template used outside the 24-hour window",
      security,
      middleware: staffOnly,
      request: { body: { content: { "application/json": { schema: draftInput } }, required: true } },
      responses: {
        200: json(z.object({ reach: reachSchema, preview: previewSchema }), "Reach and preview"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const draft = toDraft(c.req.valid("json"));
      const problems = await draftProblems(app.store.reader, draft, app.content, app.clock.now());
      if (problems.length > 0) return refused(c, problems);
      const { reach, preview } = await draftPreview(app, draft);
      return c.json({ reach: reachOut(reach), preview }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/broadcasts",
      tags,
      summary: "Create a broadcast: sent now, or at `schedule` (local date and time in a zone)",
      security,
      middleware: staffOnly,
      request: { body: { content: { "application/json": { schema: draftInput } }, required: true } },
      responses: {
        201: json(
          z.object({
            id: z.number(),
            reach: z.number().openapi({ description: "People it reaches as of now" }),
            sendAt: z.string(),
          }),
          "Created",
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const created = await createFromDraft(app, c.get("staff"), toDraft(c.req.valid("json")));
      if (!created.ok) return refused(c, created.problems);
      return c.json({ id: created.id, reach: created.reach, sendAt: created.sendAt.toISOString() }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/broadcasts/{id}/cancel",
      tags,
      summary: "Cancel a broadcast: what is not sent yet is withdrawn",
      security,
      middleware: staffOnly,
      request: { params: idParam },
      responses: {
        200: json(z.object({ cancelled: z.literal(true) }), "Cancelled"),
        409: json(errorBody, "Already sent completely, or cancelled"),
        ...commonErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      if (!(await getBroadcast(app.store.reader, id))) return c.json({ error: "no such broadcast" }, 404);
      if (!(await cancelAsStaff(app, c.get("staff"), id)))
        return c.json({ error: "this broadcast is already sent completely, or cancelled" }, 409);
      return c.json({ cancelled: true as const }, 200);
    },
  );
}
