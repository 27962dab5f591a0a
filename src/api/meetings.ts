/**
 * `/api/meetings`: the console's meetings pages as JSON for tools and scripts (role staff on every
 * route). Times are given as staff think of them: `{"date":"2026-12-10","time":"18:00","city":"leipzig"}`
 * is 18:00 in Leipzig's time zone (an instant with an offset in `startsAt` works too). The same
 * reading and the same actions as the console (src/meetings/console-input.ts, staff-actions.ts), so
 * an unknown city is refused the same way, with the list of known ones.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../app.ts";
import { broadcastCounts } from "../broadcasts/broadcasts.ts";
import { requireRole } from "../console/guard.ts";
import { announcementOf, announcementReach } from "../meetings/announce.ts";
import {
  emptyFields,
  fieldsOf,
  type MeetingFields,
  overlayFields,
  parseMeetingFields,
} from "../meetings/console-input.ts";
import { guestsCsv } from "../meetings/export.ts";
import { guestCounts, guestsOf } from "../meetings/guests.ts";
import { cityMeeting, type Meeting, pastMeetings, upcomingMeetings } from "../meetings/repository.ts";
import { cancelAsStaff, checkInAsStaff, createAsStaff, editAsStaff } from "../meetings/staff-actions.ts";
import { type Api, commonErrors, json, security } from "./kit.ts";
import {
  counts,
  guestSchema,
  idParam,
  meetingInput,
  meetingPatch,
  meetingSchema,
  notFound,
  refused,
  toFields,
} from "./meetings-schemas.ts";

const staffOnly = [requireRole("staff")];
const tags = ["Meetings"];

/**
 * Registers the meetings routes.
 *
 * @example
 * registerMeetingsApi(api, app);
 */
