/**
 * The class form of the console, without script: a name, the city from our list (or online), the
 * class's languages as boxes to tick, the courses in order as rows of a course list and two optional
 * dates (empty rows are ignored; "more rows" adds some), optional places and an optional last day for
 * the join code, and for admins the teacher. Whatever was typed comes back unchanged after an error.
 */
import type { ContentPack } from "../content/pack.ts";
import type { Address } from "../domain/address.ts";
import { cities } from "../domain/cities.ts";
import { languages } from "../domain/languages.ts";
import type { Translator } from "../i18n/index.ts";
import { type ClassFields, type CourseRow, type FieldError, onlineClass } from "./classes-input.ts";
import { courseTitle } from "./classes-view.tsx";
import type { ConsoleLanguage, StaffSession } from "./context.ts";
import { type FormBody, many, one } from "./form-body.ts";
import { Csrf } from "./layout.tsx";
import { languageName } from "./meetings-form.tsx";
import { ct } from "./text.ts";

/** A teacher an admin may choose. */
export interface TeacherChoice {
  address: Address;
  name: string | null;
}

/** At most this many course rows (a class follows a few courses, not dozens). */
const maxRows = 20;

/**
 * The form's content from a posted body: the fields, how many course rows to show, and the button.
 *
 * @example
 * const form = readClassForm(await c.req.parseBody({ all: true }));
 */
