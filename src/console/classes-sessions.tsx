/**
 * A class's sessions in the console: "Add session" (a title in the teacher's and the class's
 * languages, the local date and time in the class's zone as the meetings form reads them, an address
 * or an online link) and a session's page where the teacher ticks who came. A session is a meeting
 * only the class sees: its learners are told and asked whether they come (src/classes/sessions.ts).
 */
import type { Context, Hono } from "hono";
import type { App } from "../app.ts";
import { classAttendance } from "../classes/attendance.ts";
import type { ClassRecord } from "../classes/repository.ts";
import { membersOf } from "../classes/repository.ts";
import { languageByCode } from "../domain/languages.ts";
import {
  emptyFields,
  type FieldError,
  type MeetingFields,
  onlineCity,
  parseMeetingFields,
} from "../meetings/console-input.ts";
import { addSessionAsStaff, attendanceAsStaff, sessionOf } from "./classes-actions.ts";
import { sessionAnswers } from "./classes-data.ts";
import { classZone } from "./classes-input.ts";
import { classFlash, classFromPath, noSuchClass } from "./classes-kit.ts";
import { learnerName, placeText, when } from "./classes-view.tsx";
import type { ConsoleEnv, ConsoleLanguage, StaffSession } from "./context.ts";
import { type FormBody, many, one } from "./form-body.ts";
import { Csrf, Page } from "./layout.tsx";
import { languageName } from "./meetings-form.tsx";
import { ct } from "./text.ts";

type Ctx = Context<ConsoleEnv>;

/** The title columns of a session: the teacher's language first, then the class's languages. */
function titleColumns(cls: ClassRecord, lang: ConsoleLanguage): string[] {
  return [...new Set([lang, ...cls.languages])].filter((code) => languageByCode(code) !== undefined);
}

/** The session form's fields from a posted body, read as a meeting of the class's city and zone. */
function readSessionForm(body: FormBody, cls: ClassRecord, zone: string, columns: readonly string[]): MeetingFields {
  return {
    ...emptyFields(),
    title: Object.fromEntries(columns.map((code) => [code, one(body, `title.${code}`)])),
    date: one(body, "date"),
    time: one(body, "time"),
    endTime: one(body, "endTime"),
    minutes: one(body, "minutes"),
    city: cls.city ?? onlineCity,
    timeZone: zone,
    place: one(body, "place"),
    onlineUrl: one(body, "onlineUrl"),
  };
}

const idOf = (field: string) => `f-${field.replace(/\./g, "-")}`;

function ErrorText(props: { errors: readonly FieldError[]; field: string; lang: ConsoleLanguage }) {
  const mine = props.errors.filter((e) => e.field === props.field);
  if (mine.length === 0) return null;
  return (
    <p class="error" id={`${idOf(props.field)}-error`}>
      {mine.map((e) => ct(props.lang, e.key, e.params)).join(" ")}
    </p>
  );
}

function invalid(errors: readonly FieldError[], field: string) {
  return errors.some((e) => e.field === field)
    ? { "aria-invalid": "true", "aria-describedby": `${idOf(field)}-error` }
    : {};
}

