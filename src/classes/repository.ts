/**
 * Classes in storage: a teacher's group with its courses in order, a join code, an optional
 * capacity, and its learners. Every function works inside the caller's transaction; none checks who
 * asks (see access.ts).
 */
import { randomBytes } from "node:crypto";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Address } from "../domain/address.ts";
import { LotseError } from "../domain/errors.ts";
import { prepared } from "../storage/prepared.ts";
import type { ClassesTable, Database } from "../storage/schema.ts";
import { takeTurnsOn } from "../storage/shared-work.ts";
import { newJoinCode } from "./codes.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** A course the class follows, with the dates the teacher planned for it (local days, optional). */
export interface ClassCourse {
  course: string;
  /** YYYY-MM-DD, or null when not planned. */
  startsOn: string | null;
  endsOn: string | null;
}

/** A class as the rest of Lotse sees it. */
export interface ClassRecord {
  id: number;
  name: string;
  /** A city id, or null for an online class. */
  city: string | null;
  languages: string[];
  courses: ClassCourse[];
  code: string;
  codeExpiresAt: Date | null;
  capacity: number | null;
  /** The teacher's address; null once they deleted their data. */
  teacher: Address | null;
  status: "active" | "archived";
  archivedAt: Date | null;
  createdAt: Date;
}

/** What is needed to create a class. */
export interface NewClass {
  name: string;
  city: string | null;
  languages: string[];
  courses: ClassCourse[];
  capacity: number | null;
  codeExpiresAt: Date | null;
  teacher: Address | null;
}

/** A learner in a class, named only by the name they chose and a random reference. */
export interface ClassMember {
  classId: number;
  address: Address;
  displayName: string | null;
  ref: string;
  joinedAt: Date;
}

/** What happened when someone tried to join. */
export type JoinOutcome =
  | { kind: "joined"; class: ClassRecord; member: ClassMember }
  | { kind: "already"; class: ClassRecord; member: ClassMember }
  | { kind: "full"; class: ClassRecord }
  | { kind: "closed"; class: ClassRecord }
  | { kind: "expired"; class: ClassRecord }
  | { kind: "unknown" };

function toClass(row: Selectable<ClassesTable>): ClassRecord {
  return {
    id: Number(row.id),
    name: row.name,
    city: row.city,
    languages: JSON.parse(row.languages) as string[],
    courses: JSON.parse(row.courses) as ClassCourse[],
    code: row.code,
    codeExpiresAt: row.code_expires_at ? new Date(row.code_expires_at) : null,
    capacity: row.capacity === null ? null : Number(row.capacity),
    teacher: row.teacher as Address | null,
    status: row.status === "archived" ? "archived" : "active",
    archivedAt: row.archived_at ? new Date(row.archived_at) : null,
    createdAt: new Date(row.created_at),
  };
}

function toMember(row: {
  class_id: number;
  address: string;
  display_name: string | null;
  ref: string;
  joined_at: string;
}): ClassMember {
  return {
    classId: Number(row.class_id),
    address: row.address as Address,
    displayName: row.display_name,
    ref: row.ref,
    joinedAt: new Date(row.joined_at),
  };
}

async function unusedCode(db: Db): Promise<string> {
  // 26^5 is about 11.9 million codes: a clash is rare, and a few tries make it vanish.
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = newJoinCode();
    const taken = await db.selectFrom("classes").select("id").where("code", "=", code).executeTakeFirst();
    if (!taken) return code;
  }
  throw new LotseError("classes.code", "no free join code after 20 tries");
}

/**
 * Creates a class with a new join code.
 *
 * @example
 * const cls = await createClass(tx.db, { name: "Tuesday group", city: "leipzig", languages: ["fa"],
 *   courses: [{ course: "phone-basics", startsOn: null, endsOn: null }], capacity: null,
 *   codeExpiresAt: null, teacher: "telegram:42" }, now);
 */
