/**
 * Classes in the staff console, signed in for real as a teacher: a class made in the form with two
 * courses in order (bad input refused naming the fields, keeping what was typed), changed; its page
 * with the join code and links and each learner's progress lesson by lesson; a session added (its
 * learners told), attendance marked; a message whose reach is shown before sending and that reaches
 * each learner in their language; the CSV without addresses; a new join code; archive.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classAttendance } from "../../src/classes/attendance.ts";
import { getClass, joinClass } from "../../src/classes/repository.ts";
import type { Address } from "../../src/domain/address.ts";
import { saveQuizResult, saveStep } from "../../src/learning/repository.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { type ConsoleClient, signedIn } from "../support/console.ts";
import { classForm, learnerIn } from "./classes-fixtures.ts";

let app: TestApp;
let teacher: ConsoleClient;

beforeEach(async () => {
  app = await createTestApp();
  teacher = await signedIn(app, "telegram:100", ["teacher"]);
});
afterEach(() => app.dispose());

/** Everything queued for an address, as text, after the due jobs ran. */
async function inbox(address: Address): Promise<string[]> {
  await app.scheduler.runDue(app.clock.now());
  return (await app.store.takeOutboxFor(address, app.clock.now())).map((o) =>
    "text" in o.outbound ? o.outbound.text : "",
  );
}

async function created() {
  const res = await teacher.post("/staff/classes/new", classForm());
  expect(res.status).toBe(303);
  const cls = await getClass(app.store.db, 1);
  if (!cls) throw new Error("no class");
  return cls;
}

const auditOf = async (prefix: string) =>
  (
    await app.store.db.selectFrom("audit_log").selectAll().where("action", "like", `${prefix}%`).orderBy("id").execute()
  ).map((a) => [a.actor, a.action, JSON.parse(a.detail)]);

