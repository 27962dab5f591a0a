/**
 * Meetings in the staff console (`/staff/meetings`, role staff on every page and form): the list,
 * a new meeting (announced to news subscribers if staff leave the box ticked), a meeting's page with
 * its figures, guests and check-in, edit and move, cancel, the door list to print and the CSV of
 * guests. What changes goes through src/meetings/staff-actions.ts, as the API's routes do.
 */

import type { Context } from "hono";
import { Hono } from "hono";
import { meetingTime } from "../../flows/meetings.ts";
import type { App } from "../app.ts";
import { broadcastCounts } from "../broadcasts/broadcasts.ts";
import { cityById } from "../domain/cities.ts";
import { languageByCode } from "../domain/languages.ts";
import { pickText } from "../i18n/index.ts";
import { announcementOf, announcementReach, reachOf } from "../meetings/announce.ts";
import {
  emptyFields,
  type FieldError,
  fieldsOf,
  type MeetingFields,
  parseMeetingFields,
} from "../meetings/console-input.ts";
import { guestsCsv } from "../meetings/export.ts";
import { guestCounts, guestsOf } from "../meetings/guests.ts";
import { cityMeeting, type Meeting, pastMeetings, upcomingMeetings } from "../meetings/repository.ts";
import { cancelAsStaff, checkInAsStaff, createAsStaff, editAsStaff } from "../meetings/staff-actions.ts";
import { spreadsheetStyle } from "../stats/csv.ts";
import type { ConsoleEnv, ConsoleLanguage, StaffSession } from "./context.ts";
import { requireRole } from "./guard.ts";
import { Csrf, Page } from "./layout.tsx";
import { defaultColumns, languageName, MeetingForm } from "./meetings-form.tsx";
import { CheckIn, Counts, DoorList } from "./meetings-guests.tsx";
import { ct } from "./text.ts";

type Ctx = Context<ConsoleEnv>;
type Body = Record<string, string | File | (string | File)[]>;

const doneKeys = new Set(["created", "createdAnnounced", "saved", "unchanged", "cancelled", "checkedIn"]);

const one = (body: Body, key: string): string => {
  const value = body[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
};
const many = (body: Body, key: string): string[] => {
  const value = body[key];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === "string",
  );
};

/** The form's fields, its text columns (with one more when "add language" was pressed), and the announce box. */
function readForm(body: Body) {
  const posted = Object.keys(body)
    .filter((k) => k.startsWith("title.") || k.startsWith("description."))
    .map((k) => k.slice(k.indexOf(".") + 1));
  const added = one(body, "action") === "addLanguage" ? [one(body, "addLanguage")] : [];
  const columns = [...new Set([...one(body, "langs").split(","), ...posted, ...added])].filter(
    (code) => languageByCode(code) !== undefined,
  );
  const texts = (prefix: string) =>
    Object.fromEntries(columns.map((code) => [code, one(body, `${prefix}.${code}`)]).filter(([, v]) => v !== ""));
  const fields: MeetingFields = {
    title: texts("title"),
    description: texts("description"),
    date: one(body, "date"),
    time: one(body, "time"),
    endTime: one(body, "endTime"),
    minutes: one(body, "minutes"),
    city: one(body, "city"),
    timeZone: one(body, "timeZone"),
    place: one(body, "place"),
    onlineUrl: one(body, "onlineUrl"),
    mapUrl: one(body, "mapUrl"),
    capacity: one(body, "capacity"),
    languages: many(body, "spoken"),
  };
  // An unticked box sends nothing: "shown but not sent" is a no, a first visit is a yes.
  const announce = one(body, "announceShown") === "1" ? one(body, "announce") === "1" : true;
  return { fields, columns: columns.length > 0 ? columns : [...defaultColumns], action: one(body, "action"), announce };
}

/** A meeting's title for staff: in the console's language if it has one, else its first. */
export function staffTitle(meeting: Pick<Meeting, "title">, lang: ConsoleLanguage): string {
  return pickText(meeting.title, lang).text;
}

