/**
 * `/api/classes`: the console's class pages as JSON for tools and scripts (role teacher; a teacher
 * reaches only their own classes, an admin all). A class the caller may not see is 404, exactly as
 * one that does not exist, so its existence is not revealed. Learners are named by their ref and the
 * name they chose, never by chat address. The same reading and the same actions as the console
 * (src/console/classes-input.ts, classes-actions.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../app.ts";
import { classListScope } from "../classes/access.ts";
import { classAttendance } from "../classes/attendance.ts";
import { classCsv } from "../classes/export.ts";
import { joinWays } from "../classes/join-links.ts";
import { classProgress, currentCourse } from "../classes/progress.ts";
import { type ClassRecord, listClasses, memberCount, membersOf } from "../classes/repository.ts";
import { nextClassSession } from "../classes/sessions.ts";
import {
  addSessionAsStaff,
  allowedTeachers,
  archiveClassAsStaff,
  attendanceAsStaff,
  auditExport,
  createClassAsStaff,
  editClassAsStaff,
  messageAsStaff,
  renewCodeAsStaff,
  sessionOf,
  teacherChoices,
  viewerOf,
  visibleClass,
} from "../console/classes-actions.ts";
import { attendedCounts, sessionRows } from "../console/classes-data.ts";
import {
  classFieldsOf,
  classZone,
  emptyClassFields,
  parseClassFields,
  readMessageTexts,
} from "../console/classes-input.ts";
import { requireRole } from "../console/guard.ts";
import { localDay } from "../domain/local-time.ts";
import { emptyFields, onlineCity, parseMeetingFields } from "../meetings/console-input.ts";
import {
  attendanceInput,
  classIdParam,
  classInput,
  classNotFound,
  classPatch,
  classSchema,
  messageInput,
  progressSchema,
  sessionInput,
  sessionParams,
  sessionSchema,
  toClassFields,
} from "./classes-schemas.ts";
import { type Api, commonErrors, invalid, json, security } from "./kit.ts";
import { refused } from "./meetings-schemas.ts";

const teachers = [requireRole("teacher")];
const tags = ["Classes"];

/**
 * Registers the classes routes.
 *
 * @example
 * registerClassesApi(api, app);
 */