export function readClassForm(body: FormBody): { fields: ClassFields; rows: number; action: string } {
  const shown = Math.min(maxRows, Math.max(1, Number.parseInt(one(body, "rows"), 10) || 3));
  const courses: CourseRow[] = Array.from({ length: shown }, (_, i) => ({
    course: one(body, `courses.${i}.course`),
    startsOn: one(body, `courses.${i}.startsOn`),
    endsOn: one(body, `courses.${i}.endsOn`),
  }));
  const action = one(body, "action");
  const fields: ClassFields = {
    name: one(body, "name"),
    city: one(body, "city"),
    languages: many(body, "languages"),
    courses,
    capacity: one(body, "capacity"),
    codeExpiresOn: one(body, "codeExpiresOn"),
    teacher: one(body, "teacher"),
  };
  return { fields, rows: action === "moreRows" ? Math.min(maxRows, shown + 3) : shown, action };
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

/** Where an error's link in the summary leads: its field, or the group it belongs to. */
function anchorOf(field: string): string {
  return field === "courses" ? "f-courses" : idOf(field);
}

function ErrorSummary(props: { errors: readonly FieldError[]; lang: ConsoleLanguage }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="error" role="alert">
      <p>{ct(props.lang, "classes.form.errorsIntro")}</p>
      <ul>
        {props.errors.map((e) => (
          <li>
            <a href={`#${anchorOf(e.field)}`}>{ct(props.lang, e.key, e.params)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function CourseRows(props: {
  fields: ClassFields;
  rows: number;
  pack: ContentPack;
  errors: readonly FieldError[];
  lang: ConsoleLanguage;
}) {
  const { lang, errors } = props;
  const count = Math.max(props.rows, props.fields.courses.length);
  return (
    <fieldset id="f-courses">
      <legend>{ct(lang, "classes.form.courses")}</legend>
      <p class="hint">{ct(lang, "classes.form.coursesHint")}</p>
      <ErrorText errors={errors} field="courses" lang={lang} />
      <input type="hidden" name="rows" value={String(count)} />
      {Array.from({ length: count }, (_, i) => {
        const row = props.fields.courses[i] ?? { course: "", startsOn: "", endsOn: "" };
        const field = (name: string) => `courses.${i}.${name}`;
        return (
          <fieldset>
            <legend>{ct(lang, "classes.form.courseNumber", { n: i + 1 })}</legend>
            <div class="row">
              <div>
                <label for={idOf(field("course"))}>{ct(lang, "classes.form.course")}</label>
                <select id={idOf(field("course"))} name={field("course")} {...invalid(errors, field("course"))}>
                  <option value="" selected={row.course === ""}>
                    {ct(lang, "classes.form.noCourse")}
                  </option>
                  {props.pack.courses.map((c) => (
                    <option value={c.id} selected={row.course === c.id}>
                      {courseTitle(props.pack, c.id, lang)}
                    </option>
                  ))}
                </select>
                <ErrorText errors={errors} field={field("course")} lang={lang} />
              </div>
              <div>
                <label for={idOf(field("startsOn"))}>{ct(lang, "classes.form.startsOn")}</label>
                <input
                  type="date"
                  id={idOf(field("startsOn"))}
                  name={field("startsOn")}
                  value={row.startsOn}
                  {...invalid(errors, field("startsOn"))}
                />
                <ErrorText errors={errors} field={field("startsOn")} lang={lang} />
              </div>
              <div>
                <label for={idOf(field("endsOn"))}>{ct(lang, "classes.form.endsOn")}</label>
                <input
                  type="date"
                  id={idOf(field("endsOn"))}
                  name={field("endsOn")}
                  value={row.endsOn}
                  {...invalid(errors, field("endsOn"))}
                />
                <ErrorText errors={errors} field={field("endsOn")} lang={lang} />
              </div>
            </div>
          </fieldset>
        );
      })}
      {count < maxRows ? (
        <p>
          <button type="submit" name="action" value="moreRows" class="secondary">
            {ct(lang, "classes.form.moreRows")}
          </button>
        </p>
      ) : null}
    </fieldset>
  );
}

/** Properties of {@link ClassForm}. */
export interface ClassFormProps {
  staff: StaffSession;
  translator: Translator;
  pack: ContentPack;
  mode: "create" | "edit";
  action: string;
  fields: ClassFields;
  rows: number;
  errors: readonly FieldError[];
  /** Admins: the teachers to choose from; absent for a teacher (the class is theirs). */
  teachers?: readonly TeacherChoice[] | undefined;
}

/**
 * The form for a new class or a change to one.
 *
 * @example
 * <ClassForm staff={staff} translator={app.translator} pack={app.content} mode="create" action="/staff/classes/new" fields={emptyClassFields()} rows={3} errors={[]} />
 */
export function ClassForm(props: ClassFormProps) {
  const { staff, fields, errors } = props;
  const lang = staff.language;
  const save = ct(lang, props.mode === "create" ? "classes.form.create" : "classes.form.save");
  return (
    <form method="post" action={props.action} class="stack" novalidate>
      <Csrf staff={staff} />
      {/* Enter in a text field sends the form with its first button: make that "save", not "more rows". */}
      <button type="submit" name="action" value="save" class="skip" tabindex={-1}>
        {save}
      </button>
      <ErrorSummary errors={errors} lang={lang} />
      <div>
        <label for="f-name">{ct(lang, "classes.form.name")}</label>
        <input id="f-name" name="name" value={fields.name} maxlength={80} required {...invalid(errors, "name")} />
        <p class="hint">{ct(lang, "classes.form.nameHint")}</p>
        <ErrorText errors={errors} field="name" lang={lang} />
      </div>
      <div>
        <label for="f-city">{ct(lang, "classes.form.city")}</label>
        <select id="f-city" name="city" {...invalid(errors, "city")}>
          <option value="" selected={fields.city === ""}>
            {ct(lang, "classes.form.chooseCity")}
          </option>
          {cities.map((c) => (
            <option value={c.id} selected={fields.city === c.id}>
              {c.name}
            </option>
          ))}
          <option value={onlineClass} selected={fields.city === onlineClass}>
            {ct(lang, "classes.form.online")}
          </option>
        </select>
        <ErrorText errors={errors} field="city" lang={lang} />
      </div>
      <fieldset id="f-languages">
        <legend>{ct(lang, "classes.form.languages")}</legend>
        <p class="hint">{ct(lang, "classes.form.languagesHint")}</p>
        {languages.map((l) => (
          <label style="font-weight:400;display:inline-block;margin-inline-end:12px">
            <input type="checkbox" name="languages" value={l.code} checked={fields.languages.includes(l.code)} />{" "}
            <span>{languageName(props.translator, l.code, lang)}</span>
          </label>
        ))}
        <ErrorText errors={errors} field="languages" lang={lang} />
      </fieldset>
      <CourseRows fields={fields} rows={props.rows} pack={props.pack} errors={errors} lang={lang} />
      <div class="row">
        <div>
          <label for="f-capacity">{ct(lang, "classes.form.capacity")}</label>
          <input
            type="number"
            id="f-capacity"
            name="capacity"
            min={1}
            value={fields.capacity}
            aria-describedby="f-capacity-hint"
            {...invalid(errors, "capacity")}
          />
          <p class="hint" id="f-capacity-hint">
            {ct(lang, "classes.form.capacityHint")}
          </p>
          <ErrorText errors={errors} field="capacity" lang={lang} />
        </div>
        <div>
          <label for="f-codeExpiresOn">{ct(lang, "classes.form.codeExpiresOn")}</label>
          <input
            type="date"
            id="f-codeExpiresOn"
            name="codeExpiresOn"
            value={fields.codeExpiresOn}
            aria-describedby="f-codeExpiresOn-hint"
            {...invalid(errors, "codeExpiresOn")}
          />
          <p class="hint" id="f-codeExpiresOn-hint">
            {ct(lang, "classes.form.codeExpiresHint")}
          </p>
          <ErrorText errors={errors} field="codeExpiresOn" lang={lang} />
        </div>
      </div>
      {props.teachers ? (
        <div>
          <label for="f-teacher">{ct(lang, "classes.form.teacher")}</label>
          <select id="f-teacher" name="teacher" {...invalid(errors, "teacher")}>
            <option value="" selected={fields.teacher === ""}>
              {ct(lang, "classes.form.noTeacher")}
            </option>
            {props.teachers.map((t) => (
              <option value={t.address} selected={fields.teacher === t.address}>
                {t.name ? `${t.name} (${t.address})` : t.address}
              </option>
            ))}
          </select>
          <p class="hint">{ct(lang, "classes.form.teacherHint")}</p>
          <ErrorText errors={errors} field="teacher" lang={lang} />
        </div>
      ) : null}
      <div>
        <button type="submit" name="action" value="save">
          {save}
        </button>
      </div>
    </form>
  );
}