export function registerMeetingsApi(api: Api, app: App): void {
  const view = async (meeting: Meeting): Promise<z.infer<typeof meetingSchema>> => {
    const local = fieldsOf(meeting);
    const end = local.endTime || "";
    return {
      id: meeting.id,
      title: meeting.title,
      description: meeting.description,
      startsAt: meeting.startsAt.toISOString(),
      endsAt: meeting.endsAt.toISOString(),
      local: { date: local.date, time: local.time, endTime: end, timeZone: meeting.timeZone },
      city: meeting.city,
      place: meeting.place,
      mapUrl: meeting.mapUrl,
      onlineUrl: meeting.onlineUrl,
      languages: meeting.languages,
      capacity: meeting.capacity,
      status: meeting.status,
      counts: guestCounts(await guestsOf(app.store.db, meeting.id, { includeNo: true })),
      announcementId: await announcementOf(app.store.reader, meeting.id),
    };
  };
  const missing = (c: Context): never => c.json({ error: "no such meeting" }, 404) as never;

  api.openapi(
    createRoute({
      method: "get",
      path: "/meetings/reach",
      tags,
      summary: "How many people a new meeting's announcement reaches, per city and for online meetings",
      security,
      middleware: staffOnly,
      responses: {
        200: json(
          z.object({
            byCity: z.record(z.string(), z.number()),
            everyone: z.number().openapi({ description: "All news subscribers: an online meeting's reach" }),
          }),
          "Reach now",
        ),
        ...commonErrors,
      },
    }),
    async (c) => c.json(await announcementReach(app.store.reader, app.content), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/meetings",
      tags,
      summary: "Meetings coming up (cancelled ones too) and those of the last 60 days",
      security,
      middleware: staffOnly,
      responses: {
        200: json(z.object({ upcoming: z.array(meetingSchema), past: z.array(meetingSchema) }), "Meetings"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const now = app.clock.now();
      const upcoming = await upcomingMeetings(app.store.db, {
        now,
        allCities: true,
        includeCancelled: true,
        limit: 200,
      });
      const past = await pastMeetings(app.store.db, { now, days: 60, limit: 200 });
      return c.json({ upcoming: await Promise.all(upcoming.map(view)), past: await Promise.all(past.map(view)) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/meetings",
      tags,
      summary: "Create a meeting (and announce it to news subscribers unless announce is false)",
      security,
      middleware: staffOnly,
      request: { body: { content: { "application/json": { schema: meetingInput } }, required: true } },
      responses: {
        201: json(
          z.object({
            meeting: meetingSchema,
            reach: z.number().openapi({ description: "People the announcement is queued for" }),
          }),
          "Created",
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const fields: MeetingFields = { ...emptyFields(), minutes: "", ...toFields(input) };
      const parsed = parseMeetingFields(fields, { now: app.clock.now(), defaultTimeZone: app.defaultTimeZone });
      if (!parsed.ok) return refused(c, parsed.errors);
      const created = await createAsStaff(app, c.get("staff"), parsed.meeting, input.announce ?? true);
      return c.json({ meeting: await view(created.meeting), reach: created.reach }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/meetings/{id}",
      tags,
      summary: "One meeting with its figures",
      security,
      middleware: staffOnly,
      request: { params: idParam },
      responses: {
        200: json(
          z.object({
            meeting: meetingSchema,
            announcement: z
              .object({
                id: z.number(),
                status: z.string(),
                recipients: z.number(),
                queued: z.number(),
                sent: z.number(),
                delivered: z.number(),
                read: z.number(),
                failed: z.number(),
              })
              .nullable(),
          }),
          "The meeting",
        ),
        ...notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const meeting = await cityMeeting(app.store.db, Number(c.req.valid("param").id));
      if (!meeting) return missing(c);
      const announcementId = await announcementOf(app.store.reader, meeting.id);
      const announcement =
        announcementId === null ? null : ((await broadcastCounts(app.store.reader, announcementId)) ?? null);
      return c.json({ meeting: await view(meeting), announcement }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/meetings/{id}",
      tags,
      summary: "Edit, move or cancel a meeting; guests hear of a new time or place or a cancellation at once",
      security,
      middleware: staffOnly,
      request: {
        params: idParam,
        body: { content: { "application/json": { schema: meetingPatch } }, required: true },
      },
      responses: {
        200: json(
          z.object({
            meeting: meetingSchema,
            changed: z.array(z.string()),
            told: z.number().openapi({ description: "Guests told of the change" }),
          }),
          "Changed",
        ),
        ...notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      const { status, ...input } = c.req.valid("json");
      if (status === "cancelled") {
        if (Object.keys(input).length > 0)
          return refused(c, [{ field: "status", key: "meetings.errors.cancelAlone", params: {} }]);
        const result = await cancelAsStaff(app, c.get("staff"), id);
        if (!result) return missing(c);
        return c.json({ meeting: await view(result.meeting), changed: ["status"], told: result.told }, 200);
      }
      const edited = await editAsStaff(app, c.get("staff"), id, (before) =>
        parseMeetingFields(overlayFields(before, toFields(input)), {
          now: app.clock.now(),
          defaultTimeZone: app.defaultTimeZone,
          currentStart: before.startsAt,
        }),
      );
      if (!edited.ok) return "gone" in edited ? missing(c) : refused(c, edited.errors);
      return c.json(
        { meeting: await view(edited.result.meeting), changed: edited.result.changed, told: edited.result.told },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/meetings/{id}/guests",
      tags,
      summary: "Who answered: pseudonymous label, language, answer, waiting-list place, check-in",
      security,
      middleware: staffOnly,
      request: { params: idParam },
      responses: {
        200: {
          description: "Guests",
          content: { "application/json": { schema: z.object({ guests: z.array(guestSchema), counts }) } },
        },
        ...notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const meeting = await cityMeeting(app.store.db, Number(c.req.valid("param").id));
      if (!meeting) return missing(c);
      const guests = await guestsOf(app.store.db, meeting.id, { includeNo: true });
      return c.json({ guests, counts: guestCounts(guests) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/meetings/{id}/attendance",
      tags,
      summary: "Check-in: mark guests (by ref) as came or not; guests not named stay as they are",
      security,
      middleware: staffOnly,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": {
              schema: z
                .object({ guests: z.array(z.object({ ref: z.string(), attended: z.boolean() })).max(5000) })
                .openapi("Attendance"),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ changed: z.number(), counts }), "Saved"),
        ...notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      const marks = c.req.valid("json").guests;
      const meeting = await cityMeeting(app.store.db, id);
      if (!meeting) return missing(c);
      const known = new Set((await guestsOf(app.store.db, id, { includeNo: true })).map((g) => g.ref));
      const unknown = marks.flatMap((m, i) => (known.has(m.ref) ? [] : [i]));
      if (unknown.length > 0)
        return refused(
          c,
          unknown.map((i) => ({ field: `guests.${i}.ref`, key: "meetings.errors.guestUnknown", params: {} })),
        );
      const result = await checkInAsStaff(app, c.get("staff"), id, marks);
      if (!result) return missing(c);
      return c.json(
        { changed: result.changed, counts: guestCounts(await guestsOf(app.store.db, id, { includeNo: true })) },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/meetings/{id}/guests.csv",
      tags,
      summary: "The guest list as CSV: label, ref, language, answer, waiting-list place, came",
      security,
      middleware: staffOnly,
      request: { params: idParam },
      responses: {
        200: { description: "CSV (RFC 4180)", content: { "text/csv": { schema: z.string() } } },
        ...notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const meeting = await cityMeeting(app.store.db, Number(c.req.valid("param").id));
      if (!meeting) return missing(c);
      const csv = guestsCsv(await guestsOf(app.store.db, meeting.id, { includeNo: true }));
      return c.text(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="meeting-${meeting.id}-guests.csv"`,
      });
    },
  );
}
