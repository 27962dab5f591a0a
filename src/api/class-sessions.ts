/**
 * `/api/classes/{id}/sessions`: a class's sessions (meetings only the class sees) and who came to
 * them, for teachers' tools; the same actions as the console's session pages.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { classAttendance } from "../classes/attendance.ts";
import { membersOf } from "../classes/repository.ts";
import { addSessionAsStaff, attendanceAsStaff, sessionOf } from "../console/classes-actions.ts";
import { requireRole } from "../console/guard.ts";
import { emptyFields, onlineCity, parseMeetingFields } from "../meetings/console-input.ts";
import { classAccess } from "./class-access.ts";
import { attendanceInput, classIdParam, classNotFound, sessionInput, sessionParams } from "./classes-schemas.ts";
import { type Api, commonErrors, json, security } from "./kit.ts";
import { refused } from "./meetings-schemas.ts";

const teachers = [requireRole("teacher")];
const tags = ["Classes"];

/**
 * Registers the session and attendance routes of the classes API.
 *
 * @example
 * registerClassSessionsApi(api, app);
 */
export function registerClassSessionsApi(api: Api, app: App): void {
  const { zoneOf, missing, archived, classOf } = classAccess(app);

  api.openapi(
    createRoute({
      method: "post",
      path: "/classes/{id}/sessions",
      tags,
      summary: "Add a session: a meeting only the class sees; every learner is told and asked whether they come",
      security,
      middleware: teachers,
      request: {
        params: classIdParam,
        body: { content: { "application/json": { schema: sessionInput } }, required: true },
      },
      responses: {
        201: json(z.object({ meetingId: z.number(), startsAt: z.string(), endsAt: z.string() }), "Added"),
        ...classNotFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const cls = await classOf(c, c.req.valid("param").id);
      if (!cls) return missing(c);
      if (cls.status === "archived") return archived(c);
      const input = c.req.valid("json");
      const zone = zoneOf(cls);
      const parsed = parseMeetingFields(
        {
          ...emptyFields(),
          minutes: input.minutes === undefined ? "" : String(input.minutes),
          title: input.title,
          date: input.date ?? "",
          time: input.time ?? "",
          endTime: input.endTime ?? "",
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          city: cls.city ?? onlineCity,
          timeZone: zone,
          place: input.place ?? "",
          onlineUrl: input.onlineUrl ?? "",
        },
        { now: app.clock.now(), defaultTimeZone: zone },
      );
      if (!parsed.ok) return refused(c, parsed.errors);
      const { title, startsAt, endsAt, timeZone, place, onlineUrl } = parsed.meeting;
      const meeting = await addSessionAsStaff(app, c.get("staff"), cls.id, {
        title,
        startsAt,
        endsAt,
        timeZone,
        place,
        onlineUrl,
      });
      if (!meeting) return missing(c);
      return c.json(
        { meetingId: meeting.id, startsAt: meeting.startsAt.toISOString(), endsAt: meeting.endsAt.toISOString() },
        201,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "put",
      path: "/classes/{id}/sessions/{meetingId}/attendance",
      tags,
      summary: "Mark who came to a session, by the learners' refs; learners not named stay as they are",
      security,
      middleware: teachers,
      request: {
        params: sessionParams,
        body: { content: { "application/json": { schema: attendanceInput } }, required: true },
      },
      responses: {
        200: json(
          z.object({ changed: z.number(), attendance: z.record(z.string(), z.boolean()) }),
          "Saved; attendance by ref",
        ),
        ...classNotFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id, meetingId } = c.req.valid("param");
      const cls = await classOf(c, id);
      if (!cls || !(await sessionOf(app.store.reader, cls, Number(meetingId), app.clock.now()))) return missing(c);
      const marks = c.req.valid("json").learners;
      const known = new Set((await membersOf(app.store.db, cls.id)).map((m) => m.ref));
      const unknown = marks.flatMap((m, i) => (known.has(m.ref) ? [] : [i]));
      if (unknown.length > 0)
        return refused(
          c,
          unknown.map((i) => ({ field: `learners.${i}.ref`, key: "classes.errors.learnerUnknown", params: {} })),
        );
      const result = await attendanceAsStaff(app, c.get("staff"), cls.id, Number(meetingId), marks);
      if (!result) return missing(c);
      return c.json(
        { changed: result.changed, attendance: await classAttendance(app.store.db, cls, Number(meetingId)) },
        200,
      );
    },
  );
}
