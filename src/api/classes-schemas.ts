/**
 * The zod schemas of `/api/classes` (they validate requests and become the OpenAPI document) and the
 * translation of the API's input into the console's class fields (src/console/classes-input.ts), so
 * both read a class the same way.
 */
import { z } from "@hono/zod-openapi";
import type { ClassFields } from "../console/classes-input.ts";
import { onlineClass } from "../console/classes-input.ts";
import { errorBody } from "./kit.ts";

const courseInput = z
  .object({
    course: z.string().openapi({ description: "A course id of the content pack", example: "safe-online" }),
    startsOn: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: "Planned first day (YYYY-MM-DD)", example: "2026-04-07" }),
    endsOn: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: "Planned last day (YYYY-MM-DD)", example: "2026-05-26" }),
  })
  .openapi("ClassCourseInput");

const fieldsInput = {
  city: z
    .string()
    .nullable()
    .openapi({
      description: `A city id or name, or "${onlineClass}" (null too) for an online class`,
      example: "leipzig",
    }),
  languages: z
    .array(z.string())
    .openapi({ description: "Language codes of the class's learners", example: ["fa", "ar"] }),
  courses: z.array(courseInput).openapi({ description: "The courses the class follows, in order" }),
  capacity: z.number().int().nullable().optional().openapi({ description: "Places; null for no limit" }),
  codeExpiresOn: z.string().nullable().optional().openapi({
    description: "The last local day the join code works (YYYY-MM-DD); null: no end",
    example: "2026-04-30",
  }),
  teacher: z.string().nullable().optional().openapi({
    description:
      "Admins only: the teacher's chat address (someone with the teacher or admin role); a teacher's class is always their own",
    example: "telegram:5123456789",
  }),
};

export const classInput = z
  .object({ name: z.string().openapi({ example: "Tuesday group Leipzig" }), ...fieldsInput })
  .openapi("ClassInput");

export const classPatch = z
  .object({
    name: z.string().optional(),
    city: fieldsInput.city.optional(),
    languages: fieldsInput.languages.optional(),
    courses: fieldsInput.courses.optional(),
    capacity: fieldsInput.capacity,
    codeExpiresOn: fieldsInput.codeExpiresOn,
    teacher: fieldsInput.teacher,
  })
  .openapi("ClassPatch");

const completion = z
  .object({ finished: z.number(), of: z.number(), rate: z.number().openapi({ description: "0 to 1" }) })
  .openapi("Completion");

const joinWay = z
  .object({
    channel: z.enum(["telegram", "whatsapp", "web"]),
    url: z.string().nullable().openapi({ description: "A link, when the server knows enough to make one" }),
    typed: z.string().openapi({ description: "What to write in that chat instead", example: "join K7F2Q" }),
  })
  .openapi("JoinWay");

export const classSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    city: z.string().nullable().openapi({ description: "City id, null for an online class" }),
    timeZone: z.string(),
    languages: z.array(z.string()),
    courses: z.array(z.object({ course: z.string(), startsOn: z.string().nullable(), endsOn: z.string().nullable() })),
    currentCourse: z.string().nullable().openapi({ description: "The course the class is on today" }),
    code: z.string().openapi({ example: "K7F2Q" }),
    codeExpiresAt: z.string().nullable(),
    capacity: z.number().nullable(),
    teacher: z.string().nullable(),
    status: z.enum(["active", "archived"]),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    learners: z.number(),
    nextSession: z.string().nullable().openapi({ description: "Start of the next session, if any" }),
    completion: completion.openapi({ description: "Share that finished the whole programme" }),
    join: z.array(joinWay),
  })
  .openapi("Class");

export const learnerSchema = z
  .object({
    ref: z.string().openapi({ description: "The learner's reference in this class (never the chat address)" }),
    name: z.string().nullable().openapi({ description: "The name they chose for the class, if any" }),
    joinedAt: z.string(),
    lessons: z.record(z.string(), z.enum(["done", "started", "none"])),
    quiz: z.record(z.string(), z.object({ score: z.number(), total: z.number() })),
    done: z.number(),
    total: z.number(),
    finishedCourses: z.array(z.string()),
    lastActive: z.string().nullable(),
    state: z.enum(["not-started", "active", "stalled", "finished"]),
    sessionsAttended: z.number(),
  })
  .openapi("ClassLearner");

