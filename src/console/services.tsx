/**
 * City services in the staff console (`/staff/services`, role staff on every page and form): the
 * cities, a city's services by topic with what people see now (on a phone each service a block, the
 * correction under its name), and a service's page where staff correct a changed phone number,
 * website or opening hours, mark a closure or add a note for people, without a deployment. A refused
 * save is summed up at the top of the page (the form is far down on a phone); removing a correction
 * needs a tick. The reading and the actions are the API's (src/api/services.ts): stored with who
 * and when, audited, shown at once, exported to `content/` later (`npm run content:overrides`).
 * Corrections of services no longer in the content (file removed or renamed) are listed apart on
 * the first page, each removable with the same tick, lest one apply again when the id comes back.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import type { App } from "../app.ts";
import type { Service } from "../content/services-schema.ts";
import { cities, cityById } from "../domain/cities.ts";
import {
  type CorrectionError,
  type CorrectionInput,
  contentService,
  correctorNames,
  orphanedCorrections,
  readCorrection,
  removeCorrection,
  saveCorrection,
} from "../services/corrections.ts";
import { listServiceOverrides, overrideLimits, type ServiceOverride, withOverride } from "../services/overrides.ts";
import type { ConsoleEnv, ConsoleLanguage, StaffSession } from "./context.ts";
import { one } from "./form-body.ts";
import { requireRole } from "./guard.ts";
import { Csrf, Page } from "./layout.tsx";
import { refusal } from "./refusal.tsx";
import { ct } from "./text.ts";

type Ctx = Context<ConsoleEnv>;

const doneKeys = new Set(["saved", "reopenedWithNote", "removed", "none", "orphanRemoved"]);

/** A day (`YYYY-MM-DD` or an ISO time) as staff read it, in the server's time zone. */
function dayText(value: string, lang: ConsoleLanguage, timeZone: string): string {
  const date = value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return date.toLocaleDateString(lang === "de" ? "de-DE" : "en-GB", {
    dateStyle: "long",
    timeZone: value.length === 10 ? "UTC" : timeZone,
  });
}

/** Opening hours in the console's language where the content has them, else English. */
function hoursText(service: Service, lang: ConsoleLanguage): string {
  return service.hours?.[lang] ?? service.hours?.en ?? "–";
}

function checkedText(service: Service, lang: ConsoleLanguage, timeZone: string): string {
  return service.verified && service.lastVerified
    ? ct(lang, "services.checkedOn", { date: dayText(service.lastVerified, lang, timeZone) })
    : ct(lang, "services.notChecked");
}

function flashOf(c: Ctx) {
  const done = c.req.query("done");
  if (!done || !doneKeys.has(done)) return undefined;
  // Saved, but people read a note that may say the place is closed: not the green of a plain success.
  const kind = done === "reopenedWithNote" ? ("warning" as const) : ("notice" as const);
  return { kind, text: ct(c.get("staff").language, `services.done.${done}`) };
}

/** What the form shows: what staff typed (after a refusal) or the stored correction. */
interface FormValues {
  phone: string;
  website: string;
  hours: string;
  closed: boolean;
  note: string;
}

function valuesOf(override: ServiceOverride | undefined): FormValues {
  return {
    phone: override?.phone ?? "",
    website: override?.website ?? "",
    hours: override?.hours ?? "",
    closed: override?.closed ?? false,
    note: override?.note ?? "",
  };
}

const fieldId = (field: string) => `f-${field}`;
/** The block of a field (its label, input, hint and error): where the error summary's links go. */
const blockId = (field: string) => `${fieldId(field)}-block`;

/**
 * A refused field of the correction form, or a removal's unticked confirmation (`confirm-<id>` for
 * a correction of a service no longer in the content, listed with others on the first page).
 */
type PageError =
  | CorrectionError
  | { field: "confirm" | `confirm-${string}`; key: string; params: Record<string, unknown> };