function SessionForm(props: {
  staff: StaffSession;
  app: App;
  cls: ClassRecord;
  zone: string;
  columns: readonly string[];
  fields: MeetingFields;
  errors: readonly FieldError[];
}) {
  const { staff, fields, errors, zone } = props;
  const lang = staff.language;
  const field = (name: "date" | "time" | "endTime" | "minutes") => (
    <div>
      <label for={idOf(name)}>{ct(lang, `classes.sessionForm.${name}`)}</label>
      <input
        type={name === "date" ? "date" : name === "minutes" ? "number" : "time"}
        id={idOf(name)}
        name={name}
        value={fields[name]}
        {...(name === "minutes" ? { min: 5, max: 1440, step: 5 } : {})}
        {...invalid(errors, name)}
      />
      <ErrorText errors={errors} field={name} lang={lang} />
    </div>
  );
  return (
    <form method="post" action={`/staff/classes/${props.cls.id}/sessions/new`} class="stack" novalidate>
      <Csrf staff={staff} />
      {errors.length > 0 ? (
        <div class="error" role="alert">
          <p>{ct(lang, "classes.form.errorsIntro")}</p>
          <ul>
            {errors.map((e) => (
              <li>
                <a href={`#${idOf(e.field)}`}>{ct(lang, e.key, e.params)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <fieldset id={idOf("title")}>
        <legend>{ct(lang, "classes.sessionForm.title")}</legend>
        <p class="hint">{ct(lang, "classes.sessionForm.titleHint")}</p>
        <ErrorText errors={errors} field="title" lang={lang} />
        {props.columns.map((code) => (
          <div>
            <label for={idOf(`title.${code}`)}>{languageName(props.app.translator, code, lang)}</label>
            <input
              id={idOf(`title.${code}`)}
              name={`title.${code}`}
              value={fields.title[code] ?? ""}
              maxlength={72}
              lang={code}
              dir={languageByCode(code)?.direction ?? "ltr"}
              {...invalid(errors, `title.${code}`)}
            />
            <ErrorText errors={errors} field={`title.${code}`} lang={lang} />
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>{ct(lang, "classes.sessionForm.when")}</legend>
        <p class="hint">{ct(lang, "classes.sessionForm.whenHint", { zone })}</p>
        <div class="row">
          {field("date")}
          {field("time")}
        </div>
        <div class="row">
          {field("endTime")}
          {field("minutes")}
        </div>
        <p class="hint">{ct(lang, "classes.sessionForm.endHint")}</p>
      </fieldset>
      <fieldset>
        <legend>{ct(lang, "classes.sessionForm.where")}</legend>
        <label for={idOf("place")}>{ct(lang, "classes.sessionForm.place")}</label>
        <input id={idOf("place")} name="place" value={fields.place} maxlength={300} {...invalid(errors, "place")} />
        <ErrorText errors={errors} field="place" lang={lang} />
        <label for={idOf("onlineUrl")}>{ct(lang, "classes.sessionForm.onlineUrl")}</label>
        <input
          type="url"
          id={idOf("onlineUrl")}
          name="onlineUrl"
          value={fields.onlineUrl}
          {...invalid(errors, "onlineUrl")}
        />
        <ErrorText errors={errors} field="onlineUrl" lang={lang} />
      </fieldset>
      <p class="hint">{ct(lang, "classes.sessionForm.told")}</p>
      <div>
        <button type="submit">{ct(lang, "classes.sessionForm.create")}</button>
      </div>
    </form>
  );
}

/**
 * Adds the session pages to the classes router: `/:id/sessions/new` and `/:id/sessions/:meetingId`.
 *
 * @example
 * registerSessionPages(pages, app);
 */
export function registerSessionPages(pages: Hono<ConsoleEnv>, app: App): void {
  const renderNew = (staff: StaffSession, cls: ClassRecord, fields: MeetingFields, errors: FieldError[]) => {
    const zone = classZone(cls, app.defaultTimeZone);
    const path = `/staff/classes/${cls.id}/sessions/new`;
    return (
      <Page title={ct(staff.language, "classes.sessionForm.heading", { name: cls.name })} staff={staff} path={path}>
        <SessionForm
          staff={staff}
          app={app}
          cls={cls}
          zone={zone}
          columns={titleColumns(cls, staff.language)}
          fields={fields}
          errors={errors}
        />
      </Page>
    );
  };

  pages.get("/:id{[0-9]+}/sessions/new", async (c) => {
    const staff = c.get("staff");
    const cls = await classFromPath(app, c);
    if (!cls || cls.status === "archived") return noSuchClass(c);
    const fields = { ...emptyFields(), title: { [staff.language]: cls.name } };
    return c.html(renderNew(staff, cls, fields, []));
  });

  pages.post("/:id{[0-9]+}/sessions/new", async (c) => {
    const staff = c.get("staff");
    const cls = await classFromPath(app, c);
    if (!cls || cls.status === "archived") return noSuchClass(c);
    const zone = classZone(cls, app.defaultTimeZone);
    const fields = readSessionForm(await c.req.parseBody({ all: true }), cls, zone, titleColumns(cls, staff.language));
    const parsed = parseMeetingFields(fields, { now: app.clock.now(), defaultTimeZone: zone });
    if (!parsed.ok) return c.html(renderNew(staff, cls, fields, parsed.errors), 400);
    const { title, startsAt, endsAt, timeZone, place, onlineUrl } = parsed.meeting;
    const meeting = await addSessionAsStaff(app, staff, cls.id, {
      title,
      startsAt,
      endsAt,
      timeZone,
      place,
      onlineUrl,
    });
    if (!meeting) return noSuchClass(c);
    return c.redirect(`/staff/classes/${cls.id}?done=session`, 303);
  });

  const sessionFromPath = async (c: Ctx) => {
    const cls = await classFromPath(app, c);
    if (!cls) return undefined;
    const meeting = await sessionOf(app.store.reader, cls, Number(c.req.param("meetingId")), app.clock.now());
    return meeting ? { cls, meeting } : undefined;
  };

  pages.get("/:id{[0-9]+}/sessions/:meetingId{[0-9]+}", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const found = await sessionFromPath(c);
    if (!found) return noSuchClass(c);
    const { cls, meeting } = found;
    const zone = classZone(cls, app.defaultTimeZone);
    const members = await membersOf(app.store.db, cls.id);
    const marks = await classAttendance(app.store.db, cls, meeting.id);
    const answers = await sessionAnswers(app.store.db, cls, meeting.id);
    const base = `/staff/classes/${cls.id}`;
    return c.html(
      <Page
        title={ct(lang, "classes.attendance.heading", { name: cls.name })}
        staff={staff}
        path={`${base}/sessions/${meeting.id}`}
        flash={classFlash(c)}
      >
        <p>
          <strong>{when(meeting.startsAt, zone, lang)}</strong> · {placeText(meeting)}
        </p>
        <p>
          <a href={base}>{ct(lang, "classes.attendance.back")}</a>
        </p>
        {members.length === 0 ? (
          <p>{ct(lang, "classes.learners.none")}</p>
        ) : (
          <form method="post" action={`${base}/sessions/${meeting.id}`}>
            <Csrf staff={staff} />
            <div class="scroll">
              <table>
                <caption class="muted" style="text-align:start">
                  {ct(lang, "classes.attendance.caption")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{ct(lang, "classes.attendance.came")}</th>
                    <th scope="col">{ct(lang, "classes.learners.learner")}</th>
                    <th scope="col">{ct(lang, "classes.attendance.answer")}</th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((m) => {
                    const name = learnerName({ name: m.displayName, ref: m.ref }, lang);
                    const came = marks[m.ref] === true;
                    const answer = answers[m.ref];
                    return (
                      <tr>
                        <td>
                          <input type="hidden" name="shown" value={m.ref} />
                          {came ? <input type="hidden" name="was" value={m.ref} /> : null}
                          <input
                            type="checkbox"
                            id={`came-${m.ref}`}
                            name="attended"
                            value={m.ref}
                            checked={came}
                            aria-label={ct(lang, "classes.attendance.cameLabel", { name })}
                          />
                        </td>
                        <th scope="row" style="font-weight:400">
                          <label for={`came-${m.ref}`} style="font-weight:400">
                            {name}
                          </label>
                        </th>
                        <td>{answer ? ct(lang, `classes.attendance.answers.${answer}`) : "–"}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <p>
              <button type="submit">{ct(lang, "classes.attendance.save")}</button>
            </p>
          </form>
        )}
      </Page>,
    );
  });

  pages.post("/:id{[0-9]+}/sessions/:meetingId{[0-9]+}", async (c) => {
    const found = await sessionFromPath(c);
    if (!found) return noSuchClass(c);
    const { cls, meeting } = found;
    const body = await c.req.parseBody({ all: true });
    const ticked = new Set(many(body, "attended"));
    // Only what this page changed: two phones in the room must not undo each other's ticks.
    const before = new Set(many(body, "was"));
    const marks = many(body, "shown")
      .filter((ref) => ticked.has(ref) !== before.has(ref))
      .map((ref) => ({ ref, attended: ticked.has(ref) }));
    const result = await attendanceAsStaff(app, c.get("staff"), cls.id, meeting.id, marks);
    if (!result) return noSuchClass(c);
    return c.redirect(`/staff/classes/${cls.id}/sessions/${meeting.id}?done=attendance&n=${result.changed}`, 303);
  });
}