export async function createClass(db: Db, input: NewClass, now: Date): Promise<ClassRecord> {
  const at = now.toISOString();
  const row = await db
    .insertInto("classes")
    .values({
      name: input.name,
      city: input.city,
      languages: JSON.stringify(input.languages),
      courses: JSON.stringify(input.courses),
      code: await unusedCode(db),
      code_expires_at: input.codeExpiresAt?.toISOString() ?? null,
      capacity: input.capacity,
      teacher: input.teacher,
      status: "active",
      archived_at: null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return (await getClass(db, Number(row.id))) as ClassRecord;
}

/** Changes a class's name, city, languages, courses, capacity, code expiry or teacher. */
export async function updateClass(
  db: Db,
  id: number,
  patch: Partial<NewClass>,
  now: Date,
): Promise<ClassRecord | undefined> {
  await db
    .updateTable("classes")
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.city !== undefined ? { city: patch.city } : {}),
      ...(patch.languages ? { languages: JSON.stringify(patch.languages) } : {}),
      ...(patch.courses ? { courses: JSON.stringify(patch.courses) } : {}),
      ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
      ...(patch.codeExpiresAt !== undefined ? { code_expires_at: patch.codeExpiresAt?.toISOString() ?? null } : {}),
      ...(patch.teacher !== undefined ? { teacher: patch.teacher } : {}),
      updated_at: now.toISOString(),
    })
    .where("id", "=", id)
    .execute();
  return getClass(db, id);
}

/** Gives the class a new join code (the old one stops working), for a code that was shared too widely. */
export async function renewJoinCode(db: Db, id: number, now: Date): Promise<ClassRecord | undefined> {
  await db
    .updateTable("classes")
    .set({ code: await unusedCode(db), updated_at: now.toISOString() })
    .where("id", "=", id)
    .execute();
  return getClass(db, id);
}

/** Archives a class: nobody can join, and its learners' links to it are removed after the kept period. */
export async function archiveClass(db: Db, id: number, now: Date): Promise<ClassRecord | undefined> {
  await db
    .updateTable("classes")
    .set({ status: "archived", archived_at: now.toISOString(), updated_at: now.toISOString() })
    .where("id", "=", id)
    .where("status", "=", "active")
    .execute();
  return getClass(db, id);
}

/** The class with this id. */
export async function getClass(db: Db, id: number): Promise<ClassRecord | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const row = await db.selectFrom("classes").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toClass(row) : undefined;
}

/** The class with this join code (already normalised, see codes.ts), archived or not. */
export async function classByCode(db: Db, code: string): Promise<ClassRecord | undefined> {
  const row = await db.selectFrom("classes").selectAll().where("code", "=", code).executeTakeFirst();
  return row ? toClass(row) : undefined;
}

/**
 * Classes, newest first: a teacher's own when `teacher` is given (what the role `teacher` reaches),
 * else all (admins); archived ones only when asked.
 */
export async function listClasses(
  db: Db,
  options: { teacher?: Address; includeArchived?: boolean; limit?: number } = {},
): Promise<ClassRecord[]> {
  let query = db.selectFrom("classes").selectAll();
  if (options.teacher !== undefined) query = query.where("teacher", "=", options.teacher);
  if (!options.includeArchived) query = query.where("status", "=", "active");
  const rows = await query
    .orderBy("id", "desc")
    .limit(options.limit ?? 500)
    .execute();
  return rows.map(toClass);
}

/** The learners of a class, in the order they joined. */
export async function membersOf(db: Db, classId: number): Promise<ClassMember[]> {
  const rows = await db
    .selectFrom("class_members")
    .selectAll()
    .where("class_id", "=", classId)
    .orderBy("joined_at")
    .orderBy("ref")
    .execute();
  return rows.map(toMember);
}