export function registerClassesApi(api: Api, app: App): void {
  const zoneOf = (cls: Pick<ClassRecord, "city">) => classZone(cls, app.defaultTimeZone);
  const missing = (c: Context): never => c.json({ error: "no such class" }, 404) as never;
  // An archived class is still seen (and exported), only not changed: say so rather than "not found".
  const archived = (c: Context): never =>
    invalid(c, "id", "the class is archived: it can be read and exported, not changed, joined or messaged");

  const view = async (cls: ClassRecord): Promise<z.infer<typeof classSchema>> => {
    const now = app.clock.now();
    const zone = zoneOf(cls);
    const progress = await classProgress(app.store.db, app.content, cls, now);
    const next = await nextClassSession(app.store.db, cls.id, now);
    return {
      id: cls.id,
      name: cls.name,
      city: cls.city,
      timeZone: zone,
      languages: cls.languages,
      courses: cls.courses,
      currentCourse: currentCourse(cls.courses, localDay(now, zone))?.course ?? null,
      code: cls.code,
      codeExpiresAt: cls.codeExpiresAt?.toISOString() ?? null,
      capacity: cls.capacity,
      teacher: cls.teacher,
      status: cls.status,
      archivedAt: cls.archivedAt?.toISOString() ?? null,
      createdAt: cls.createdAt.toISOString(),
      learners: await memberCount(app.store.db, cls.id),
      nextSession: next?.startsAt.toISOString() ?? null,
      completion: progress.programme,
      join: joinWays(cls.code, app),
    };
  };

  const classOf = async (c: Context, id: string) => visibleClass(app.store.reader, c.get("staff"), Number(id));

  api.openapi(
    createRoute({
      method: "get",
      path: "/classes",
      tags,
      summary: "The classes the caller may see (a teacher's own, all for an admin)",
      security,
      middleware: teachers,
      request: {
        query: z.object({
          archived: z.enum(["true", "false"]).optional().openapi({ description: "true: the archived classes instead" }),
        }),
      },
      responses: { 200: json(z.object({ classes: z.array(classSchema) }), "Classes"), ...commonErrors },
    }),
    async (c) => {
      const archived = c.req.valid("query").archived === "true";
      const all = await listClasses(app.store.db, {
        ...classListScope(viewerOf(c.get("staff"))),
        includeArchived: true,
      });
      const shown = all.filter((cls) => (cls.status === "archived") === archived);
      return c.json({ classes: await Promise.all(shown.map(view)) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/classes",
      tags,
      summary: "Create a class; it gets a join code",
      security,
      middleware: teachers,
      request: { body: { content: { "application/json": { schema: classInput } }, required: true } },
      responses: { 201: json(z.object({ class: classSchema }), "Created"), ...commonErrors },
    }),
    async (c) => {
      const staff = c.get("staff");
      const choices = await teacherChoices(app, staff);
      const given = { ...emptyClassFields(), ...toClassFields(c.req.valid("json")) };
      // A teacher's class is always their own; an admin names one or none.
      const fields = choices ? given : { ...given, teacher: staff.address };
      const parsed = parseClassFields(fields, {
        pack: app.content,
        now: app.clock.now(),
        defaultTimeZone: app.defaultTimeZone,
        teachers: allowedTeachers(staff, choices),
      });
      if (!parsed.ok) return refused(c, parsed.errors);
      const cls = await createClassAsStaff(app, staff, parsed.value);
      return c.json({ class: await view(cls) }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/classes/{id}",
      tags,
      summary: "One class with its learners (by ref), their progress per lesson, completion and sessions",
      security,
      middleware: teachers,
      request: { params: classIdParam },
      responses: {
        200: json(
          z.object({ class: classSchema, progress: progressSchema, sessions: z.array(sessionSchema) }),
          "The class",
        ),
        ...classNotFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const cls = await classOf(c, c.req.valid("param").id);
      if (!cls) return missing(c);
      const now = app.clock.now();
      const progress = await classProgress(app.store.db, app.content, cls, now);
      const attended = await attendedCounts(app.store.db, cls, now);
      const sessions = await sessionRows(app.store.db, cls, now);
      return c.json(
        {
          class: await view(cls),
          progress: {
            ...progress,
            learners: progress.learners.map((l) => ({
              ...l,
              joinedAt: l.joinedAt.toISOString(),
              lastActive: l.lastActive?.toISOString() ?? null,
              sessionsAttended: attended[l.ref] ?? 0,
            })),
          },
          sessions: sessions.map(({ meeting, coming, came }) => ({
            meetingId: meeting.id,
            title: meeting.title,
            startsAt: meeting.startsAt.toISOString(),
            endsAt: meeting.endsAt.toISOString(),
            timeZone: meeting.timeZone,
            place: meeting.place,
            onlineUrl: meeting.onlineUrl,
            status: meeting.status,
            coming,
            came,
          })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/classes/{id}",
      tags,
      summary: "Change a class's name, city, languages, courses, places, code expiry (or, admins, teacher)",
      security,
      middleware: teachers,
      request: {
        params: classIdParam,
        body: { content: { "application/json": { schema: classPatch } }, required: true },
      },
      responses: {
        200: json(z.object({ class: classSchema, changed: z.array(z.string()) }), "Changed"),
        ...classNotFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const staff = c.get("staff");
      const choices = await teacherChoices(app, staff);
      const patch = toClassFields(c.req.valid("json"));
      const current = await classOf(c, c.req.valid("param").id);
      if (!current) return missing(c);
      if (current.status === "archived") return archived(c);
      const edited = await editClassAsStaff(app, staff, Number(c.req.valid("param").id), (before) => {
        const fields = { ...classFieldsOf(before, app.defaultTimeZone), ...patch };
        return parseClassFields(choices ? fields : { ...fields, teacher: before.teacher ?? "" }, {
          pack: app.content,
          now: app.clock.now(),
          defaultTimeZone: app.defaultTimeZone,
          teachers: allowedTeachers(staff, choices, before.teacher),
          currentExpiry: before.codeExpiresAt,
        });
      });
      if (!edited) return missing(c);
      if (!edited.ok) return refused(c, edited.errors);
      return c.json({ class: await view(edited.cls), changed: edited.changed }, 200);
    },
  );

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

  api.openapi(
    createRoute({
      method: "post",
      path: "/classes/{id}/messages",
      tags,
      summary: "Message the class: each learner gets the text in their language (else their second, else another)",
      security,
      middleware: teachers,
      request: {
        params: classIdParam,
        body: { content: { "application/json": { schema: messageInput } }, required: true },
      },
      responses: {
        201: json(
          z.object({
            broadcastId: z.number(),
            recipients: z.number().openapi({ description: "Learners it is queued for" }),
          }),
          "Queued",
        ),
        ...classNotFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const cls = await classOf(c, c.req.valid("param").id);
      if (!cls) return missing(c);
      if (cls.status === "archived") return archived(c);
      const read = readMessageTexts(c.req.valid("json").texts);
      if (!read.ok) return refused(c, read.errors);
      const sent = await messageAsStaff(app, c.get("staff"), cls.id, read.texts);
      if (!sent) return missing(c);
      return c.json(sent, 201);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/classes/{id}/export.csv",
      tags,
      summary: "The class as CSV: ref, chosen name, progress per lesson, quiz scores, attendance; never an address",
      security,
      middleware: teachers,
      request: { params: classIdParam },
      responses: {
        200: { description: "CSV (RFC 4180)", content: { "text/csv": { schema: z.string() } } },
        ...classNotFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const cls = await classOf(c, c.req.valid("param").id);
      if (!cls) return missing(c);
      const now = app.clock.now();
      const progress = await classProgress(app.store.db, app.content, cls, now);
      await auditExport(app, c.get("staff"), cls.id, progress.learners.length);
      const csv = classCsv(progress, {
        timeZone: zoneOf(cls),
        attended: await attendedCounts(app.store.db, cls, now),
      });
      return c.text(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="class-${cls.id}.csv"`,
      });
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/classes/{id}/archive",
      tags,
      summary: "Archive a class: nobody can join; its learners' links are removed after CLASS_KEEP_DAYS",
      security,
      middleware: teachers,
      request: { params: classIdParam },
      responses: { 200: json(z.object({ class: classSchema }), "Archived"), ...classNotFound, ...commonErrors },
    }),
    async (c) => {
      const before = await classOf(c, c.req.valid("param").id);
      if (!before) return missing(c);
      // Archiving twice changes nothing: the class as it is.
      const cls = before.status === "archived" ? before : await archiveClassAsStaff(app, c.get("staff"), before.id);
      if (!cls) return missing(c);
      return c.json({ class: await view(cls) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/classes/{id}/code",
      tags,
      summary: "Give the class a new join code (the old one stops working; learners in the class stay)",
      security,
      middleware: teachers,
      request: { params: classIdParam },
      responses: { 200: json(z.object({ class: classSchema }), "New code"), ...classNotFound, ...commonErrors },
    }),
    async (c) => {
      const current = await classOf(c, c.req.valid("param").id);
      if (!current) return missing(c);
      if (current.status === "archived") return archived(c);
      const cls = await renewCodeAsStaff(app, c.get("staff"), current.id);
      if (!cls) return missing(c);
      return c.json({ class: await view(cls) }, 200);
    },
  );
}