/** When a meeting is, for staff: in its own zone, named. */
function staffWhen(meeting: Meeting, lang: ConsoleLanguage): string {
  return `${meetingTime(meeting.startsAt.toISOString(), meeting.endsAt.toISOString(), lang, meeting.timeZone)} (${meeting.timeZone})`;
}

function cityName(meeting: Pick<Meeting, "city">, lang: ConsoleLanguage): string {
  return meeting.city ? (cityById(meeting.city)?.name ?? meeting.city) : ct(lang, "meetings.form.online");
}

function flashOf(c: Ctx) {
  const done = c.req.query("done");
  if (!done || !doneKeys.has(done)) return undefined;
  const count = Number(c.req.query("n") ?? 0);
  return { kind: "notice" as const, text: ct(c.get("staff").language, `meetings.done.${done}`, { count }) };
}

const meetingId = (c: Ctx): number => Number(c.req.param("id"));

/**
 * The meetings pages, mounted at `/staff/meetings`.
 *
 * @example
 * staff.route("/meetings", meetingPages(app));
 */
export function meetingPages(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  pages.use("*", requireRole("staff"));

  const MeetingRows = async (props: { meetings: Meeting[]; lang: ConsoleLanguage; past: boolean }) => {
    const { lang } = props;
    const rows = await Promise.all(
      props.meetings.map(async (m) => ({ m, counts: guestCounts(await guestsOf(app.store.db, m.id)) })),
    );
    if (rows.length === 0) return <p>{ct(lang, props.past ? "meetings.list.nonePast" : "meetings.list.none")}</p>;
    return (
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{ct(lang, "meetings.list.when")}</th>
              <th scope="col">{ct(lang, "meetings.list.title")}</th>
              <th scope="col">{ct(lang, "meetings.list.city")}</th>
              <th scope="col">{ct(lang, "meetings.counts.yes")}</th>
              <th scope="col">{ct(lang, "meetings.counts.waiting")}</th>
              <th scope="col">{ct(lang, "meetings.counts.maybe")}</th>
              {props.past ? <th scope="col">{ct(lang, "meetings.counts.attended")}</th> : null}
              <th scope="col">{ct(lang, "meetings.list.status")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ m, counts }) => (
              <tr>
                <td>{staffWhen(m, lang)}</td>
                <th scope="row">
                  <a href={`/staff/meetings/${m.id}`}>{staffTitle(m, lang)}</a>
                </th>
                <td>{cityName(m, lang)}</td>
                <td class="num">{m.capacity === null ? counts.yes : `${counts.yes} / ${m.capacity}`}</td>
                <td class="num">{counts.waiting}</td>
                <td class="num">{counts.maybe}</td>
                {props.past ? <td class="num">{counts.attended}</td> : null}
                <td>{ct(lang, `meetings.status.${m.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  };

  pages.get("/", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const now = app.clock.now();
    const upcoming = await upcomingMeetings(app.store.db, { now, allCities: true, includeCancelled: true, limit: 100 });
    const past = await pastMeetings(app.store.db, { now, days: 60 });
    return c.html(
      <Page title={ct(lang, "meetings.list.heading")} staff={staff} path="/staff/meetings" flash={flashOf(c)}>
        <p>
          <a class="button" href="/staff/meetings/new">
            {ct(lang, "meetings.list.new")}
          </a>
        </p>
        <h2>{ct(lang, "meetings.list.upcoming")}</h2>
        {await MeetingRows({ meetings: upcoming, lang, past: false })}
        <h2>{ct(lang, "meetings.list.past")}</h2>
        {await MeetingRows({ meetings: past, lang, past: true })}
      </Page>,
    );
  });

  const renderNew = async (
    staff: StaffSession,
    form: { fields: MeetingFields; columns: readonly string[]; announce: boolean },
    errors: FieldError[] = [],
  ) => {
    const reach = await announcementReach(app.store.reader, app.content);
    return (
      <Page title={ct(staff.language, "meetings.new.heading")} staff={staff} path="/staff/meetings/new">
        <MeetingForm
          staff={staff}
          translator={app.translator}
          mode="create"
          action="/staff/meetings/new"
          fields={form.fields}
          columns={form.columns}
          errors={errors}
          defaultTimeZone={app.defaultTimeZone}
          reach={reach}
          announce={form.announce}
        />
      </Page>
    );
  };

  pages.get("/new", async (c) =>
    c.html(await renderNew(c.get("staff"), { fields: emptyFields(), columns: defaultColumns, announce: true })),
  );

  pages.post("/new", async (c) => {
    const staff = c.get("staff");
    const form = readForm(await c.req.parseBody({ all: true }));
    if (form.action === "addLanguage") return c.html(await renderNew(staff, form));
    const parsed = parseMeetingFields(form.fields, { now: app.clock.now(), defaultTimeZone: app.defaultTimeZone });
    if (!parsed.ok) return c.html(await renderNew(staff, form, parsed.errors), 400);
    const created = await createAsStaff(app, staff, parsed.meeting, form.announce);
    const done = created.announcementId === null ? "created" : "createdAnnounced";
    return c.redirect(`/staff/meetings/${created.meeting.id}?done=${done}&n=${created.reach}`, 303);
  });

  pages.get("/:id{[0-9]+}", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const meeting = await cityMeeting(app.store.db, meetingId(c));
    if (!meeting) return c.notFound();
    const guests = await guestsOf(app.store.db, meeting.id, { includeNo: true });
    const counts = guestCounts(guests);
    const announcement = await announcementOf(app.store.reader, meeting.id);
    const sent = announcement === null ? undefined : await broadcastCounts(app.store.reader, announcement);
    const reach = reachOf(await announcementReach(app.store.reader, app.content), meeting);
    const base = `/staff/meetings/${meeting.id}`;
    return c.html(
      <Page title={staffTitle(meeting, lang)} staff={staff} path={base} flash={flashOf(c)}>
        {meeting.status === "cancelled" ? (
          <p class="error">{ct(lang, "meetings.detail.cancelled")}</p>
        ) : meeting.status === "moved" ? (
          <p class="notice">{ct(lang, "meetings.detail.moved")}</p>
        ) : null}
        <dl>
          <dt>{ct(lang, "meetings.list.when")}</dt>
          <dd>{staffWhen(meeting, lang)}</dd>
          <dt>{ct(lang, "meetings.list.city")}</dt>
          <dd>{cityName(meeting, lang)}</dd>
          <dt>{ct(lang, "meetings.form.place")}</dt>
          <dd>{meeting.place ?? "–"}</dd>
          {meeting.onlineUrl ? (
            <>
              <dt>{ct(lang, "meetings.form.onlineUrl")}</dt>
              <dd>{meeting.onlineUrl}</dd>
            </>
          ) : null}
          <dt>{ct(lang, "meetings.form.spoken")}</dt>
          <dd>{meeting.languages.join(", ") || "–"}</dd>
          <dt>{ct(lang, "meetings.detail.announcement")}</dt>
          <dd>
            {/* Delivered and read only on the broadcast's page, per platform: Telegram reports neither, and
                "delivered 0 · read 0" here read as if nothing had arrived (a staff trial). */}
            {sent ? (
              <>
                {ct(lang, "meetings.detail.announced", {
                  ...sent,
                  status: ct(lang, `meetings.detail.broadcastStatus.${sent.status}`),
                })}{" "}
                <a href={`/staff/broadcasts/${sent.id}`}>#{sent.id}</a>
              </>
            ) : (
              ct(lang, "meetings.detail.notAnnounced", { count: reach })
            )}
          </dd>
        </dl>
        <h2>{ct(lang, "meetings.detail.texts")}</h2>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{ct(lang, "meetings.guests.language")}</th>
                <th scope="col">{ct(lang, "meetings.detail.title")}</th>
                <th scope="col">{ct(lang, "meetings.detail.description")}</th>
              </tr>
            </thead>
            <tbody>
              {Object.keys(meeting.title).map((code) => (
                <tr>
                  <th scope="row">{languageName(app.translator, code, lang)}</th>
                  <td lang={code} dir={languageByCode(code)?.direction ?? "ltr"}>
                    {meeting.title[code]}
                  </td>
                  <td lang={code} dir={languageByCode(code)?.direction ?? "ltr"}>
                    {meeting.description[code] ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="hint">{ct(lang, "meetings.detail.fallback")}</p>
        <p class="row noprint" style="flex:0">
          {meeting.status !== "cancelled" ? (
            <a class="button" href={`${base}/edit`}>
              {ct(lang, "meetings.detail.edit")}
            </a>
          ) : null}
          <a class="button secondary" href={`${base}/door-list`}>
            {ct(lang, "meetings.detail.doorList")}
          </a>
          <a class="button secondary" href={`${base}/guests.csv`} download>
            {ct(lang, "meetings.detail.csv")}
          </a>
          {meeting.status !== "cancelled" ? (
            <a class="button secondary" href={`${base}/cancel`}>
              {ct(lang, "meetings.detail.cancel")}
            </a>
          ) : null}
        </p>
        <h2>{ct(lang, "meetings.detail.guests")}</h2>
        <Counts counts={counts} capacity={meeting.capacity} lang={lang} />
        <h3>{ct(lang, "meetings.detail.checkIn")}</h3>
        <CheckIn
          staff={staff}
          translator={app.translator}
          meetingId={meeting.id}
          guests={guests.filter((g) => g.answer !== "no" || g.attended)}
        />
      </Page>,
    );
  });

  const renderEdit = async (
    staff: StaffSession,
    meeting: Meeting,
    form: { fields: MeetingFields; columns: readonly string[] },
    errors: FieldError[] = [],
  ) => {
    const guests = (await guestsOf(app.store.db, meeting.id)).length;
    const path = `/staff/meetings/${meeting.id}/edit`;
    return (
      <Page
        title={ct(staff.language, "meetings.edit.heading", { title: staffTitle(meeting, staff.language) })}
        staff={staff}
        path={path}
      >
        <MeetingForm
          staff={staff}
          translator={app.translator}
          mode="edit"
          action={path}
          fields={form.fields}
          columns={form.columns}
          errors={errors}
          defaultTimeZone={app.defaultTimeZone}
          guests={guests}
        />
      </Page>
    );
  };

  pages.get("/:id{[0-9]+}/edit", async (c) => {
    const meeting = await cityMeeting(app.store.db, meetingId(c));
    if (!meeting || meeting.status === "cancelled") return c.notFound();
    const columns = [...new Set([...defaultColumns, ...Object.keys(meeting.title)])];
    return c.html(await renderEdit(c.get("staff"), meeting, { fields: fieldsOf(meeting), columns }));
  });

  pages.post("/:id{[0-9]+}/edit", async (c) => {
    const staff = c.get("staff");
    const id = meetingId(c);
    const meeting = await cityMeeting(app.store.db, id);
    if (!meeting || meeting.status === "cancelled") return c.notFound();
    const form = readForm(await c.req.parseBody({ all: true }));
    if (form.action === "addLanguage") return c.html(await renderEdit(staff, meeting, form));
    const edited = await editAsStaff(app, staff, id, (before) =>
      parseMeetingFields(form.fields, {
        now: app.clock.now(),
        defaultTimeZone: app.defaultTimeZone,
        currentStart: before.startsAt,
      }),
    );
    if (!edited.ok && "gone" in edited) return c.notFound();
    if (!edited.ok) return c.html(await renderEdit(staff, meeting, form, edited.errors), 400);
    const done = edited.result.changed.length === 0 ? "unchanged" : "saved";
    return c.redirect(`/staff/meetings/${id}?done=${done}&n=${edited.result.told}`, 303);
  });

  pages.get("/:id{[0-9]+}/cancel", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const meeting = await cityMeeting(app.store.db, meetingId(c));
    if (!meeting || meeting.status === "cancelled") return c.notFound();
    const guests = (await guestsOf(app.store.db, meeting.id)).length;
    const base = `/staff/meetings/${meeting.id}`;
    return c.html(
      <Page
        title={ct(lang, "meetings.cancel.heading", { title: staffTitle(meeting, lang) })}
        staff={staff}
        path={`${base}/cancel`}
      >
        <p>{staffWhen(meeting, lang)}</p>
        <p>{ct(lang, "meetings.cancel.question", { count: guests })}</p>
        <form method="post" action={`${base}/cancel`} class="row" style="flex:0">
          <Csrf staff={staff} />
          <button type="submit" class="danger">
            {ct(lang, "meetings.cancel.confirm")}
          </button>
          <a class="button secondary" href={base}>
            {ct(lang, "meetings.cancel.keep")}
          </a>
        </form>
      </Page>,
    );
  });

  pages.post("/:id{[0-9]+}/cancel", async (c) => {
    const id = meetingId(c);
    const result = await cancelAsStaff(app, c.get("staff"), id);
    if (!result) return c.notFound();
    return c.redirect(`/staff/meetings/${id}?done=cancelled&n=${result.told}`, 303);
  });

  pages.post("/:id{[0-9]+}/attendance", async (c) => {
    const id = meetingId(c);
    const body = await c.req.parseBody({ all: true });
    const ticked = new Set(many(body, "attended"));
    // Only what this page changed: two phones at the door must not undo each other's ticks, so a
    // guest whose box is as it was when the page loaded is left as the other phone set them.
    const before = new Set(many(body, "was"));
    const marks = many(body, "shown")
      .filter((ref) => ticked.has(ref) !== before.has(ref))
      .map((ref) => ({ ref, attended: ticked.has(ref) }));
    const result = await checkInAsStaff(app, c.get("staff"), id, marks);
    if (!result) return c.notFound();
    return c.redirect(`/staff/meetings/${id}?done=checkedIn&n=${result.changed}`, 303);
  });

  pages.get("/:id{[0-9]+}/door-list", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const meeting = await cityMeeting(app.store.db, meetingId(c));
    if (!meeting) return c.notFound();
    const guests = await guestsOf(app.store.db, meeting.id);
    const counts = guestCounts(guests);
    const base = `/staff/meetings/${meeting.id}`;
    return c.html(
      <Page title={staffTitle(meeting, lang)} staff={staff} path={`${base}/door-list`}>
        <style>{".door td{height:2.4em}.door code{font-size:13px}@media print{main{max-width:none;padding:0}}"}</style>
        <p>
          <strong>{staffWhen(meeting, lang)}</strong> · {meeting.place ?? meeting.onlineUrl ?? cityName(meeting, lang)}
        </p>
        <p>{ct(lang, "meetings.door.summary", { ...counts })}</p>
        <p class="hint noprint">
          {ct(lang, "meetings.door.printHint")} <a href={base}>{ct(lang, "meetings.door.back")}</a>
        </p>
        <DoorList translator={app.translator} guests={guests} lang={lang} />
      </Page>,
    );
  });

  pages.get("/:id{[0-9]+}/guests.csv", async (c) => {
    const meeting = await cityMeeting(app.store.db, meetingId(c));
    if (!meeting) return c.notFound();
    const csv = guestsCsv(
      await guestsOf(app.store.db, meeting.id, { includeNo: true }),
      spreadsheetStyle(c.get("staff").language),
    );
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="meeting-${meeting.id}-guests.csv"`,
    });
  });

  return pages;
}