export const sessionSchema = z
  .object({
    meetingId: z.number(),
    title: z.record(z.string(), z.string()),
    startsAt: z.string(),
    endsAt: z.string(),
    timeZone: z.string(),
    place: z.string().nullable(),
    onlineUrl: z.string().nullable(),
    status: z.enum(["planned", "moved", "cancelled"]),
    coming: z.number().openapi({ description: "Learners who said yes" }),
    came: z.number().openapi({ description: "Learners marked as came" }),
  })
  .openapi("ClassSession");

export const progressSchema = z
  .object({
    lessons: z.array(z.object({ course: z.string(), lesson: z.string() })),
    learners: z.array(learnerSchema),
    perCourse: z.array(z.object({ course: z.string(), completion })),
    programme: completion,
  })
  .openapi("ClassProgress");

export const sessionInput = z
  .object({
    title: z
      .record(z.string(), z.string())
      .openapi({ description: "Title per language code", example: { en: "Week 1" } }),
    date: z.string().optional().openapi({ description: "Local day in the class's zone", example: "2026-04-07" }),
    time: z.string().optional().openapi({ description: "Local start, 24-hour clock", example: "18:00" }),
    endTime: z.string().optional().openapi({ description: "Local end the same day", example: "19:30" }),
    minutes: z.number().int().optional().openapi({ description: "Length when no endTime is given (default 60)" }),
    startsAt: z.string().optional().openapi({ description: "Alternative to date and time: an instant with offset" }),
    endsAt: z.string().optional().openapi({ description: "Alternative to endTime: an instant with offset" }),
    place: z.string().nullable().optional().openapi({ example: "Stadtbibliothek, Raum 2" }),
    onlineUrl: z.string().nullable().optional().openapi({ description: "https link of an online session" }),
  })
  .openapi("ClassSessionInput");

export const attendanceInput = z
  .object({
    learners: z
      .array(z.object({ ref: z.string(), attended: z.boolean() }))
      .max(5000)
      .openapi({ description: "Learners by ref; those not named stay as they are" }),
  })
  .openapi("ClassAttendance");

export const messageInput = z
  .object({
    texts: z.record(z.string(), z.string()).openapi({
      description: "The message per language code",
      example: { en: "No class on Thursday.", fa: "پنجشنبه کلاس نداریم." },
    }),
  })
  .openapi("ClassMessage");

export const classIdParam = z.object({
  id: z
    .string()
    .regex(/^\d+$/, "a class id (a number)")
    .openapi({ param: { name: "id", in: "path" }, example: "3" }),
});

export const sessionParams = classIdParam.extend({
  meetingId: z
    .string()
    .regex(/^\d+$/, "a session's meeting id (a number)")
    .openapi({ param: { name: "meetingId", in: "path" }, example: "12" }),
});

export const classNotFound = {
  404: {
    description: "No such class (also a class of another teacher: its existence is not revealed)",
    content: { "application/json": { schema: errorBody } },
  },
};

/**
 * API input as form fields (nulls and numbers as the strings a form would send); what is not given
 * is left out, so a PATCH lays only its fields over the class.
 *
 * @example
 * toClassFields({ capacity: 12, city: null }); // { capacity: "12", city: "online" }
 */
export function toClassFields(input: Partial<z.infer<typeof classPatch>>): Partial<ClassFields> {
  const text = (v: string | null | undefined) => (v === undefined ? undefined : (v ?? ""));
  const fields: Partial<ClassFields> = {
    name: input.name,
    city: input.city === null ? onlineClass : input.city,
    languages: input.languages,
    courses: input.courses?.map((c) => ({ course: c.course, startsOn: c.startsOn ?? "", endsOn: c.endsOn ?? "" })),
    capacity: input.capacity === undefined ? undefined : input.capacity === null ? "" : String(input.capacity),
    codeExpiresOn: text(input.codeExpiresOn),
    teacher: text(input.teacher),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<ClassFields>;
}
