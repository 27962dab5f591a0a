/**
 * The meeting form of the console: title and description in several languages side by side (one
 * column per language, more added with a select and a button, no script), a local date and time
 * read in the city's time zone, a city from the list or "online, for everyone" with a zone, and on
 * a new meeting the choice to announce it, with how many people that reaches before anything is saved.
 */
import { cities } from "../domain/cities.ts";
import { languageByCode, languages } from "../domain/languages.ts";
import type { Translator } from "../i18n/index.ts";
import type { AnnouncementReach } from "../meetings/announce.ts";
import { type FieldError, type MeetingFields, onlineCity } from "../meetings/console-input.ts";
import type { ConsoleLanguage, StaffSession } from "./context.ts";
import { Csrf } from "./layout.tsx";
import { ct } from "./text.ts";

/** The text columns every new meeting offers: English, German, Arabic, Dari, Ukrainian. */
export const defaultColumns = ["en", "de", "ar", "prs", "uk"] as const;

/**
 * A language as staff read it: its name in the console's language (from the chat's own list of
 * language names) and in itself.
 *
 * @example
 * languageName(app.translator, "prs", "de"); // "Dari · دری"
 */
export function languageName(translator: Translator, code: string, lang: ConsoleLanguage): string {
  const own = languageByCode(code)?.nativeName ?? code;
  const named = translator.words(lang, `languageNames.${code}`)[0];
  return !named || named === own ? `${own} (${code})` : `${named} · ${own}`;
}

/** The zones an online meeting may be in: our cities' zones and the default, without repeats. */
export function zoneChoices(defaultTimeZone: string): string[] {
  return [...new Set([defaultTimeZone, ...cities.map((c) => c.timeZone), "UTC"])];
}

/** Properties of {@link MeetingForm}. */
export interface MeetingFormProps {
  staff: StaffSession;
  translator: Translator;
  mode: "create" | "edit";
  action: string;
  fields: MeetingFields;
  /** The text columns shown, in order. */
  columns: readonly string[];
  errors: readonly FieldError[];
  defaultTimeZone: string;
  /** New meetings: who an announcement reaches, by city. */
  reach?: AnnouncementReach | undefined;
  announce?: boolean;
  /** Edits: how many guests hear of a new time or place. */
  guests?: number;
}

const idOf = (field: string) => `f-${field.replace(/\./g, "-")}`;

function FieldErrorText(props: { errors: readonly FieldError[]; field: string; lang: ConsoleLanguage }) {
  const mine = props.errors.filter((e) => e.field === props.field);
  if (mine.length === 0) return null;
  return (
    <p class="error" id={`${idOf(props.field)}-error`}>
      {mine.map((e) => ct(props.lang, e.key, e.params)).join(" ")}
    </p>
  );
}

/** aria attributes linking a field to its error. */
function invalidAttrs(errors: readonly FieldError[], field: string) {
  return errors.some((e) => e.field === field)
    ? { "aria-invalid": "true", "aria-describedby": `${idOf(field)}-error` }
    : {};
}

function TextColumn(props: {
  code: string;
  name: string;
  fields: MeetingFields;
  errors: readonly FieldError[];
  lang: ConsoleLanguage;
}) {
  const { code, lang, errors } = props;
  const language = languageByCode(code);
  const dir = language?.direction ?? "ltr";
  return (
    <fieldset lang={code} dir={dir}>
      <legend lang={lang} dir="ltr">
        {props.name}
      </legend>
      <label for={idOf(`title.${code}`)} lang={lang} dir="ltr">
        {ct(lang, "meetings.form.title")}
      </label>
      <input
        id={idOf(`title.${code}`)}
        name={`title.${code}`}
        value={props.fields.title[code] ?? ""}
        maxlength={72}
        {...invalidAttrs(errors, `title.${code}`)}
      />
      <FieldErrorText errors={errors} field={`title.${code}`} lang={lang} />
      <label for={idOf(`description.${code}`)} lang={lang} dir="ltr">
        {ct(lang, "meetings.form.description")}
      </label>
      <textarea
        id={idOf(`description.${code}`)}
        name={`description.${code}`}
        rows={4}
        maxlength={2000}
        {...invalidAttrs(errors, `description.${code}`)}
      >
        {props.fields.description[code] ?? ""}
      </textarea>
      <FieldErrorText errors={errors} field={`description.${code}`} lang={lang} />
    </fieldset>
  );
}

