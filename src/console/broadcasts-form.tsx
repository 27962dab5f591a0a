/**
 * The console's broadcast form: the message in several languages side by side (one text box per
 * language, more added with a select and a button, no script), the language for everyone else, the
 * audience as ticked boxes (cities, languages, channels, course progress) or a meeting's guests, and
 * when to send: now, or a local date and time in a chosen zone. Three buttons: show reach and
 * preview, send, and (per language) remove.
 */

import { audienceChannels } from "../broadcasts/audience-filter.ts";
import type { DraftProblem } from "../broadcasts/draft.ts";
import { maxTextLength, scheduleZones } from "../broadcasts/draft.ts";
import type { Course } from "../content/schema.ts";
import { cities } from "../domain/cities.ts";
import { languageByCode, languages } from "../domain/languages.ts";
import type { Translator } from "../i18n/index.ts";
import { pickText } from "../i18n/index.ts";
import type { BroadcastForm } from "./broadcasts-input.ts";
import type { ConsoleLanguage, StaffSession } from "./context.ts";
import { Csrf } from "./layout.tsx";
import { languageName } from "./meetings-form.tsx";
import { ct } from "./text.ts";

/** A meeting staff may send to the guests of. */
export interface MeetingChoice {
  id: number;
  title: string;
  when: string;
}

/** Properties of {@link BroadcastFormView}. */
export interface BroadcastFormProps {
  staff: StaffSession;
  translator: Translator;
  form: BroadcastForm;
  problems: readonly DraftProblem[];
  courses: readonly Course[];
  meetings: readonly MeetingChoice[];
}

/** The element a problem's field is shown at. */
export const fieldId = (field: string): string => `f-${field.replace(/\./g, "-")}`;

/**
 * A problem in the console's language.
 *
 * @example
 * problemText("de", { field: "audience.cities", code: "unknown", value: "Mainz", allowed: ["mainz"] });
 */
export function problemText(lang: ConsoleLanguage, problem: DraftProblem): string {
  const field = ct(lang, `broadcasts.field.${problem.field.split(".")[0] === "texts" ? "texts" : problem.field}`);
  return ct(lang, `broadcasts.problem.${problem.code}`, {
    field,
    value: problem.value ?? "",
    allowed: (problem.allowed ?? []).join(", "),
    max: maxTextLength,
  });
}

function Problems(props: { problems: readonly DraftProblem[]; field: string; lang: ConsoleLanguage }) {
  const mine = props.problems.filter((p) => p.field === props.field);
  if (mine.length === 0) return null;
  return (
    <p class="error" id={`${fieldId(props.field)}-error`}>
      {mine.map((p) => problemText(props.lang, p)).join(" ")}
    </p>
  );
}

function invalid(problems: readonly DraftProblem[], field: string) {
  return problems.some((p) => p.field === field)
    ? { "aria-invalid": "true", "aria-describedby": `${fieldId(field)}-error` }
    : {};
}