/** The label a refused field has on the page, named in the error summary. */
const fieldLabel: Record<string, string> = {
  phone: "services.form.phone",
  website: "services.form.website",
  hours: "services.form.hours",
  closed: "services.form.closed",
  note: "services.form.note",
  confirm: "services.remove.confirm",
};
const labelOf = (field: string) =>
  fieldLabel[field] ?? (field.startsWith("confirm-") ? "services.remove.confirm" : field);

function FieldError(props: { errors: readonly PageError[]; field: string; lang: ConsoleLanguage }) {
  const mine = props.errors.filter((e) => e.field === props.field);
  if (mine.length === 0) return null;
  return (
    <p class="error" id={`${fieldId(props.field)}-error`}>
      {mine.map((e) => ct(props.lang, e.key, e.params)).join(" ")}
    </p>
  );
}

/** The hint (and the error, if any) a field is described by, for screen readers. */
function describedBy(errors: readonly PageError[], field: string) {
  const invalid = errors.some((e) => e.field === field);
  return {
    "aria-describedby": `${fieldId(field)}-hint${invalid ? ` ${fieldId(field)}-error` : ""}`,
    ...(invalid ? { "aria-invalid": "true" } : {}),
  };
}

/**
 * What was refused, at the top of the page (the form is far down on a phone): nothing was saved,
 * and each field with what to fix, linking to it.
 */
function ErrorSummary(props: { errors: readonly PageError[]; lang: ConsoleLanguage }) {
  if (props.errors.length === 0) return null;
  const { lang } = props;
  return (
    <div class="error" role="alert" id="error-summary">
      <p>
        <strong>{ct(lang, "services.form.errorsTitle")}</strong>
        <br />
        {ct(lang, "services.form.errorsIntro")}
      </p>
      <ul>
        {props.errors.map((e) =>
          e.field === "(body)" ? (
            <li>
              <a href="#correction-form">{ct(lang, e.key, e.params)}</a>
            </li>
          ) : (
            <li>
              <a href={`#${blockId(e.field)}`}>
                <strong>{ct(lang, labelOf(e.field))}</strong>
                {`: ${ct(lang, e.key, e.params)}`}
              </a>
            </li>
          ),
        )}
      </ul>
    </div>
  );
}

/** One text field of the correction form: its label, the input, what is allowed, and its error. */
function TextField(props: {
  field: "phone" | "website" | "hours";
  type?: "tel" | "url";
  value: string;
  errors: readonly PageError[];
  lang: ConsoleLanguage;
}) {
  const { field, lang, errors } = props;
  return (
    <div id={blockId(field)}>
      <label for={fieldId(field)}>{ct(lang, `services.form.${field}`)}</label>
      <input
        type={props.type}
        id={fieldId(field)}
        name={field}
        value={props.value}
        autocomplete={props.type ? "off" : undefined}
        {...describedBy(errors, field)}
      />
      <p class="hint" id={`${fieldId(field)}-hint`}>
        {ct(lang, `services.form.${field}Hint`, { max: overrideLimits[field] })}
      </p>
      <FieldError errors={errors} field={field} lang={lang} />
    </div>
  );
}

/** The correction form: empty fields keep the content files' facts. */
function CorrectionForm(props: {
  staff: StaffSession;
  service: Service;
  values: FormValues;
  errors: readonly PageError[];
  /** Whether a correction is stored (the fields then show it). */
  corrected: boolean;
}) {
  const { staff, values, errors } = props;
  const lang = staff.language;
  return (
    <form method="post" action={`/staff/services/${props.service.id}`} class="stack" id="correction-form" novalidate>
      <Csrf staff={staff} />
      <p class="hint">{ct(lang, props.corrected ? "services.form.introCorrected" : "services.form.intro")}</p>
      <TextField field="phone" type="tel" value={values.phone} errors={errors} lang={lang} />
      <TextField field="website" type="url" value={values.website} errors={errors} lang={lang} />
      <TextField field="hours" value={values.hours} errors={errors} lang={lang} />
      <div id={blockId("closed")}>
        <label for={fieldId("closed")} style="font-weight:400">
          <input
            type="checkbox"
            id={fieldId("closed")}
            name="closed"
            value="1"
            checked={values.closed}
            aria-describedby={`${fieldId("closed")}-hint`}
          />{" "}
          <strong>{ct(lang, "services.form.closed")}</strong>
        </label>
        <p class="hint" id={`${fieldId("closed")}-hint`}>
          {ct(lang, "services.form.closedHint")}
        </p>
      </div>
      <div id={blockId("note")}>
        <label for={fieldId("note")}>{ct(lang, "services.form.note")}</label>
        <textarea id={fieldId("note")} name="note" rows={3} {...describedBy(errors, "note")}>
          {values.note}
        </textarea>
        <p class="hint" id={`${fieldId("note")}-hint`}>
          {ct(lang, "services.form.noteHint", { max: overrideLimits.note })}
        </p>
        <FieldError errors={errors} field="note" lang={lang} />
      </div>
      <div>
        <button type="submit">{ct(lang, "services.form.save")}</button>
      </div>
    </form>
  );
}