/** How many learners a class has. */
export async function memberCount(db: Db, classId: number): Promise<number> {
  const row = await db
    .selectFrom("class_members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("class_id", "=", classId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The learner's membership of one class, if any. */
export async function membershipOf(db: Db, classId: number, address: Address): Promise<ClassMember | undefined> {
  const row = await db
    .selectFrom("class_members")
    .selectAll()
    .where("class_id", "=", classId)
    .where("address", "=", address)
    .executeTakeFirst();
  return row ? toMember(row) : undefined;
}

/** The learner named by a reference in a class (the console and the API name learners so). */
export async function memberByRef(db: Db, classId: number, ref: string): Promise<ClassMember | undefined> {
  const row = await db
    .selectFrom("class_members")
    .selectAll()
    .where("class_id", "=", classId)
    .where("ref", "=", ref)
    .executeTakeFirst();
  return row ? toMember(row) : undefined;
}

/** The active classes a person is in, the one joined last first. */
export async function classesOf(db: Db, address: Address): Promise<{ class: ClassRecord; member: ClassMember }[]> {
  const { rows } = await activeClassesOf(db, { address });
  return rows.map((row) => ({ class: toClass(row), member: toMember(row) }));
}

const activeClassesOf = prepared((db, p: { address: string }) =>
  db
    .selectFrom("class_members")
    .innerJoin("classes", "classes.id", "class_members.class_id")
    .selectAll("classes")
    .select([
      "class_members.class_id",
      "class_members.address",
      "class_members.display_name",
      "class_members.ref",
      "class_members.joined_at",
    ])
    .where("class_members.address", "=", p.address)
    .where("classes.status", "=", "active")
    .orderBy("class_members.joined_at", "desc"),
);

/**
 * Joins a person to the class with this code. Joining twice changes nothing (`already`); a full,
 * archived or expired class, or an unknown code, says so and stores nothing. Pass `lockClass` on
 * Postgres (`tx.dialect === "postgres"`) so a capacity holds when several join at once.
 *
 * @example
 * const outcome = await joinClass(tx.db, "K7F2Q", "telegram:42", now);
 * if (outcome.kind === "joined") console.log(outcome.class.name);
 */
export async function joinClass(
  db: Db,
  code: string,
  address: Address,
  now: Date,
  options: { lockClass?: boolean } = {},
): Promise<JoinOutcome> {
  // On Postgres two learners joining at once would both count a last free place: the class row is
  // locked first, so they take turns (SQLite writes one transaction at a time anyway).
  if (options.lockClass) {
    // The other learners' turns of a shared transaction are not kept apart by the row lock (shared-work.ts).
    await takeTurnsOn(db, `classes:${code}`);
    await db.selectFrom("classes").select("id").where("code", "=", code).forUpdate().execute();
  }
  const cls = await classByCode(db, code);
  if (!cls) return { kind: "unknown" };
  const existing = await membershipOf(db, cls.id, address);
  if (existing) return { kind: "already", class: cls, member: existing };
  if (cls.status === "archived") return { kind: "closed", class: cls };
  if (cls.codeExpiresAt && cls.codeExpiresAt <= now) return { kind: "expired", class: cls };
  if (cls.capacity !== null && (await memberCount(db, cls.id)) >= cls.capacity) return { kind: "full", class: cls };
  const member = {
    class_id: cls.id,
    address,
    display_name: null,
    ref: randomBytes(4).toString("hex"),
    joined_at: now.toISOString(),
  };
  // Two messages of the same person are handled one after the other, so a conflict here is a second
  // device racing the first: the row is the same either way.
  await db
    .insertInto("class_members")
    .values(member)
    .onConflict((oc) => oc.columns(["class_id", "address"]).doNothing())
    .execute();
  return { kind: "joined", class: cls, member: (await membershipOf(db, cls.id, address)) ?? toMember(member) };
}

/** Sets (or clears, with null) the name the learner chose for the class; at most 40 characters. */
export async function setMemberName(db: Db, classId: number, address: Address, name: string | null): Promise<void> {
  const clean = name === null ? null : [...name.replace(/\s+/g, " ").trim()].slice(0, 40).join("") || null;
  await db
    .updateTable("class_members")
    .set({ display_name: clean })
    .where("class_id", "=", classId)
    .where("address", "=", address)
    .execute();
}

/** Leaves a class; true when the person was in it. */
export async function leaveClass(db: Db, classId: number, address: Address): Promise<boolean> {
  const result = await db
    .deleteFrom("class_members")
    .where("class_id", "=", classId)
    .where("address", "=", address)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