describe("a class made in the console", () => {
  it("is stored with its courses in order and the teacher as its teacher, and listed with its code and links", async () => {
    const form = await (await teacher.get("/staff/classes/new")).text();
    expect(form).toContain('name="courses.0.course"');
    expect(form).toContain('type="date"');
    // A teacher does not choose the teacher: the class is theirs.
    expect(form).not.toContain('name="teacher"');

    const res = await teacher.post("/staff/classes/new", classForm());
    expect(res.headers.get("location")).toBe("/staff/classes/1?done=created");
    const cls = await getClass(app.store.db, 1);
    expect(cls).toMatchObject({
      name: "Tuesday group",
      city: "leipzig",
      languages: ["en", "ar"],
      courses: [
        { course: "phone-papers", startsOn: "2026-03-02", endsOn: "2026-03-31" },
        { course: "safe-online", startsOn: "2026-04-01", endsOn: null },
      ],
      capacity: null,
      codeExpiresAt: null,
      teacher: "telegram:100",
      status: "active",
    });
    expect(cls?.code).toMatch(/^[A-Z0-9]{5}$/);
    expect(await auditOf("class.")).toEqual([["telegram:100", "class.create", { classId: 1, courses: 2 }]]);

    const page = await (await teacher.get("/staff/classes/1?done=created")).text();
    expect(page).toContain(`<span aria-hidden="true">${cls?.code}</span>`);
    // No bot username or WhatsApp number configured: what to write instead of a link.
    expect(page).toContain(`Write to the Lotse bot: /start class_${cls?.code}`);
    expect(page).toContain(`Write to the Lotse bot: join ${cls?.code}`);
    expect(page).toContain(`http://localhost:3000/?start=class_${cls?.code}`);
    expect(page).toContain("Nobody has joined yet.");

    const list = await (await teacher.get("/staff/classes")).text();
    expect(list).toContain('<a href="/staff/classes/1">Tuesday group</a>');
    expect(list).toContain("Leipzig");
    expect(list).toContain("1 class, 0 learners");
    const nav = await (await teacher.get("/staff/classes")).text();
    expect(nav).toContain('href="/staff/classes" aria-current="page"');
    expect(nav).not.toContain('href="/staff/meetings"');
  });

  it("refuses a missing name, an unknown course and an end before the start, naming each field and keeping what was typed", async () => {
    const res = await teacher.post(
      "/staff/classes/new",
      classForm({
        name: "A",
        "courses.1.course": "no-such-course",
        "courses.0.endsOn": "2026-03-01",
        languages: [],
      }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("The name has 3 to 80 characters.");
    expect(html).toContain("“no-such-course” is not a course. Known: phone-papers");
    expect(html).toContain("The end date must not be before the start date.");
    expect(html).toContain("Choose at least one language.");
    expect(html).toContain('href="#f-courses-0-endsOn"');
    expect(html).toContain('value="2026-03-02"');
    expect(await app.store.db.selectFrom("classes").selectAll().execute()).toEqual([]);

    // "More rows" shows more course rows, keeping what was typed, and saves nothing.
    const more = await teacher.post("/staff/classes/new", classForm({ action: "moreRows" }));
    expect(more.status).toBe(200);
    const moreHtml = await more.text();
    expect(moreHtml).toContain('name="courses.5.course"');
    expect(moreHtml).toContain('value="Tuesday group"');
    expect(await app.store.db.selectFrom("classes").selectAll().execute()).toEqual([]);

    const api = await teacher.api("POST", "/api/classes", {
      name: "Tuesday group",
      city: "Berlin",
      languages: ["en"],
      courses: [{ course: "phone-papers", startsOn: "2026-13-01" }],
    });
    expect(api.status).toBe(400);
    const body = (await api.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(["city", "courses.0.startsOn"]);
    expect(body.errors[0]?.message).toContain("mainz (Mainz), leipzig (Leipzig)");
  });

  it("is changed in the edit form, with what changed in the audit log", async () => {
    await created();
    const edit = await (await teacher.get("/staff/classes/1/edit")).text();
    expect(edit).toContain('value="Tuesday group"');
    expect(edit).toMatch(/<option value="safe-online" selected/);
    const res = await teacher.post(
      "/staff/classes/1/edit",
      classForm({ name: "Tuesday group Leipzig", capacity: "12", "courses.2.course": "search-check" }),
    );
    expect(res.headers.get("location")).toBe("/staff/classes/1?done=saved");
    const cls = await getClass(app.store.db, 1);
    expect(cls?.name).toBe("Tuesday group Leipzig");
    expect(cls?.capacity).toBe(12);
    expect(cls?.courses.map((c) => c.course)).toEqual(["phone-papers", "safe-online", "search-check"]);
    expect((await auditOf("class.update"))[0]?.[2]).toEqual({ classId: 1, changed: ["name", "courses", "capacity"] });
    const again = await teacher.post(
      "/staff/classes/1/edit",
      classForm({ name: "Tuesday group Leipzig", capacity: "12", "courses.2.course": "search-check" }),
    );
    expect(again.headers.get("location")).toBe("/staff/classes/1?done=unchanged");
  });

  it("shows each learner by their chosen name or as Learner <ref>, with the right progress, quiz scores and flags", async () => {
    const cls = await created();
    const mina = await learnerIn(app, cls.code, "mina", "English", "Mina");
    const omar = await learnerIn(app, cls.code, "omar", "العربية");
    const sara = await learnerIn(app, cls.code, "sara", "English", "Sara");
    const now = app.clock.now();
    // Mina finished the whole first course (five lessons), with a quiz score on the first.
    for (const lesson of [
      "find-downloads",
      "scan-documents",
      "send-pdf",
      "translate-text-speech",
      "phone-storage-data",
    ])
      await saveQuizResult(
        app.store.db,
        mina.address,
        { lesson, score: lesson === "find-downloads" ? 4 : 5, total: 5 },
        now,
      );
    // Sara started a lesson eight days ago and did nothing since: stalled.
    await saveStep(app.store.db, sara.address, "find-downloads", 2, new Date(now.getTime() - 8 * 86_400_000));

    const page = await (await teacher.get("/staff/classes/1")).text();
    expect(page).toContain(">Mina</th>");
    expect(page).toContain(`>Learner ${omar.ref}</th>`);
    expect(page).toContain("5/9");
    expect(page).toContain("4/5");
    expect(page).toContain("Not started");
    expect(page).toContain("Stalled: nothing for 7 days");
    // Completion: Mina finished the first course (1 of 3), nobody the whole programme.
    expect(page).toContain("1 of 3 (33%)");
    expect(page).toContain("0 of 3 (0%)");
    for (const learner of [mina, omar, sara]) expect(page).not.toContain(learner.address);

    const api = await teacher.api("GET", "/api/classes/1");
    expect(api.status).toBe(200);
    const body = (await api.json()) as {
      class: { learners: number; currentCourse: string };
      progress: {
        learners: { ref: string; name: string | null; done: number; state: string; quiz: object }[];
        perCourse: { course: string; completion: { finished: number; of: number } }[];
      };
    };
    expect(body.class.learners).toBe(3);
    expect(body.class.currentCourse).toBe("phone-papers");
    expect(body.progress.learners.map((l) => [l.name ?? l.ref, l.done, l.state])).toEqual([
      ["Mina", 5, "active"],
      [omar.ref, 0, "not-started"],
      ["Sara", 0, "stalled"],
    ]);
    expect(body.progress.perCourse.map((c) => [c.course, c.completion.finished, c.completion.of])).toEqual([
      ["phone-papers", 1, 3],
      ["safe-online", 0, 3],
    ]);
    expect(JSON.stringify(body)).not.toContain("console:");
  });

  it("adds a session in the class's local time, tells its learners, and marks who came", async () => {
    const cls = await created();
    const mina = await learnerIn(app, cls.code, "mina", "English", "Mina");
    const omar = await learnerIn(app, cls.code, "omar", "العربية");
    await inbox(mina.address);
    await inbox(omar.address);

    const form = await (await teacher.get("/staff/classes/1/sessions/new")).text();
    expect(form).toContain('value="Tuesday group"');
    expect(form).toContain("Local time in Europe/Berlin.");
    const bad = await teacher.post("/staff/classes/1/sessions/new", {
      "title.en": "Week 1",
      date: "2026-03-01",
      time: "18:00",
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("This time has already passed");

    const res = await teacher.post("/staff/classes/1/sessions/new", {
      "title.en": "Week 1",
      "title.ar": "الأسبوع ١",
      date: "2026-03-10",
      time: "18:00",
      endTime: "19:30",
      minutes: "",
      place: "Stadtbibliothek, Raum 2",
      onlineUrl: "",
    });
    expect(res.headers.get("location")).toBe("/staff/classes/1?done=session");
    const meeting = await app.store.db.selectFrom("meetings").selectAll().executeTakeFirstOrThrow();
    expect([meeting.class_id, meeting.starts_at, meeting.ends_at, meeting.time_zone]).toEqual([
      1,
      "2026-03-10T17:00:00.000Z",
      "2026-03-10T18:30:00.000Z",
      "Europe/Berlin",
    ]);
    expect((await inbox(mina.address)).join("\n")).toContain("Week 1");
    expect((await inbox(omar.address)).join("\n")).toContain("الأسبوع ١");

    const page = await (await teacher.get("/staff/classes/1")).text();
    expect(page).toContain("Stadtbibliothek, Raum 2");
    expect(page).toContain(`href="/staff/classes/1/sessions/${meeting.id}"`);

    const attendance = await (await teacher.get(`/staff/classes/1/sessions/${meeting.id}`)).text();
    expect(attendance).toContain(`value="${mina.ref}"`);
    expect(attendance).toContain(`Learner ${omar.ref}`);
    const saved = await teacher.post(`/staff/classes/1/sessions/${meeting.id}`, {
      shown: [mina.ref, omar.ref],
      attended: [mina.ref],
    });
    expect(saved.headers.get("location")).toBe(`/staff/classes/1/sessions/${meeting.id}?done=attendance&n=1`);
    expect(await classAttendance(app.store.db, cls, meeting.id)).toEqual({ [mina.ref]: true, [omar.ref]: false });
    expect((await auditOf("class.")).map((a) => a[1])).toEqual(["class.create", "class.session", "class.attendance"]);

    // The API: unknown refs are named; known ones are set.
    const unknown = await teacher.api("PUT", `/api/classes/1/sessions/${meeting.id}/attendance`, {
      learners: [{ ref: "nobody", attended: true }],
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("learners.0.ref");
    const put = await teacher.api("PUT", `/api/classes/1/sessions/${meeting.id}/attendance`, {
      learners: [{ ref: omar.ref, attended: true }],
    });
    expect(await put.json()).toEqual({ changed: 1, attendance: { [mina.ref]: true, [omar.ref]: true } });
  });

  it("shows how many a message reaches, and each learner gets it in their language", async () => {
    const cls = await created();
    const mina = await learnerIn(app, cls.code, "mina", "English", "Mina");
    const omar = await learnerIn(app, cls.code, "omar", "العربية");
    await inbox(mina.address);
    await inbox(omar.address);
    const form = await (await teacher.get("/staff/classes/1/message")).text();
    expect(form).toContain("This message goes to 2 learners.");
    expect(form).toContain('name="texts.ar"');

    const empty = await teacher.post("/staff/classes/1/message", { "texts.en": " " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Write the message in at least one language.");

    const res = await teacher.post("/staff/classes/1/message", {
      "texts.en": "No class on Thursday.",
      "texts.ar": "لا يوجد درس يوم الخميس.",
    });
    expect(res.headers.get("location")).toBe("/staff/classes/1?done=sent&n=2");
    expect((await inbox(mina.address)).join("\n")).toContain("No class on Thursday.");
    const arabic = (await inbox(omar.address)).join("\n");
    expect(arabic).toContain("لا يوجد درس يوم الخميس.");
    expect(arabic).not.toContain("No class on Thursday.");
    expect((await auditOf("class.message"))[0]?.[2]).toMatchObject({ classId: 1, recipients: 2 });
  });

  it("exports a CSV with the learners' refs, chosen names and progress, and never an address", async () => {
    const cls = await created();
    const mina = await learnerIn(app, cls.code, "mina", "English", "Mina");
    const omar = await learnerIn(app, cls.code, "omar", "العربية");
    await saveQuizResult(app.store.db, mina.address, { lesson: "find-downloads", score: 4, total: 5 }, app.clock.now());
    const res = await teacher.get("/staff/classes/1/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csv = await res.text();
    const [header = "", first = "", second = ""] = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(header.split(",").slice(0, 9)).toEqual([
      "ref",
      "name",
      "joined",
      "state",
      "lessons_done",
      "lessons_total",
      "courses_finished",
      "last_active",
      "sessions_attended",
    ]);
    expect(header).toContain("lesson:find-downloads");
    expect(header).toContain("quiz_pct:find-downloads");
    expect(first.startsWith(`${mina.ref},Mina,2026-03-02,active,1,9,`)).toBe(true);
    expect(first).toContain(",80");
    expect(second.startsWith(`${omar.ref},,2026-03-02,not-started,0,9,`)).toBe(true);
    for (const address of [mina.address, omar.address, "console:", "telegram:"]) expect(csv).not.toContain(address);
    expect((await auditOf("class.export"))[0]?.[2]).toEqual({ classId: 1, rows: 2 });

    const api = await teacher.api("GET", "/api/classes/1/export.csv");
    expect(api.status).toBe(200);
    expect(await api.text()).not.toContain(mina.address);
  });

  it("renews the join code (the old one no longer lets anyone join) and archives after a confirmation", async () => {
    const cls = await created();
    const renewed = await teacher.post("/staff/classes/1/code");
    expect(renewed.headers.get("location")).toBe("/staff/classes/1?done=renewed");
    const now = (await getClass(app.store.db, 1))?.code;
    expect(now).not.toBe(cls.code);
    expect((await joinClass(app.store.db, cls.code, "console:late", app.clock.now())).kind).toBe("unknown");

    const confirm = await (await teacher.get("/staff/classes/1/archive")).text();
    expect(confirm).toContain("links to the class are removed");
    const archived = await teacher.post("/staff/classes/1/archive");
    expect(archived.headers.get("location")).toBe("/staff/classes/1?done=archived");
    expect((await getClass(app.store.db, 1))?.status).toBe("archived");
    expect((await joinClass(app.store.db, now ?? "", "console:late", app.clock.now())).kind).toBe("closed");
    const page = await (await teacher.get("/staff/classes/1")).text();
    expect(page).toContain("This class was archived on");
    expect(page).not.toContain('href="/staff/classes/1/message"');
    // Archived classes are behind their own link.
    expect(await (await teacher.get("/staff/classes")).text()).not.toContain('href="/staff/classes/1"');
    expect(await (await teacher.get("/staff/classes?archived=1")).text()).toContain('href="/staff/classes/1"');
    expect((await teacher.get("/staff/classes/1/edit")).status).toBe(404);
    const patch = await teacher.api("PATCH", "/api/classes/1", { name: "Still here" });
    expect(patch.status).toBe(400);
    expect(((await patch.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("id");
    expect((await teacher.api("GET", "/api/classes/1/export.csv")).status).toBe(200);
    expect((await teacher.api("POST", "/api/classes/1/archive")).status).toBe(200);
    expect((await auditOf("class.")).map((a) => a[1])).toEqual([
      "class.create",
      "class.renewCode",
      "class.archive",
      "class.export",
    ]);
  });

  it("shows on the staff overview as totals only: classes, learners, finished, rate (– under 5 learners)", async () => {
    const cls = await created();
    const mina = await learnerIn(app, cls.code, "mina", "English", "Mina");
    await learnerIn(app, cls.code, "omar", "العربية");
    for (const lesson of ["find-downloads", "scan-documents", "send-pdf", "translate-text-speech"])
      await saveQuizResult(app.store.db, mina.address, { lesson, score: 5, total: 5 }, app.clock.now());
    const staff = await signedIn(app, "telegram:400", ["staff"]);
    const html = await (await staff.get("/staff")).text();
    const section = html.slice(
      html.indexOf('id="classes-heading"'),
      html.indexOf("</section>", html.indexOf('id="classes-heading"')),
    );
    expect(section).toContain('Classes now</th><td class="num">1</td>');
    expect(section).toContain('Learners (archived classes too)</th><td class="num">2</td>');
    expect(section).toContain('Finished the whole programme</th><td class="num">0</td>');
    expect(section).toContain('Graduation rate</th><td class="num">–</td>');
    expect(html).not.toContain("Tuesday group");
    expect(html).not.toContain("Mina");
    expect(html).not.toContain(mina.ref);
    // Plain staff do not reach the classes themselves.
    expect((await staff.get("/staff/classes")).status).toBe(403);
  });
});