function ErrorSummary(props: { errors: readonly FieldError[]; lang: ConsoleLanguage }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="error" role="alert">
      <p>{ct(props.lang, "meetings.form.errorsIntro")}</p>
      <ul>
        {props.errors.map((e) => (
          <li>
            <a href={`#${idOf(e.field)}`}>{ct(props.lang, e.key, e.params)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Reach(props: { reach: AnnouncementReach; lang: ConsoleLanguage; city: string }) {
  const { reach, lang } = props;
  return (
    <div id="reach">
      <p class="hint">{ct(lang, "meetings.form.reachIntro")}</p>
      <ul class="hint">
        {cities.map((c) => (
          <li>
            {props.city === c.id ? <strong>{c.name}</strong> : c.name}:{" "}
            {ct(lang, "meetings.form.people", { count: reach.byCity[c.id] ?? 0 })}
          </li>
        ))}
        <li>
          {props.city === onlineCity ? (
            <strong>{ct(lang, "meetings.form.online")}</strong>
          ) : (
            ct(lang, "meetings.form.online")
          )}
          : {ct(lang, "meetings.form.people", { count: reach.everyone })}
        </li>
      </ul>
    </div>
  );
}

/**
 * The form for a new meeting or a change to one.
 *
 * @example
 * <MeetingForm staff={staff} mode="create" action="/staff/meetings/new" fields={emptyFields()} columns={defaultColumns} errors={[]} defaultTimeZone="Europe/Berlin" />
 */
export function MeetingForm(props: MeetingFormProps) {
  const { staff, fields, errors } = props;
  const lang = staff.language;
  const addable = languages.filter((l) => !props.columns.includes(l.code));
  const city = fields.city || (props.mode === "create" ? "" : onlineCity);
  return (
    <form method="post" action={props.action} class="stack" style="max-width:none" novalidate>
      <Csrf staff={staff} />
      {/* Enter in a text field sends the form with its first button: make that "save". */}
      <button type="submit" name="action" value="save" class="skip" tabindex={-1}>
        {ct(lang, props.mode === "create" ? "meetings.form.create" : "meetings.form.save")}
      </button>
      <ErrorSummary errors={errors} lang={lang} />
      <input type="hidden" name="langs" value={props.columns.join(",")} />
      <fieldset>
        <legend>{ct(lang, "meetings.form.texts")}</legend>
        <p class="hint">{ct(lang, "meetings.form.textsHint")}</p>
        <FieldErrorText errors={errors} field="title" lang={lang} />
        <div class="row" id={idOf("title")}>
          {props.columns.map((code) => (
            <TextColumn
              code={code}
              name={languageName(props.translator, code, lang)}
              fields={fields}
              errors={errors}
              lang={lang}
            />
          ))}
        </div>
        {addable.length > 0 ? (
          <div class="row" style="align-items:end;margin-top:8px">
            <div>
              <label for="f-addLanguage">{ct(lang, "meetings.form.addLanguage")}</label>
              <select id="f-addLanguage" name="addLanguage">
                {addable.map((l) => (
                  <option value={l.code}>{languageName(props.translator, l.code, lang)}</option>
                ))}
              </select>
            </div>
            <div>
              <button type="submit" name="action" value="addLanguage" class="secondary">
                {ct(lang, "meetings.form.addLanguageButton")}
              </button>
            </div>
          </div>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>{ct(lang, "meetings.form.when")}</legend>
        <p class="hint">{ct(lang, "meetings.form.whenHint")}</p>
        <div class="row">
          <div>
            <label for="f-date">{ct(lang, "meetings.form.date")}</label>
            <input type="date" id="f-date" name="date" value={fields.date} required {...invalidAttrs(errors, "date")} />
            <FieldErrorText errors={errors} field="date" lang={lang} />
          </div>
          <div>
            <label for="f-time">{ct(lang, "meetings.form.time")}</label>
            <input type="time" id="f-time" name="time" value={fields.time} required {...invalidAttrs(errors, "time")} />
            <FieldErrorText errors={errors} field="time" lang={lang} />
          </div>
          <div>
            <label for="f-endTime">{ct(lang, "meetings.form.endTime")}</label>
            <input
              type="time"
              id="f-endTime"
              name="endTime"
              value={fields.endTime}
              {...invalidAttrs(errors, "endTime")}
            />
            <FieldErrorText errors={errors} field="endTime" lang={lang} />
          </div>
          <div>
            <label for="f-minutes">{ct(lang, "meetings.form.minutes")}</label>
            <input
              type="number"
              id="f-minutes"
              name="minutes"
              min={5}
              max={1440}
              step={5}
              value={fields.minutes}
              {...invalidAttrs(errors, "minutes")}
            />
            <FieldErrorText errors={errors} field="minutes" lang={lang} />
          </div>
        </div>
        <p class="hint">{ct(lang, "meetings.form.endHint")}</p>
      </fieldset>

      <fieldset>
        <legend>{ct(lang, "meetings.form.where")}</legend>
        <div class="row">
          <div>
            <label for="f-city">{ct(lang, "meetings.form.city")}</label>
            <select id="f-city" name="city" {...invalidAttrs(errors, "city")}>
              {props.mode === "create" ? (
                <option value="" selected={city === ""}>
                  {ct(lang, "meetings.form.chooseCity")}
                </option>
              ) : null}
              {cities.map((c) => (
                <option value={c.id} selected={city === c.id}>
                  {`${c.name} (${c.timeZone})`}
                </option>
              ))}
              <option value={onlineCity} selected={city === onlineCity}>
                {ct(lang, "meetings.form.online")}
              </option>
            </select>
            <FieldErrorText errors={errors} field="city" lang={lang} />
          </div>
          <div>
            <label for="f-timeZone">{ct(lang, "meetings.form.timeZone")}</label>
            <select id="f-timeZone" name="timeZone" aria-describedby="f-timeZone-hint">
              {zoneChoices(props.defaultTimeZone).map((zone) => (
                <option value={zone} selected={(fields.timeZone || props.defaultTimeZone) === zone}>
                  {zone}
                </option>
              ))}
            </select>
            <p class="hint" id="f-timeZone-hint">
              {ct(lang, "meetings.form.timeZoneHint")}
            </p>
            <FieldErrorText errors={errors} field="timeZone" lang={lang} />
          </div>
        </div>
        <label for="f-place">{ct(lang, "meetings.form.place")}</label>
        <input id="f-place" name="place" value={fields.place} maxlength={300} {...invalidAttrs(errors, "place")} />
        <FieldErrorText errors={errors} field="place" lang={lang} />
        <div class="row">
          <div>
            <label for="f-mapUrl">{ct(lang, "meetings.form.mapUrl")}</label>
            <input type="url" id="f-mapUrl" name="mapUrl" value={fields.mapUrl} {...invalidAttrs(errors, "mapUrl")} />
            <FieldErrorText errors={errors} field="mapUrl" lang={lang} />
          </div>
          <div>
            <label for="f-onlineUrl">{ct(lang, "meetings.form.onlineUrl")}</label>
            <input
              type="url"
              id="f-onlineUrl"
              name="onlineUrl"
              value={fields.onlineUrl}
              {...invalidAttrs(errors, "onlineUrl")}
            />
            <FieldErrorText errors={errors} field="onlineUrl" lang={lang} />
          </div>
        </div>
      </fieldset>

      <fieldset>
        <legend>{ct(lang, "meetings.form.guests")}</legend>
        <label for="f-capacity">{ct(lang, "meetings.form.capacity")}</label>
        <input
          type="number"
          id="f-capacity"
          name="capacity"
          min={1}
          value={fields.capacity}
          aria-describedby="f-capacity-hint"
          {...invalidAttrs(errors, "capacity")}
        />
        <p class="hint" id="f-capacity-hint">
          {ct(lang, "meetings.form.capacityHint")}
        </p>
        <FieldErrorText errors={errors} field="capacity" lang={lang} />
        <fieldset id="f-languages">
          <legend>{ct(lang, "meetings.form.spoken")}</legend>
          {languages.map((l) => (
            <label style="font-weight:400;display:inline-block;margin-inline-end:12px">
              <input
                type="checkbox"
                name="spoken"
                value={l.nativeName}
                checked={fields.languages.includes(l.nativeName)}
              />{" "}
              <span lang={l.code}>{l.nativeName}</span>
            </label>
          ))}
          <FieldErrorText errors={errors} field="languages" lang={lang} />
        </fieldset>
      </fieldset>

      {props.mode === "create" && props.reach ? (
        <fieldset>
          <legend>{ct(lang, "meetings.form.announceLegend")}</legend>
          <input type="hidden" name="announceShown" value="1" />
          <label style="font-weight:400">
            <input
              type="checkbox"
              name="announce"
              value="1"
              checked={props.announce ?? true}
              aria-describedby="reach"
            />{" "}
            <strong>{ct(lang, "meetings.form.announce")}</strong>
          </label>
          <Reach reach={props.reach} lang={lang} city={fields.city} />
        </fieldset>
      ) : null}
      {props.mode === "edit" ? (
        <p class="hint">{ct(lang, "meetings.form.guestsTold", { count: props.guests ?? 0 })}</p>
      ) : null}
      <div>
        <button type="submit" name="action" value="save">
          {ct(lang, props.mode === "create" ? "meetings.form.create" : "meetings.form.save")}
        </button>
      </div>
    </form>
  );
}