function Summary(props: { problems: readonly DraftProblem[]; lang: ConsoleLanguage }) {
  if (props.problems.length === 0) return null;
  return (
    <div class="error" role="alert">
      <p>{ct(props.lang, "broadcasts.form.errorsIntro")}</p>
      <ul>
        {props.problems.map((p) => (
          <li>
            <a href={`#${fieldId(p.field)}`}>{problemText(props.lang, p)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A group of checkboxes with one name. */
function Boxes(props: {
  legend: string;
  hint?: string;
  name: string;
  field: string;
  options: { value: string; label: string; lang?: string }[];
  checked: readonly string[];
  problems: readonly DraftProblem[];
  lang: ConsoleLanguage;
}) {
  return (
    <fieldset id={fieldId(props.field)} {...invalid(props.problems, props.field)}>
      <legend>{props.legend}</legend>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <div class="row" style="gap:4px 16px">
        {props.options.map((o, i) => (
          <label style="font-weight:400;flex:0 1 auto" for={`${fieldId(props.field)}-${i}`}>
            <input
              type="checkbox"
              id={`${fieldId(props.field)}-${i}`}
              name={props.name}
              value={o.value}
              checked={props.checked.includes(o.value)}
            />{" "}
            <span lang={o.lang}>{o.label}</span>
          </label>
        ))}
      </div>
      <Problems problems={props.problems} field={props.field} lang={props.lang} />
    </fieldset>
  );
}

/**
 * The form for a new broadcast.
 *
 * @example
 * <BroadcastFormView staff={staff} translator={app.translator} form={emptyBroadcastForm("Europe/Berlin")} problems={[]} courses={app.content.courses} meetings={[]} />
 */
export function BroadcastFormView(props: BroadcastFormProps) {
  const { staff, form, problems } = props;
  const lang = staff.language;
  const { draft } = form;
  const name = (code: string) => languageName(props.translator, code, lang);
  const addable = languages.filter((l) => !form.columns.includes(l.code));
  const courseTitle = (c: Course) => pickText(c.title, lang).text;
  return (
    <form method="post" action="/staff/broadcasts/new" class="stack" style="max-width:none" novalidate>
      <Csrf staff={staff} />
      {/* Enter in a field sends the form with its first button: make that the harmless preview (off screen, out of the tab order). */}
      <button type="submit" name="action" value="preview" class="skip" tabindex={-1}>
        {ct(lang, "broadcasts.form.preview")}
      </button>
      <Summary problems={problems} lang={lang} />
      <input type="hidden" name="langs" value={form.columns.join(",")} />

      <fieldset id={fieldId("texts")}>
        <legend>{ct(lang, "broadcasts.form.texts")}</legend>
        <p class="hint">{ct(lang, "broadcasts.form.textsHint", { max: maxTextLength })}</p>
        <Problems problems={problems} field="texts" lang={lang} />
        <div class="row">
          {form.columns.map((code) => {
            const field = `texts.${code}`;
            const dir = languageByCode(code)?.direction ?? "ltr";
            return (
              <div>
                <label for={fieldId(field)}>{ct(lang, "broadcasts.form.textIn", { language: name(code) })}</label>
                <textarea
                  id={fieldId(field)}
                  name={`text.${code}`}
                  rows={6}
                  lang={code}
                  dir={dir}
                  maxlength={maxTextLength}
                  {...invalid(problems, field)}
                >
                  {draft.texts[code] ?? ""}
                </textarea>
                <Problems problems={problems} field={field} lang={lang} />
                {form.columns.length > 1 ? (
                  <button type="submit" name="action" value={`remove.${code}`} class="secondary">
                    {ct(lang, "broadcasts.form.remove", { language: name(code) })}
                  </button>
                ) : null}
              </div>
            );
          })}
        </div>
        {addable.length > 0 ? (
          <div class="row" style="align-items:end;margin-top:8px">
            <div>
              <label for="f-addLanguage">{ct(lang, "broadcasts.form.addLanguage")}</label>
              <select id="f-addLanguage" name="addLanguage">
                {addable.map((l) => (
                  <option value={l.code}>{name(l.code)}</option>
                ))}
              </select>
            </div>
            <div>
              <button type="submit" name="action" value="addLanguage" class="secondary">
                {ct(lang, "broadcasts.form.addLanguageButton")}
              </button>
            </div>
          </div>
        ) : null}
        <label for={fieldId("defaultLanguage")}>{ct(lang, "broadcasts.form.defaultLanguage")}</label>
        <select
          id={fieldId("defaultLanguage")}
          name="defaultLanguage"
          aria-describedby="f-defaultLanguage-hint"
          {...invalid(problems, "defaultLanguage")}
        >
          {form.columns.map((code) => (
            <option value={code} selected={draft.defaultLanguage === code}>
              {name(code)}
            </option>
          ))}
        </select>
        <p class="hint" id="f-defaultLanguage-hint">
          {ct(lang, "broadcasts.form.defaultLanguageHint")}
        </p>
        <Problems problems={problems} field="defaultLanguage" lang={lang} />
      </fieldset>

      <fieldset>
        <legend>{ct(lang, "broadcasts.form.audience")}</legend>
        <p class="hint">{ct(lang, "broadcasts.form.audienceHint")}</p>
        <Boxes
          legend={ct(lang, "broadcasts.field.audience.cities")}
          name="cities"
          field="audience.cities"
          options={[
            ...cities.map((c) => ({ value: c.id, label: c.name })),
            { value: "other", label: ct(lang, "broadcasts.form.otherCity") },
          ]}
          checked={draft.audience.cities}
          problems={problems}
          lang={lang}
        />
        <Boxes
          legend={ct(lang, "broadcasts.field.audience.languages")}
          name="languages"
          field="audience.languages"
          options={languages.map((l) => ({ value: l.code, label: name(l.code) }))}
          checked={draft.audience.languages}
          problems={problems}
          lang={lang}
        />
        <Boxes
          legend={ct(lang, "broadcasts.field.audience.channels")}
          name="channels"
          field="audience.channels"
          options={audienceChannels.map((c) => ({ value: c, label: ct(lang, `broadcasts.channel.${c}`) }))}
          checked={draft.audience.channels}
          problems={problems}
          lang={lang}
        />
        <Boxes
          legend={ct(lang, "broadcasts.field.audience.progress")}
          hint={ct(lang, "broadcasts.form.progressHint")}
          name="progress"
          field="audience.progress"
          options={[
            { value: "none", label: ct(lang, "broadcasts.progress.none") },
            ...props.courses.flatMap((c) => [
              { value: `started:${c.id}`, label: ct(lang, "broadcasts.progress.started", { course: courseTitle(c) }) },
              {
                value: `finished:${c.id}`,
                label: ct(lang, "broadcasts.progress.finished", { course: courseTitle(c) }),
              },
            ]),
          ]}
          checked={draft.audience.progress}
          problems={problems}
          lang={lang}
        />
        <label for={fieldId("audience.meetingId")}>{ct(lang, "broadcasts.field.audience.meetingId")}</label>
        <select
          id={fieldId("audience.meetingId")}
          name="meetingId"
          aria-describedby="f-audience-meetingId-hint"
          {...invalid(problems, "audience.meetingId")}
        >
          <option value="" selected={draft.audience.meetingId === null}>
            {ct(lang, "broadcasts.form.noMeeting")}
          </option>
          {props.meetings.map((m) => (
            <option value={String(m.id)} selected={draft.audience.meetingId === m.id}>
              {`${m.when} · ${m.title}`}
            </option>
          ))}
        </select>
        <p class="hint" id="f-audience-meetingId-hint">
          {ct(lang, "broadcasts.form.meetingHint")}
        </p>
        <Problems problems={problems} field="audience.meetingId" lang={lang} />
      </fieldset>

      <fieldset>
        <legend>{ct(lang, "broadcasts.form.when")}</legend>
        <div>
          <label style="font-weight:400" for="f-when-now">
            <input type="radio" id="f-when-now" name="when" value="now" checked={draft.when.kind === "now"} />{" "}
            {ct(lang, "broadcasts.form.now")}
          </label>
          <label style="font-weight:400" for="f-when-at">
            <input type="radio" id="f-when-at" name="when" value="at" checked={draft.when.kind === "at"} />{" "}
            {ct(lang, "broadcasts.form.at")}
          </label>
        </div>
        <div class="row">
          <div>
            <label for={fieldId("when.date")}>{ct(lang, "broadcasts.form.date")}</label>
            <input
              type="date"
              id={fieldId("when.date")}
              name="date"
              value={form.date}
              {...invalid(problems, "when.date")}
            />
            <Problems problems={problems} field="when.date" lang={lang} />
          </div>
          <div>
            <label for="f-when-time">{ct(lang, "broadcasts.form.time")}</label>
            <input type="time" id="f-when-time" name="time" value={form.time} />
          </div>
          <div>
            <label for={fieldId("when.timeZone")}>{ct(lang, "broadcasts.form.timeZone")}</label>
            <select id={fieldId("when.timeZone")} name="timeZone" {...invalid(problems, "when.timeZone")}>
              {[...new Set([form.timeZone, ...scheduleZones()])].map((zone) => (
                <option value={zone} selected={form.timeZone === zone}>
                  {zone}
                </option>
              ))}
            </select>
            <Problems problems={problems} field="when.timeZone" lang={lang} />
          </div>
        </div>
      </fieldset>

      <div class="row" style="flex-wrap:wrap">
        <button type="submit" name="action" value="preview" class="secondary" style="flex:0 1 auto">
          {ct(lang, "broadcasts.form.preview")}
        </button>
        <button type="submit" name="action" value="send" style="flex:0 1 auto">
          {ct(lang, "broadcasts.form.send")}
        </button>
      </div>
    </form>
  );
}
