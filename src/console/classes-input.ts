/**
 * A class as a teacher types it, turned into a class to store: a name, a city from our list or
 * "online", the languages of the class, the courses in order with optional planned dates, an optional
 * number of places and an optional last day for the join code. The console form and `/api/classes`
 * both go through here, so they accept and refuse exactly the same things.
 *
 * Refusals are field errors with a text key of `locales/_console/<lang>/classes.json`: the console
 * shows them in the teacher's language, the API in English. Field names are the API's
 * (`courses.1.startsOn`), and the form's inputs carry the same names.
 */
import type { ClassCourse, ClassRecord, NewClass } from "../classes/repository.ts";
import type { ContentPack } from "../content/pack.ts";
import type { Address } from "../domain/address.ts";
import { cities, cityById, cityNamed } from "../domain/cities.ts";
import { languageByCode } from "../domain/languages.ts";
import { localDay, nextDay, zonedInstant } from "../domain/local-time.ts";
import type { FieldError } from "../meetings/console-input.ts";

export type { FieldError } from "../meetings/console-input.ts";

/** The city value of an online class. */
export const onlineClass = "online";

/** A course row as typed: the course id and the planned days (YYYY-MM-DD, "" when not planned). */
export interface CourseRow {
  course: string;
  startsOn: string;
  endsOn: string;
}

/** What a teacher gives for a class, as typed ("" when empty). */
export interface ClassFields {
  name: string;
  /** A city id or name, or {@link onlineClass}. */
  city: string;
  /** Language codes. */
  languages: string[];
  /** In the order the class follows them; rows without a course are ignored. */
  courses: CourseRow[];
  capacity: string;
  /** The last local day the join code works (YYYY-MM-DD), or "" for no end. */
  codeExpiresOn: string;
  /** Admins only: the teacher's chat address ("" for none). A teacher's class is always their own. */
  teacher: string;
}

/** What reading depends on besides the fields. */
export interface ClassParseContext {
  pack: ContentPack;
  now: Date;
  /** The zone of an online class (`DEFAULT_TIME_ZONE`). */
  defaultTimeZone: string;
  /** Who may be named as the teacher (admins choose; for a teacher only their own address). */
  teachers: readonly Address[];
  /** When editing: the expiry stored now, so an unchanged day in the past is not refused. */
  currentExpiry?: Date | null | undefined;
}

/** The outcome of reading the fields. */
export type ParsedClass = { ok: true; value: NewClass } | { ok: false; errors: FieldError[] };

const nameMin = 3;
const nameMax = 80;
const maxCourses = 12;
const maxCapacity = 10_000;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The time zone of a class: its city's, or the default for an online class.
 *
 * @example
 * classZone({ city: "lund" }, "Europe/Berlin"); // "Europe/Stockholm"
 */
export function classZone(cls: Pick<ClassRecord, "city">, defaultTimeZone: string): string {
  return cityById(cls.city)?.timeZone ?? defaultTimeZone;
}

