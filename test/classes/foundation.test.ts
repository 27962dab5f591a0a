/**
 * The class foundation on both databases: join codes, joining (twice, full, expired, archived,
 * unknown), leaving, the teacher's progress view with its not-started and stalled learners, the
 * completion per course and of the programme, who may see a class, and the unlinking of an archived
 * class's learners with its counts kept.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canSeeClass, classListScope } from "../../src/classes/access.ts";
import { unlinkArchivedClasses } from "../../src/classes/archive.ts";
import { newJoinCode, normalizeJoinCode } from "../../src/classes/codes.ts";
import { classProgress, currentCourse, keptTotals, overallCompletion } from "../../src/classes/progress.ts";
import {
  archiveClass,
  type ClassRecord,
  createClass,
  joinClass,
  leaveClass,
  listClasses,
  membersOf,
  setMemberName,
} from "../../src/classes/repository.ts";
import type { Address } from "../../src/domain/address.ts";
import { saveQuizResult, saveStep } from "../../src/learning/repository.ts";
import { answerMeeting, createMeeting } from "../../src/meetings/repository.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";

const day = 86_400_000;
const teacher = "telegram:100" as Address;
const amina = "telegram:201" as Address;
const olena = "whatsapp:4915100000002" as Address;
const karim = "web:karim-device" as Address;

describe("join codes", () => {
  it("are five characters nobody can misread, and typed codes are read as stored", () => {
    for (let i = 0; i < 200; i++) expect(newJoinCode()).toMatch(/^[ACDEFGHJKMNPQRTUVWXY234679]{5}$/);
    expect(normalizeJoinCode(" k7f-2q ")).toBe("K7F2Q");
    expect(normalizeJoinCode("K7F ۲Q")).toBe("K7F2Q");
    expect(normalizeJoinCode("K7F2")).toBeUndefined();
    expect(normalizeJoinCode("K0F2Q")).toBeUndefined();
    // What phones and keyboards add: a direction mark, a joiner, full-width letters, quotes, look-alikes.
    expect(normalizeJoinCode("\u200fK7F2Q\u200c")).toBe("K7F2Q");
    expect(normalizeJoinCode("Ｋ７Ｆ２Ｑ")).toBe("K7F2Q");
    expect(normalizeJoinCode("«K7F2Q»")).toBe("K7F2Q");
    expect(normalizeJoinCode("К7F2Q")).toBe("K7F2Q"); // Cyrillic К
    expect(normalizeJoinCode("Κ7F2Q")).toBe("K7F2Q"); // Greek Κ
  });
});

describe.each(backends)("classes on %s", (backend) => {
  let app: TestApp;
  let cls: ClassRecord;
  beforeEach(async () => {
    app = await createTestApp(backend);
    cls = await createClass(
      app.store.db,
      {
        name: "Tuesday group",
        city: "leipzig",
        languages: ["fa", "uk"],
        courses: [
          { course: "safe-online", startsOn: "2026-03-01", endsOn: "2026-03-31" },
          { course: "phone-papers", startsOn: "2026-04-01", endsOn: null },
        ],
        capacity: 2,
        codeExpiresAt: null,
        teacher,
      },
      app.clock.now(),
    );
  });
  afterEach(() => app.dispose());

  const finishLesson = async (address: Address, lesson: string, at: Date) => {
    await saveStep(app.store.db, address, lesson, 1, at);
    await saveQuizResult(app.store.db, address, { lesson, score: 3, total: 4 }, at);
  };

  it("joins once: a second join changes nothing, a full class says so and stores nothing", async () => {
    const now = app.clock.now();
    expect((await joinClass(app.store.db, cls.code, amina, now)).kind).toBe("joined");
    const again = await joinClass(app.store.db, cls.code, amina, now);
    expect(again.kind).toBe("already");
    expect((await joinClass(app.store.db, cls.code, olena, now)).kind).toBe("joined");
    expect((await joinClass(app.store.db, cls.code, karim, now)).kind).toBe("full");
    expect((await membersOf(app.store.db, cls.id)).map((m) => m.address).sort()).toEqual([amina, olena].sort());
    expect((await joinClass(app.store.db, "QQQQQ", karim, now)).kind).toBe("unknown");
  });

  it("keeps the capacity when two learners take the last place at once (regression: both joined on Postgres)", async () => {
    const now = app.clock.now();
    await joinClass(app.store.db, cls.code, amina, now);
    const joinSlowly = (who: Address) =>
      app.store.transaction(async (tx) => {
        await tx.lockUser(who, "Europe/Berlin", now);
        const outcome = await joinClass(tx.db, cls.code, who, now, { lockClass: tx.dialect === "postgres" });
        // Another message being handled: the transaction stays open a moment after counting.
        await new Promise((resolve) => setTimeout(resolve, 200));
        return outcome.kind;
      });
    const kinds = await Promise.all([joinSlowly(olena), joinSlowly(karim)]);
    expect(kinds.sort()).toEqual(["full", "joined"]);
    expect(await membersOf(app.store.db, cls.id)).toHaveLength(2);
  });

  it("refuses an expired code and an archived class, but tells a member they are already in", async () => {
    const now = app.clock.now();
    await joinClass(app.store.db, cls.code, amina, now);
    const expiring = await createClass(
      app.store.db,
      { ...cls, codeExpiresAt: new Date(now.getTime() - 1), capacity: null },
      now,
    );
    expect((await joinClass(app.store.db, expiring.code, olena, now)).kind).toBe("expired");
    await archiveClass(app.store.db, cls.id, now);
    expect((await joinClass(app.store.db, cls.code, olena, now)).kind).toBe("closed");
    expect((await joinClass(app.store.db, cls.code, amina, now)).kind).toBe("already");
  });

  it("shows the teacher progress per lesson, not-started and stalled learners, and completion", async () => {
    const now = app.clock.now();
    await joinClass(app.store.db, cls.code, amina, new Date(now.getTime() - 60_000));
    await joinClass(app.store.db, cls.code, olena, now);
    await setMemberName(app.store.db, cls.id, amina, "  Amina   R. ");
    // Amina finishes the whole first course today; Olena started a lesson ten days ago and stopped.
    for (const lesson of app.content.lessonsOf("safe-online").map((l) => l.id)) await finishLesson(amina, lesson, now);
    await saveStep(app.store.db, olena, "strong-passwords", 2, new Date(now.getTime() - 10 * day));

    const view = await classProgress(app.store.db, app.content, cls, now);
    expect(view.lessons).toHaveLength(
      app.content.lessonsOf("safe-online").length + app.content.lessonsOf("phone-papers").length,
    );
    const [a, o] = view.learners;
    expect(a?.name).toBe("Amina R.");
    expect(a?.done).toBe(4);
    expect(a?.finishedCourses).toEqual(["safe-online"]);
    expect(a?.quiz["strong-passwords"]).toEqual({ score: 3, total: 4 });
    expect(a?.state).toBe("active");
    expect(o?.name).toBeNull();
    expect(o?.lessons["strong-passwords"]).toBe("started");
    expect(o?.state).toBe("stalled");
    expect(view.perCourse).toEqual([
      { course: "safe-online", completion: { finished: 1, of: 2, rate: 0.5 } },
      { course: "phone-papers", completion: { finished: 0, of: 2, rate: 0 } },
    ]);
    expect(view.programme).toEqual({ finished: 0, of: 2, rate: 0 });

    for (const lesson of app.content.lessonsOf("phone-papers").map((l) => l.id)) await finishLesson(amina, lesson, now);
    const after = await classProgress(app.store.db, app.content, cls, now);
    expect(after.learners[0]?.state).toBe("finished");
    expect(after.programme).toEqual({ finished: 1, of: 2, rate: 0.5 });
  });

  it("counts a learner who never opened a lesson as not started, and one who left not at all", async () => {
    const now = app.clock.now();
    await joinClass(app.store.db, cls.code, amina, now);
    await joinClass(app.store.db, cls.code, olena, now);
    expect((await classProgress(app.store.db, app.content, cls, now)).learners.map((l) => l.state)).toEqual([
      "not-started",
      "not-started",
    ]);
    expect(await leaveClass(app.store.db, cls.id, olena)).toBe(true);
    expect(await leaveClass(app.store.db, cls.id, olena)).toBe(false);
    expect((await classProgress(app.store.db, app.content, cls, now)).learners).toHaveLength(1);
  });

  it("lets only the class's teacher and admins see it", async () => {
    expect(canSeeClass({ address: teacher, roles: ["teacher"] }, cls)).toBe(true);
    expect(canSeeClass({ address: "telegram:999" as Address, roles: ["teacher"] }, cls)).toBe(false);
    expect(canSeeClass({ address: "telegram:999" as Address, roles: ["admin"] }, cls)).toBe(true);
    expect(canSeeClass({ address: teacher, roles: ["counsellor"] }, cls)).toBe(false);
    expect(canSeeClass({ address: teacher, roles: ["staff"] }, cls)).toBe(false);
    const other = await createClass(app.store.db, { ...cls, teacher: "telegram:999" as Address }, app.clock.now());
    const own = await listClasses(app.store.db, classListScope({ address: teacher, roles: ["teacher"] }));
    expect(own.map((c) => c.id)).toEqual([cls.id]);
    const all = await listClasses(app.store.db, classListScope({ address: teacher, roles: ["admin"] }));
    expect(all.map((c) => c.id)).toEqual([other.id, cls.id]);
  });

  it("names the course the class is on by its planned dates", () => {
    expect(currentCourse(cls.courses, "2026-02-20")?.course).toBe("safe-online");
    expect(currentCourse(cls.courses, "2026-03-02")?.course).toBe("safe-online");
    expect(currentCourse(cls.courses, "2026-04-02")?.course).toBe("phone-papers");
  });

  it("unlinks an archived class's learners after the kept period and keeps its counts", async () => {
    const now = app.clock.now();
    await joinClass(app.store.db, cls.code, amina, now);
    await joinClass(app.store.db, cls.code, olena, now);
    for (const c of cls.courses)
      for (const lesson of app.content.lessonsOf(c.course)) await finishLesson(amina, lesson.id, now);
    // Amina said yes to a session of the class: her answer is a link to the class too.
    const session = await createMeeting(
      app.store.db,
      {
        title: { en: "Week 1" },
        description: { en: "Week 1" },
        startsAt: new Date(now.getTime() + 200 * day),
        endsAt: new Date(now.getTime() + 200 * day + 3_600_000),
        timeZone: "Europe/Berlin",
        place: "Library",
        mapUrl: null,
        onlineUrl: null,
        city: "leipzig",
        languages: [],
        capacity: null,
        classId: cls.id,
      },
      teacher,
      now,
    );
    await answerMeeting(app.store.db, session, amina, "yes", now);
    await archiveClass(app.store.db, cls.id, now);
    // Not yet: archived today, kept 90 days.
    expect(await unlinkArchivedClasses(app.store.db, app.content, new Date(now.getTime() - 90 * day), now)).toBe(0);
    const later = new Date(now.getTime() + 91 * day);
    expect(await unlinkArchivedClasses(app.store.db, app.content, new Date(later.getTime() - 90 * day), later)).toBe(2);
    expect(await membersOf(app.store.db, cls.id)).toEqual([]);
    expect(await app.store.db.selectFrom("rsvps").selectAll().execute()).toEqual([]);
    expect(await keptTotals(app.store.db, cls.id)).toEqual({
      learners: 2,
      finishedProgramme: 1,
      finishedPerCourse: { "safe-online": 1, "phone-papers": 1 },
    });
    const archived = await listClasses(app.store.db, { includeArchived: true });
    expect(await overallCompletion(app.store.db, app.content, archived, later)).toEqual({
      finished: 1,
      of: 2,
      rate: 0.5,
      classes: 1,
    });
  });
});
