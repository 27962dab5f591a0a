/**
 * Classes in the staff console (`/staff/classes`, role teacher; admins see every class, a teacher only
 * their own, and another teacher's class is "not found"): the list with each class's progress and the
 * overall graduation rate, a new class, a class's page (join code and links, completion, learners,
 * sessions), edit, the printable handout, a new join code, archive and the CSV. Sessions, attendance
 * and class messages are in classes-sessions.tsx and classes-message.tsx. Changes go through
 * classes-actions.ts, as the API's do, and are audited.
 */
import { Hono } from "hono";
import type { App } from "../app.ts";
import { classListScope } from "../classes/access.ts";
import { classCsv } from "../classes/export.ts";
import { joinWays } from "../classes/join-links.ts";
import { classProgress, currentCourse, overallCompletion } from "../classes/progress.ts";
import { type ClassRecord, listClasses, memberCount } from "../classes/repository.ts";
import { nextClassSession } from "../classes/sessions.ts";
import { localDay } from "../domain/local-time.ts";
import { spreadsheetStyle } from "../stats/csv.ts";
import {
  allowedTeachers,
  archiveClassAsStaff,
  auditExport,
  createClassAsStaff,
  editClassAsStaff,
  renewCodeAsStaff,
  teacherChoices,
  viewerOf,
  visibleClass,
} from "./classes-actions.ts";
import { attendedCounts, sessionRows } from "./classes-data.ts";
import { ClassForm, readClassForm } from "./classes-form.tsx";
import {
  type ClassFields,
  classFieldsOf,
  classZone,
  emptyClassFields,
  type FieldError,
  parseClassFields,
} from "./classes-input.ts";
import { classFlash, classFromPath, noSuchClass } from "./classes-kit.ts";
import { registerMessagePages } from "./classes-message.tsx";
import { registerSessionPages } from "./classes-sessions.tsx";
import {
  ButtonForm,
  ClassFacts,
  CompletionTable,
  cityText,
  classStyle,
  completionText,
  courseTitle,
  dayText,
  JoinBox,
  LearnersTable,
  languagesText,
  SessionsTable,
  when,
} from "./classes-view.tsx";
import type { ConsoleEnv, StaffSession } from "./context.ts";
import { hasRole } from "./context.ts";
import { requireRole } from "./guard.ts";
import { Csrf, Page } from "./layout.tsx";
import { ct } from "./text.ts";

/**
 * The classes pages, mounted at `/staff/classes`.
 *
 * @example
 * staff.route("/classes", classPages(app));
 */
