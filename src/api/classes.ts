/**
 * `/api/classes`: the console's class pages as JSON for tools and scripts (role teacher; a teacher
 * reaches only their own classes, an admin all). A class the caller may not see is 404, exactly as
 * one that does not exist, so its existence is not revealed. Learners are named by their ref and the
 * name they chose, never by chat address. The same reading and the same actions as the console
 * (src/console/classes-input.ts, classes-actions.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { classListScope } from "../classes/access.ts";
import { classCsv } from "../classes/export.ts";
import { joinWays } from "../classes/join-links.ts";
import { classProgress, currentCourse } from "../classes/progress.ts";
import { type ClassRecord, listClasses, memberCount } from "../classes/repository.ts";
import { nextClassSession } from "../classes/sessions.ts";
import {
  allowedTeachers,
  archiveClassAsStaff,
  auditExport,
  createClassAsStaff,
  editClassAsStaff,
  messageAsStaff,
  renewCodeAsStaff,
  teacherChoices,
  viewerOf,
} from "../console/classes-actions.ts";
import { attendedCounts, sessionRows } from "../console/classes-data.ts";
import { classFieldsOf, emptyClassFields, parseClassFields, readMessageTexts } from "../console/classes-input.ts";
import { requireRole } from "../console/guard.ts";
import { localDay } from "../domain/local-time.ts";
import { classAccess } from "./class-access.ts";
import { registerClassSessionsApi } from "./class-sessions.ts";
import {
  classIdParam,
  classInput,
  classNotFound,
  classPatch,
  classSchema,
  messageInput,
  progressSchema,
  sessionSchema,
  toClassFields,
} from "./classes-schemas.ts";
import { type Api, commonErrors, json, security } from "./kit.ts";
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
  const { zoneOf, missing, archived, classOf } = classAccess(app);

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
  // A class's sessions and their attendance: routes of their own (class-sessions.ts).
  registerClassSessionsApi(api, app);
}