/**
 * Removing the correction, confirmed with a tick (no script needed): what people see again, and
 * that the note is gone with it.
 */
function RemoveForm(props: {
  staff: StaffSession;
  service: Service;
  override: ServiceOverride;
  errors: readonly PageError[];
}) {
  const { staff, override, errors } = props;
  const lang = staff.language;
  return (
    <section aria-labelledby="remove-heading">
      <h2 id="remove-heading">{ct(lang, "services.remove.heading")}</h2>
      <form method="post" action={`/staff/services/${props.service.id}/remove`} class="stack" novalidate>
        <Csrf staff={staff} />
        <div>
          <p style="margin-top:0">{ct(lang, "services.remove.what")}</p>
          {override.note !== null ? (
            <p>
              <strong>{ct(lang, "services.remove.noteGone", { note: override.note })}</strong>
            </p>
          ) : null}
          {override.closed ? <p style="margin-bottom:0">{ct(lang, "services.remove.reopens")}</p> : null}
        </div>
        <div id={blockId("confirm")}>
          <label for={fieldId("confirm")} style="font-weight:400">
            <input
              type="checkbox"
              id={fieldId("confirm")}
              name="confirm"
              value="1"
              {...describedBy(errors, "confirm")}
            />{" "}
            <strong>{ct(lang, "services.remove.confirm")}</strong>
          </label>
          <p class="hint" id={`${fieldId("confirm")}-hint`}>
            {ct(lang, "services.remove.confirmHint")}
          </p>
          <FieldError errors={errors} field="confirm" lang={lang} />
        </div>
        <div>
          <button type="submit" class="danger">
            {ct(lang, "services.form.remove")}
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * Corrections of services no longer in the content (their file removed or renamed): people do not
 * see them, but each would apply again if a file with its id came back. Each with when, by whom and
 * its note, and a removal confirmed with the same tick as a service's.
 */
function OrphanList(props: {
  staff: StaffSession;
  orphans: readonly ServiceOverride[];
  who: (address: string | null) => string;
  timeZone: string;
  errors: readonly PageError[];
}) {
  const { staff, errors } = props;
  const lang = staff.language;
  return (
    <section aria-labelledby="orphans-heading">
      <h2 id="orphans-heading">{ct(lang, "services.orphans.heading")}</h2>
      <p>{ct(lang, "services.orphans.intro")}</p>
      {props.orphans.map((o) => {
        const field = `confirm-${o.serviceId}` as const;
        return (
          <article class="stack" aria-labelledby={`orphan-${o.serviceId}`}>
            <h3 id={`orphan-${o.serviceId}`}>
              {`${ct(lang, "services.orphans.id")}: `}
              <code>{o.serviceId}</code>
            </h3>
            <p style="margin:0">
              {ct(lang, "services.orphans.by", {
                who: props.who(o.updatedBy),
                date: dayText(o.updatedAt, lang, props.timeZone),
              })}
              {o.closed ? ` ${ct(lang, "services.orphans.closed")}` : ""}
            </p>
            <p style="margin:0">
              {o.note !== null
                ? ct(lang, "services.orphans.note", { note: o.note })
                : ct(lang, "services.orphans.noNote")}
            </p>
            <form method="post" action={`/staff/services/${o.serviceId}/remove`} class="stack" novalidate>
              <Csrf staff={staff} />
              <div id={blockId(field)}>
                <label for={fieldId(field)} style="font-weight:400">
                  <input type="checkbox" id={fieldId(field)} name="confirm" value="1" {...describedBy(errors, field)} />{" "}
                  <strong>{ct(lang, "services.remove.confirm")}</strong>
                </label>
                <p class="hint" id={`${fieldId(field)}-hint`}>
                  {ct(lang, "services.remove.confirmHint")}
                </p>
                <FieldError errors={errors} field={field} lang={lang} />
              </div>
              <div>
                <button type="submit" class="danger">
                  {ct(lang, "services.form.remove")}
                </button>
              </div>
            </form>
          </article>
        );
      })}
    </section>
  );
}

/** A service's topic, in the console's language. */
const topicOf = (app: App, lang: ConsoleLanguage, service: Service) =>
  app.translator.t(lang, `services.categories.${service.category}`);

/** The city's services by topic, each topic's by name, in the console language's order. */
function byTopic(app: App, lang: ConsoleLanguage, services: readonly Service[]): [string, Service[]][] {
  const locale = lang === "de" ? "de-DE" : "en-GB";
  const groups = new Map<string, Service[]>();
  for (const s of services) {
    const topic = topicOf(app, lang, s);
    groups.set(topic, [...(groups.get(topic) ?? []), s]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, locale))
    .map(([topic, list]) => [topic, list.sort((a, b) => a.name.localeCompare(b.name, locale))]);
}

/**
 * The services pages, mounted at `/staff/services`.
 *
 * @example
 * staff.route("/services", servicePages(app));
 */
export function servicePages(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  pages.use("*", requireRole("staff"));
  const zone = app.defaultTimeZone;
  const overrides = async () => new Map((await listServiceOverrides(app.store.db)).map((o) => [o.serviceId, o]));

  /** The first page: the cities, a city's services, and corrections of services no longer in the content. */
  const index = async (c: Ctx, removeErrors: PageError[] = []) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const city = cityById(c.req.query("city") ?? "");
    const corrections = await overrides();
    const all = app.content.contentServices;
    const services = city ? all.filter((s) => s.city === city.id) : [];
    const orphans = await orphanedCorrections(app);
    const refused = removeErrors.length > 0;
    const columns = 4;
    return c.html(
      <Page
        title={ct(lang, "services.title")}
        staff={staff}
        path="/staff/services"
        flash={refused ? undefined : flashOf(c)}
      >
        <ErrorSummary errors={removeErrors} lang={lang} />
        <p>{ct(lang, "services.intro")}</p>
        <nav aria-labelledby="cities-heading">
          <h2 id="cities-heading">{ct(lang, "services.cities")}</h2>
          <ul>
            {cities.map((known) => {
              const inCity = all.filter((s) => s.city === known.id);
              const corrected = inCity.filter((s) => corrections.has(s.id)).length;
              return (
                <li>
                  <a
                    href={`/staff/services?city=${known.id}`}
                    aria-current={city?.id === known.id ? "page" : undefined}
                  >
                    {known.name}
                  </a>{" "}
                  <span class="muted">
                    {ct(lang, "services.cityCount", { count: inCity.length })}
                    {corrected > 0 ? `, ${ct(lang, "services.cityCorrected", { count: corrected })}` : ""}
                  </span>
                </li>
              );
            })}
          </ul>
        </nav>
        {city ? (
          <section aria-labelledby="services-heading">
            <h2 id="services-heading">{ct(lang, "services.inCity", { city: city.name })}</h2>
            {services.length === 0 ? (
              <p>{ct(lang, "services.none")}</p>
            ) : (
              <>
                <p class="hint">{ct(lang, "services.byTopic")}</p>
                <table class="cards">
                  <thead>
                    <tr>
                      <th scope="col">{ct(lang, "services.list.name")}</th>
                      <th scope="col">{ct(lang, "services.list.phone")}</th>
                      <th scope="col">{ct(lang, "services.list.hours")}</th>
                      <th scope="col">{ct(lang, "services.list.checked")}</th>
                    </tr>
                  </thead>
                  {byTopic(app, lang, services).map(([topic, list]) => (
                    <tbody>
                      <tr class="group">
                        <td colspan={columns}>
                          <h3>{topic}</h3>
                        </td>
                      </tr>
                      {list.map((s) => {
                        const override = corrections.get(s.id);
                        const shown = override ? withOverride(s, override) : s;
                        return (
                          <tr>
                            <th scope="row">
                              <a href={`/staff/services/${s.id}`}>{s.name}</a>
                              {override ? (
                                <span class="correction-mark">
                                  {override.closed ? <strong>{`${ct(lang, "services.closed")}. `}</strong> : null}
                                  {ct(lang, "services.correctedOn", { date: dayText(override.updatedAt, lang, zone) })}
                                </span>
                              ) : null}
                            </th>
                            <td>
                              <span class="label">{`${ct(lang, "services.list.phone")}: `}</span>
                              <span class="tel">{shown.phone ?? "–"}</span>
                            </td>
                            <td>
                              <span class="label">{`${ct(lang, "services.list.hours")}: `}</span>
                              {hoursText(shown, lang)}
                            </td>
                            <td>{checkedText(s, lang, zone)}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  ))}
                </table>
              </>
            )}
          </section>
        ) : (
          <p>{ct(lang, "services.chooseCity")}</p>
        )}
        {orphans.length > 0 ? (
          <OrphanList
            staff={staff}
            orphans={orphans}
            who={await correctorNames(app, staff, lang)}
            timeZone={zone}
            errors={removeErrors}
          />
        ) : null}
      </Page>,
      refused ? 400 : 200,
    );
  };

  pages.get("/", (c) => index(c));

  const render = async (
    c: Ctx,
    service: Service,
    form: { values?: FormValues; errors?: CorrectionError[]; removeErrors?: PageError[] } = {},
  ) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const override = (await overrides()).get(service.id);
    const city = cityById(service.city)?.name ?? service.city;
    const errors = form.errors ?? [];
    const removeErrors = form.removeErrors ?? [];
    const refused = errors.length + removeErrors.length > 0;
    /** A fact as Lotse shows it now: the team's value, marked, with the content files' beside it. */
    const fact = (label: string, value: string | undefined, corrected?: { from: string | undefined }) => (
      <>
        <dt>
          <strong>{ct(lang, `services.content.${label}`)}</strong>
        </dt>
        <dd>
          {value ?? "–"}
          {corrected ? (
            <>
              {" "}
              <span class="correction-mark">{ct(lang, "services.content.corrected")}</span>
              <br />
              <span class="hint">{ct(lang, "services.content.filesSay", { value: corrected.from ?? "–" })}</span>
            </>
          ) : null}
        </dd>
      </>
    );
    const contentHours = service.hours ? hoursText(service, lang) : undefined;
    return c.html(
      <Page
        title={service.name}
        staff={staff}
        path={`/staff/services/${service.id}`}
        flash={refused ? undefined : flashOf(c)}
      >
        <ErrorSummary errors={[...errors, ...removeErrors]} lang={lang} />
        <p>
          <a href={`/staff/services?city=${service.city}`}>{ct(lang, "services.back", { city })}</a>
        </p>
        <h2>{ct(lang, override ? "services.content.headingCorrected" : "services.content.heading")}</h2>
        <dl class="facts">
          {fact("city", city)}
          {fact("category", topicOf(app, lang, service))}
          {fact("address", service.address)}
          {override?.phone != null
            ? fact("phone", override.phone, { from: service.phone })
            : fact("phone", service.phone)}
          {override?.website != null
            ? fact("website", override.website, { from: service.website })
            : fact("website", service.website)}
          {override?.hours != null
            ? fact("hours", override.hours, { from: contentHours })
            : fact("hours", contentHours)}
          {override?.note != null ? fact("note", override.note) : null}
          {fact("checked", checkedText(service, lang, zone))}
          <dt>
            <strong>{ct(lang, "services.content.sources")}</strong>
          </dt>
          <dd>
            <ul>
              {service.sources.map((url) => (
                <li>
                  <a href={url} rel="noreferrer">
                    {url}
                  </a>
                </li>
              ))}
            </ul>
          </dd>
        </dl>
        <h2>{ct(lang, "services.current.heading")}</h2>
        {override ? (
          <>
            <p>
              {ct(lang, "services.current.by", {
                who: (await correctorNames(app, staff, lang))(override.updatedBy),
                date: dayText(override.updatedAt, lang, zone),
              })}
            </p>
            {override.closed ? (
              <p>
                <strong>{ct(lang, "services.current.closed")}</strong>
              </p>
            ) : null}
          </>
        ) : (
          <p>{ct(lang, "services.current.none")}</p>
        )}
        <h2>{ct(lang, "services.form.heading")}</h2>
        <CorrectionForm
          staff={staff}
          service={service}
          values={form.values ?? valuesOf(override)}
          errors={errors}
          corrected={override !== undefined}
        />
        {override ? <RemoveForm staff={staff} service={service} override={override} errors={removeErrors} /> : null}
      </Page>,
      refused ? 400 : 200,
    );
  };

  const serviceOf = (c: Ctx) => contentService(app, c.req.param("id") ?? "");
  const missing = (c: Ctx) => refusal(c, 404, c.get("staff").language, "errors.notFound", c.get("staff").roles);

  pages.get("/:id", async (c) => {
    const service = serviceOf(c);
    return service ? render(c, service) : missing(c);
  });

  pages.post("/:id", async (c) => {
    const service = serviceOf(c);
    if (!service) return missing(c);
    const body = await c.req.parseBody();
    const values: FormValues = {
      phone: one(body, "phone"),
      website: one(body, "website"),
      hours: one(body, "hours"),
      closed: one(body, "closed") === "1",
      note: one(body, "note"),
    };
    const input: CorrectionInput = values;
    const read = readCorrection(input);
    if (!read.ok) return render(c, service, { values, errors: read.errors });
    const before = (await overrides()).get(service.id);
    await saveCorrection(app, c.get("staff"), service, read.correction);
    // Unticked "closed" with the note left as it was: people would read "Closed until ..." on an open place
    // (staff trial: nothing warned; the card of the reopened hospital still said it was closed).
    const reopenedWithNote = before?.closed === true && !read.correction.closed && read.correction.note !== null;
    return c.redirect(`/staff/services/${service.id}?done=${reopenedWithNote ? "reopenedWithNote" : "saved"}`, 303);
  });

  /** Removing needs the tick "Yes, remove it": the note and every corrected fact are gone with it. */
  pages.post("/:id/remove", async (c) => {
    const service = serviceOf(c);
    if (!service) {
      // A correction whose service left the content: removable by id, from the first page's list.
      const id = c.req.param("id") ?? "";
      if (!(await overrides()).has(id)) return missing(c);
      const body = await c.req.parseBody();
      if (one(body, "confirm") !== "1")
        return index(c, [{ field: `confirm-${id}`, key: "services.remove.confirmNeeded", params: {} }]);
      await removeCorrection(app, c.get("staff"), id);
      return c.redirect("/staff/services?done=orphanRemoved", 303);
    }
    const body = await c.req.parseBody();
    const stored = (await overrides()).get(service.id);
    if (stored && one(body, "confirm") !== "1")
      return render(c, service, {
        removeErrors: [{ field: "confirm", key: "services.remove.confirmNeeded", params: {} }],
      });
    const removed = await removeCorrection(app, c.get("staff"), service.id);
    return c.redirect(`/staff/services/${service.id}?done=${removed ? "removed" : "none"}`, 303);
  });

  return pages;
}