export function classPages(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  pages.use("*", requireRole("teacher"));
  const zoneOf = (cls: Pick<ClassRecord, "city">) => classZone(cls, app.defaultTimeZone);

  pages.get("/", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const now = app.clock.now();
    const archived = c.req.query("archived") === "1";
    const scope = classListScope(viewerOf(staff));
    const all = await listClasses(app.store.db, { ...scope, includeArchived: true });
    const shown = all.filter((cls) => (cls.status === "archived") === archived);
    const overall = await overallCompletion(app.store.db, app.content, all, now);
    const rows = await Promise.all(
      shown.map(async (cls) => {
        const zone = zoneOf(cls);
        const progress = await classProgress(app.store.db, app.content, cls, now);
        const next = await nextClassSession(app.store.db, cls.id, now);
        const current = currentCourse(cls.courses, localDay(now, zone));
        return { cls, zone, progress, next, current, learners: await memberCount(app.store.db, cls.id) };
      }),
    );
    return c.html(
      <Page
        title={ct(lang, archived ? "classes.list.archivedHeading" : "classes.list.heading")}
        staff={staff}
        path="/staff/classes"
        flash={classFlash(c)}
      >
        <p class="big">
          <strong>
            {ct(lang, "classes.list.overall", {
              count: overall.classes,
              learners: overall.of,
              completion: completionText(overall, lang),
            })}
          </strong>
        </p>
        <p class="hint">{ct(lang, "classes.list.overallHint")}</p>
        <p class="row" style="flex:0">
          {archived ? (
            <a href="/staff/classes">{ct(lang, "classes.list.showActive")}</a>
          ) : (
            <>
              <a class="button" href="/staff/classes/new">
                {ct(lang, "classes.list.new")}
              </a>
              <a href="/staff/classes?archived=1">{ct(lang, "classes.list.showArchived")}</a>
            </>
          )}
        </p>
        {rows.length === 0 ? (
          <p>{ct(lang, archived ? "classes.list.noneArchived" : "classes.list.none")}</p>
        ) : (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{ct(lang, "classes.list.name")}</th>
                  <th scope="col">{ct(lang, "classes.form.city")}</th>
                  <th scope="col">{ct(lang, "classes.form.languages")}</th>
                  <th scope="col" class="num">
                    {ct(lang, "classes.list.learners")}
                  </th>
                  <th scope="col">{ct(lang, "classes.list.course")}</th>
                  <th scope="col">{ct(lang, "classes.list.next")}</th>
                  <th scope="col" class="num">
                    {ct(lang, "classes.completion.programme")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`/staff/classes/${r.cls.id}`}>{r.cls.name}</a>
                    </th>
                    <td>{cityText(r.cls, lang)}</td>
                    <td>{languagesText(app.translator, r.cls.languages, lang)}</td>
                    <td class="num">{r.cls.capacity === null ? r.learners : `${r.learners} / ${r.cls.capacity}`}</td>
                    <td>{r.current ? courseTitle(app.content, r.current.course, lang) : "–"}</td>
                    <td>{r.next ? when(r.next.startsAt, r.zone, lang) : "–"}</td>
                    <td class="num">{completionText(r.progress.programme, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Page>,
    );
  });

  const renderForm = async (
    staff: StaffSession,
    form: { fields: ClassFields; rows: number },
    errors: FieldError[],
    cls?: ClassRecord,
  ) => {
    const lang = staff.language;
    const path = cls ? `/staff/classes/${cls.id}/edit` : "/staff/classes/new";
    return (
      <Page
        title={cls ? ct(lang, "classes.edit.heading", { name: cls.name }) : ct(lang, "classes.new.heading")}
        staff={staff}
        path={path}
      >
        {cls ? null : <p>{ct(lang, "classes.new.intro")}</p>}
        <ClassForm
          staff={staff}
          translator={app.translator}
          pack={app.content}
          mode={cls ? "edit" : "create"}
          action={path}
          fields={form.fields}
          rows={form.rows}
          errors={errors}
          teachers={await teacherChoices(app, staff)}
        />
      </Page>
    );
  };

  pages.get("/new", async (c) => {
    const staff = c.get("staff");
    const fields = { ...emptyClassFields(), teacher: staff.address === "admin-token" ? "" : staff.address };
    return c.html(await renderForm(staff, { fields, rows: 3 }, []));
  });

  pages.post("/new", async (c) => {
    const staff = c.get("staff");
    const form = readClassForm(await c.req.parseBody({ all: true }));
    if (form.action === "moreRows") return c.html(await renderForm(staff, form, []));
    const choices = await teacherChoices(app, staff);
    // A teacher's class is always their own, whatever the form says.
    const fields = choices ? form.fields : { ...form.fields, teacher: staff.address };
    const parsed = parseClassFields(fields, {
      pack: app.content,
      now: app.clock.now(),
      defaultTimeZone: app.defaultTimeZone,
      teachers: allowedTeachers(staff, choices),
    });
    if (!parsed.ok) return c.html(await renderForm(staff, form, parsed.errors), 400);
    const cls = await createClassAsStaff(app, staff, parsed.value);
    return c.redirect(`/staff/classes/${cls.id}?done=created`, 303);
  });

  pages.get("/:id{[0-9]+}", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const cls = await classFromPath(app, c);
    if (!cls) return noSuchClass(c);
    const now = app.clock.now();
    const zone = zoneOf(cls);
    const progress = await classProgress(app.store.db, app.content, cls, now);
    const sessions = await sessionRows(app.store.db, cls, now);
    const learners = await memberCount(app.store.db, cls.id);
    const base = `/staff/classes/${cls.id}`;
    const active = cls.status === "active";
    const expires = cls.codeExpiresAt
      ? dayText(localDay(new Date(cls.codeExpiresAt.getTime() - 1), zone), lang)
      : undefined;
    return c.html(
      <Page title={cls.name} staff={staff} path={base} flash={classFlash(c)}>
        <style>{classStyle}</style>
        {active ? null : (
          <p class="error">
            {ct(lang, "classes.detail.archived", { day: cls.archivedAt ? when(cls.archivedAt, zone, lang) : "" })}
          </p>
        )}
        <ClassFacts
          cls={cls}
          learners={learners}
          current={currentCourse(cls.courses, localDay(now, zone))?.course}
          pack={app.content}
          translator={app.translator}
          lang={lang}
          showTeacher={hasRole(staff, "admin")}
        />
        {active ? (
          <p class="row noprint" style="flex:0">
            <a class="button" href={`${base}/message`}>
              {ct(lang, "classes.detail.message")}
            </a>
            <a class="button secondary" href={`${base}/sessions/new`}>
              {ct(lang, "classes.detail.addSession")}
            </a>
            <a class="button secondary" href={`${base}/edit`}>
              {ct(lang, "classes.detail.edit")}
            </a>
            <a class="button secondary" href={`${base}/export.csv`} download>
              {ct(lang, "classes.detail.csv")}
            </a>
          </p>
        ) : (
          <p class="noprint">
            <a class="button secondary" href={`${base}/export.csv`} download>
              {ct(lang, "classes.detail.csv")}
            </a>
          </p>
        )}
        {active ? (
          <>
            <JoinBox code={cls.code} ways={joinWays(cls.code, app)} lang={lang} {...(expires ? { expires } : {})} />
            <p class="row noprint" style="flex:0;align-items:center">
              <a class="button secondary" href={`${base}/handout`}>
                {ct(lang, "classes.detail.handout")}
              </a>
              <ButtonForm
                staff={staff}
                action={`${base}/code`}
                label={ct(lang, "classes.detail.renew")}
                kind="secondary"
              />
            </p>
            <p class="hint">{ct(lang, "classes.detail.renewHint")}</p>
          </>
        ) : null}
        <h2>{ct(lang, "classes.completion.heading")}</h2>
        <p class="hint">{ct(lang, "classes.completion.caption")}</p>
        <CompletionTable progress={progress} pack={app.content} lang={lang} />
        <h2>{ct(lang, "classes.learners.heading")}</h2>
        <p class="hint">{ct(lang, "classes.learners.privacy")}</p>
        <LearnersTable progress={progress} pack={app.content} lang={lang} zone={zone} />
        <h2>{ct(lang, "classes.sessions.heading")}</h2>
        <p class="hint">{ct(lang, "classes.sessions.zone", { zone })}</p>
        <SessionsTable classId={cls.id} rows={sessions} lang={lang} zone={zone} />
        {active ? (
          <>
            <h2>{ct(lang, "classes.archive.heading")}</h2>
            <p>
              <a href={`${base}/archive`}>{ct(lang, "classes.detail.archive")}</a>
            </p>
          </>
        ) : null}
      </Page>,
    );
  });

  pages.get("/:id{[0-9]+}/edit", async (c) => {
    const cls = await classFromPath(app, c);
    if (!cls || cls.status === "archived") return noSuchClass(c);
    const fields = classFieldsOf(cls, app.defaultTimeZone);
    return c.html(await renderForm(c.get("staff"), { fields, rows: fields.courses.length + 2 }, [], cls));
  });

  pages.post("/:id{[0-9]+}/edit", async (c) => {
    const staff = c.get("staff");
    const cls = await classFromPath(app, c);
    if (!cls || cls.status === "archived") return noSuchClass(c);
    const form = readClassForm(await c.req.parseBody({ all: true }));
    if (form.action === "moreRows") return c.html(await renderForm(staff, form, [], cls));
    const choices = await teacherChoices(app, staff);
    const edited = await editClassAsStaff(app, staff, cls.id, (before) =>
      parseClassFields(choices ? form.fields : { ...form.fields, teacher: before.teacher ?? "" }, {
        pack: app.content,
        now: app.clock.now(),
        defaultTimeZone: app.defaultTimeZone,
        teachers: allowedTeachers(staff, choices, before.teacher),
        currentExpiry: before.codeExpiresAt,
      }),
    );
    if (!edited) return noSuchClass(c);
    if (!edited.ok) return c.html(await renderForm(staff, form, edited.errors, cls), 400);
    // A teacher who gave their class to someone else can no longer see it: back to the list.
    const stillVisible = await visibleClass(app.store.reader, staff, cls.id);
    const done = edited.changed.length === 0 ? "unchanged" : "saved";
    return c.redirect(stillVisible ? `/staff/classes/${cls.id}?done=${done}` : `/staff/classes?done=${done}`, 303);
  });

  pages.post("/:id{[0-9]+}/code", async (c) => {
    const cls = await renewCodeAsStaff(app, c.get("staff"), Number(c.req.param("id")));
    if (!cls) return noSuchClass(c);
    return c.redirect(`/staff/classes/${cls.id}?done=renewed`, 303);
  });

  pages.get("/:id{[0-9]+}/archive", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const cls = await classFromPath(app, c);
    if (!cls || cls.status === "archived") return noSuchClass(c);
    const base = `/staff/classes/${cls.id}`;
    return c.html(
      <Page title={ct(lang, "classes.archive.title", { name: cls.name })} staff={staff} path={`${base}/archive`}>
        <p>{ct(lang, "classes.archive.what")}</p>
        <p>{ct(lang, "classes.archive.kept", { days: app.classKeepDays })}</p>
        <form method="post" action={`${base}/archive`} class="row" style="flex:0">
          <Csrf staff={staff} />
          <button type="submit" class="danger">
            {ct(lang, "classes.archive.confirm")}
          </button>
          <a class="button secondary" href={base}>
            {ct(lang, "classes.archive.keep")}
          </a>
        </form>
      </Page>,
    );
  });

  pages.post("/:id{[0-9]+}/archive", async (c) => {
    const cls = await archiveClassAsStaff(app, c.get("staff"), Number(c.req.param("id")));
    if (!cls) return noSuchClass(c);
    return c.redirect(`/staff/classes/${cls.id}?done=archived`, 303);
  });

  pages.get("/:id{[0-9]+}/handout", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const cls = await classFromPath(app, c);
    if (!cls || cls.status === "archived") return noSuchClass(c);
    const base = `/staff/classes/${cls.id}`;
    return c.html(
      <Page title={cls.name} staff={staff} path={`${base}/handout`}>
        <style>{`${classStyle}@media print{main{max-width:none}.code{font-size:4rem}}`}</style>
        <p class="hint noprint">
          {ct(lang, "classes.handout.printHint")} <a href={base}>{ct(lang, "classes.handout.back")}</a>
        </p>
        <p class="big">{ct(lang, "classes.handout.intro", { name: cls.name })}</p>
        <JoinBox code={cls.code} ways={joinWays(cls.code, app)} lang={lang} />
        <p>{ct(lang, "classes.handout.sees")}</p>
        <p>{ct(lang, "classes.handout.leave")}</p>
      </Page>,
    );
  });

  pages.get("/:id{[0-9]+}/export.csv", async (c) => {
    const staff = c.get("staff");
    const cls = await classFromPath(app, c);
    if (!cls) return noSuchClass(c);
    const now = app.clock.now();
    const progress = await classProgress(app.store.db, app.content, cls, now);
    await auditExport(app, staff, cls.id, progress.learners.length);
    const csv = classCsv(
      progress,
      { timeZone: zoneOf(cls), attended: await attendedCounts(app.store.db, cls, now) },
      spreadsheetStyle(staff.language),
    );
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="class-${cls.id}.csv"`,
    });
  });

  registerSessionPages(pages, app);
  registerMessagePages(pages, app);
  return pages;
}