function isDay(text: string): boolean {
  if (!dayPattern.test(text)) return false;
  const date = new Date(`${text}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * The known cities as an error names them.
 *
 * @example
 * knownClassCities(); // "mainz (Mainz), leipzig (Leipzig), …, online"
 */
export function knownClassCities(): string {
  return [...cities.map((c) => `${c.id} (${c.name})`), onlineClass].join(", ");
}

function readCourses(rows: readonly CourseRow[], pack: ContentPack, errors: FieldError[]): ClassCourse[] {
  const courses: ClassCourse[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const id = row.course.trim();
    const startsOn = row.startsOn.trim();
    const endsOn = row.endsOn.trim();
    // An empty row of the form (no course, no dates) is ignored; dates without a course are a mistake.
    if (!id) {
      if (startsOn || endsOn)
        errors.push({ field: `courses.${i}.course`, key: "classes.errors.courseMissing", params: {} });
      return;
    }
    if (!pack.course(id)) {
      const known = pack.courses.map((c) => c.id).join(", ");
      errors.push({ field: `courses.${i}.course`, key: "classes.errors.courseUnknown", params: { value: id, known } });
      return;
    }
    if (seen.has(id)) {
      errors.push({ field: `courses.${i}.course`, key: "classes.errors.courseTwice", params: {} });
      return;
    }
    seen.add(id);
    let datesOk = true;
    for (const [field, value] of [
      ["startsOn", startsOn],
      ["endsOn", endsOn],
    ] as const) {
      if (value && !isDay(value)) {
        errors.push({ field: `courses.${i}.${field}`, key: "classes.errors.day", params: { value } });
        datesOk = false;
      }
    }
    if (datesOk && startsOn && endsOn && endsOn < startsOn)
      errors.push({ field: `courses.${i}.endsOn`, key: "classes.errors.endBeforeStart", params: {} });
    courses.push({ course: id, startsOn: startsOn || null, endsOn: endsOn || null });
  });
  if (courses.length === 0 && !errors.some((e) => e.field.startsWith("courses.")))
    errors.push({ field: "courses", key: "classes.errors.coursesMissing", params: {} });
  if (courses.length > maxCourses)
    errors.push({ field: "courses", key: "classes.errors.coursesMany", params: { max: maxCourses } });
  return courses;
}

function readExpiry(fields: ClassFields, zone: string, context: ClassParseContext, errors: FieldError[]) {
  const day = fields.codeExpiresOn.trim();
  if (!day) return null;
  if (!isDay(day)) {
    errors.push({ field: "codeExpiresOn", key: "classes.errors.day", params: { value: day } });
    return null;
  }
  // The code works through the whole of that day in the class's own time.
  const expires = zonedInstant(nextDay(day), 0, zone);
  const unchanged = context.currentExpiry?.getTime() === expires.getTime();
  if (!unchanged && expires <= context.now)
    errors.push({ field: "codeExpiresOn", key: "classes.errors.expiryPast", params: {} });
  return expires;
}

/**
 * Reads the fields into a class to store, or says which fields are refused and why.
 *
 * @example
 * const parsed = parseClassFields(
 *   { ...emptyClassFields(), name: "Tuesday group", city: "leipzig", languages: ["fa"],
 *     courses: [{ course: "safe-online", startsOn: "", endsOn: "" }] },
 *   { pack, now, defaultTimeZone: "Europe/Berlin", teachers: ["telegram:42"] },
 * );
 */
export function parseClassFields(fields: ClassFields, context: ClassParseContext): ParsedClass {
  const errors: FieldError[] = [];
  const name = fields.name.replace(/\s+/g, " ").trim();
  const length = [...name].length;
  if (length < nameMin || length > nameMax)
    errors.push({ field: "name", key: "classes.errors.nameLength", params: { min: nameMin, max: nameMax } });

  const cityValue = fields.city.trim();
  const online = cityValue.toLowerCase() === onlineClass;
  const city = online ? undefined : cityNamed(cityValue);
  if (!cityValue)
    errors.push({ field: "city", key: "classes.errors.cityMissing", params: { known: knownClassCities() } });
  else if (!online && !city)
    errors.push({
      field: "city",
      key: "classes.errors.cityUnknown",
      params: { value: cityValue, known: knownClassCities() },
    });
  const zone = city?.timeZone ?? context.defaultTimeZone;

  const languages = [...new Set(fields.languages.map((l) => l.trim()).filter(Boolean))];
  const unknown = languages.filter((code) => !languageByCode(code));
  if (languages.length === 0) errors.push({ field: "languages", key: "classes.errors.languagesMissing", params: {} });
  else if (unknown.length > 0)
    errors.push({ field: "languages", key: "classes.errors.languageUnknown", params: { value: unknown.join(", ") } });

  const courses = readCourses(fields.courses, context.pack, errors);

  const capacityText = fields.capacity.trim();
  const capacity = capacityText === "" ? null : Number(capacityText);
  if (capacity !== null && (!/^\d{1,5}$/.test(capacityText) || capacity < 1 || capacity > maxCapacity))
    errors.push({ field: "capacity", key: "classes.errors.capacity", params: { max: maxCapacity } });

  const codeExpiresAt = readExpiry(fields, zone, context, errors);

  const teacherText = fields.teacher.trim();
  const teacher = teacherText === "" ? null : context.teachers.find((t) => t === teacherText);
  if (teacherText !== "" && !teacher)
    errors.push({ field: "teacher", key: "classes.errors.teacher", params: { value: teacherText } });

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { name, city: city?.id ?? null, languages, courses, capacity, codeExpiresAt, teacher: teacher ?? null },
  };
}

/**
 * Empty fields: a new class's form before anything is typed.
 *
 * @example
 * const fields = { ...emptyClassFields(), city: "leipzig" };
 */
export function emptyClassFields(): ClassFields {
  return { name: "", city: "", languages: [], courses: [], capacity: "", codeExpiresOn: "", teacher: "" };
}

/**
 * A stored class as fields, in its own zone: what the edit form shows, and what an API change is laid
 * over.
 *
 * @example
 * classFieldsOf(cls, "Europe/Berlin").courses[0]?.course; // "safe-online"
 */
export function classFieldsOf(cls: ClassRecord, defaultTimeZone: string): ClassFields {
  const zone = classZone(cls, defaultTimeZone);
  return {
    name: cls.name,
    city: cls.city ?? onlineClass,
    languages: [...cls.languages],
    courses: cls.courses.map((c) => ({ course: c.course, startsOn: c.startsOn ?? "", endsOn: c.endsOn ?? "" })),
    capacity: cls.capacity === null ? "" : String(cls.capacity),
    // Stored as the first instant it no longer works: the day before, locally, is the last one.
    codeExpiresOn: cls.codeExpiresAt ? localDay(new Date(cls.codeExpiresAt.getTime() - 1), zone) : "",
    teacher: cls.teacher ?? "",
  };
}

/**
 * Which of a class's settings differ between two versions (for the audit log).
 *
 * @example
 * changedSettings(cls, { ...parsed.value, name: "New name" }); // ["name"]
 */
export function changedSettings(before: ClassRecord, after: NewClass): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const pairs: [string, unknown, unknown][] = [
    ["name", before.name, after.name],
    ["city", before.city, after.city],
    ["languages", before.languages, after.languages],
    ["courses", before.courses, after.courses],
    ["capacity", before.capacity, after.capacity],
    ["codeExpiresAt", before.codeExpiresAt?.getTime() ?? null, after.codeExpiresAt?.getTime() ?? null],
    ["teacher", before.teacher, after.teacher],
  ];
  return pairs.filter(([, a, b]) => !same(a, b)).map(([name]) => name);
}

/** Longest class message per language: as for broadcasts, the chat's limit. */
export const maxMessageLength = 1000;

/**
 * A class message's texts with empty ones dropped, or why they are refused: none written, an unknown
 * language, a text too long.
 *
 * @example
 * readMessageTexts({ en: "No class on Thursday.", fa: "" }); // { ok: true, texts: { en: "No class on Thursday." } }
 */
export function readMessageTexts(
  raw: Record<string, string>,
): { ok: true; texts: Record<string, string> } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const texts: Record<string, string> = {};
  for (const [code, value] of Object.entries(raw)) {
    const text = value.trim();
    if (!text) continue;
    if (!languageByCode(code))
      errors.push({ field: `texts.${code}`, key: "classes.errors.languageUnknown", params: { value: code } });
    else if ([...text].length > maxMessageLength)
      errors.push({ field: `texts.${code}`, key: "classes.errors.textLength", params: { max: maxMessageLength } });
    texts[code] = text;
  }
  if (Object.keys(texts).length === 0) errors.push({ field: "texts", key: "classes.errors.textMissing", params: {} });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, texts };
}
