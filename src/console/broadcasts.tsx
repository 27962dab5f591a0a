/**
 * Broadcasts in the staff console (`/staff/broadcasts`, role staff on every page and form): the list,
 * a new broadcast (compose in several languages, audience as a combination, reach and a Telegram and
 * WhatsApp preview before sending, now or at a local time), a broadcast's page with its live delivery
 * counts, and cancel. Changes go through src/broadcasts/actions.ts, as the API's do, and are audited.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import type { App } from "../app.ts";
import { cancelAsStaff, createFromDraft, draftPreview } from "../broadcasts/actions.ts";
import type { AudienceFilter } from "../broadcasts/audience-filter.ts";
import { deliveryCounts } from "../broadcasts/counts.ts";
import { type DraftProblem, draftProblems } from "../broadcasts/draft.ts";
import { type BroadcastView, getBroadcast, listBroadcasts } from "../broadcasts/repository.ts";
import { cityById } from "../domain/cities.ts";
import { dateLocale } from "../domain/languages.ts";
import { pickText } from "../i18n/index.ts";
import { pastMeetings, upcomingMeetings } from "../meetings/repository.ts";
import { CountsView } from "./broadcasts-counts.tsx";
import { BroadcastFormView, type MeetingChoice } from "./broadcasts-form.tsx";
import { type BroadcastForm, emptyBroadcastForm, readBroadcastForm } from "./broadcasts-input.ts";
import { channelName, PreviewView, ReachView } from "./broadcasts-preview.tsx";
import type { ConsoleEnv, ConsoleLanguage, StaffSession } from "./context.ts";
import { requireRole } from "./guard.ts";
import { Csrf, Page } from "./layout.tsx";
import { languageName } from "./meetings-form.tsx";
import { ct } from "./text.ts";

type Ctx = Context<ConsoleEnv>;

const doneKeys = new Set(["sent", "scheduled", "cancelled", "notCancelled"]);

function flashOf(c: Ctx) {
  const done = c.req.query("done");
  if (!done || !doneKeys.has(done)) return undefined;
  return {
    kind: done === "notCancelled" ? ("error" as const) : ("notice" as const),
    text: ct(c.get("staff").language, `broadcasts.done.${done}`, { count: Number(c.req.query("n") ?? 0) }),
  };
}

/** A time as staff read it, in a zone, named. */
function staffTime(at: Date, zone: string, lang: ConsoleLanguage): string {
  const text = new Intl.DateTimeFormat(dateLocale(lang), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: zone,
  }).format(at);
  return `${text} (${zone})`;
}

/** Which broadcasts can still be cancelled. */
const cancellable = new Set(["scheduled", "queuing", "sending"]);

/**
 * The broadcasts pages, mounted at `/staff/broadcasts`.
 *
 * @example
 * staff.route("/broadcasts", broadcastPages(app));
 */
export function broadcastPages(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  pages.use("*", requireRole("staff"));
  const name = (code: string, lang: ConsoleLanguage) => languageName(app.translator, code, lang);

  /** The audience in words: each filter's values, or "everyone who wants news". */
  const audienceText = (audience: AudienceFilter, lang: ConsoleLanguage): string => {
    const parts: string[] = [];
    if (audience.meetingId !== null) parts.push(ct(lang, "broadcasts.audience.meeting", { id: audience.meetingId }));
    else parts.push(ct(lang, "broadcasts.audience.news"));
    const names = (list: string[]) => list.join(" / ");
    if (audience.cities.length > 0)
      parts.push(
        ct(lang, "broadcasts.audience.cities", {
          names: names(audience.cities.map((c) => cityById(c)?.name ?? ct(lang, "broadcasts.form.otherCity"))),
        }),
      );
    if (audience.languages.length > 0)
      parts.push(
        ct(lang, "broadcasts.audience.languages", { names: names(audience.languages.map((l) => name(l, lang))) }),
      );
    if (audience.channels.length > 0)
      parts.push(
        ct(lang, "broadcasts.audience.channels", { names: names(audience.channels.map((c) => channelName(lang, c))) }),
      );
    if (audience.progress.length > 0)
      parts.push(
        audience.progress
          .map((p) => {
            if (p === "none") return ct(lang, "broadcasts.progress.none");
            const [kind = "started", id = ""] = p.split(":");
            const course = app.content.course(id);
            return ct(lang, `broadcasts.progress.${kind}`, { course: course ? pickText(course.title, lang).text : id });
          })
          .join(" / "),
      );
    return parts.join(", ");
  };

  const meetingChoices = async (lang: ConsoleLanguage): Promise<MeetingChoice[]> => {
    const now = app.clock.now();
    const meetings = [
      ...(await upcomingMeetings(app.store.db, { now, allCities: true, limit: 50 })),
      ...(await pastMeetings(app.store.db, { now, days: 30 })).filter((m) => m.status !== "cancelled"),
    ];
    return meetings.map((m) => ({
      id: m.id,
      title: pickText(m.title, lang).text,
      when: staffTime(m.startsAt, m.timeZone, lang),
    }));
  };

  const renderNew = async (
    staff: StaffSession,
    form: BroadcastForm,
    problems: DraftProblem[],
    withPreview: boolean,
  ) => {
    const lang = staff.language;
    const shown = withPreview && problems.length === 0 ? await draftPreview(app, form.draft) : undefined;
    return (
      <Page title={ct(lang, "broadcasts.new.heading")} staff={staff} path="/staff/broadcasts/new">
        <BroadcastFormView
          staff={staff}
          translator={app.translator}
          form={form}
          problems={problems}
          courses={app.content.courses}
          meetings={await meetingChoices(lang)}
        />
        {shown ? (
          <>
            <ReachView reach={shown.reach} lang={lang} translator={app.translator} />
            <PreviewView preview={shown.preview} reach={shown.reach} lang={lang} translator={app.translator} />
          </>
        ) : null}
      </Page>
    );
  };

  pages.get("/", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const before = Number(c.req.query("before") ?? "");
    const list = await listBroadcasts(app.store.reader, {
      limit: 50,
      before: Number.isInteger(before) && before > 0 ? before : undefined,
    });
    const last = list.at(-1);
    return c.html(
      <Page title={ct(lang, "broadcasts.list.heading")} staff={staff} path="/staff/broadcasts" flash={flashOf(c)}>
        <p>
          <a class="button" href="/staff/broadcasts/new">
            {ct(lang, "broadcasts.list.new")}
          </a>
        </p>
        {list.length === 0 ? (
          <p>{ct(lang, "broadcasts.list.none")}</p>
        ) : (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{ct(lang, "broadcasts.list.id")}</th>
                  <th scope="col">{ct(lang, "broadcasts.list.when")}</th>
                  <th scope="col">{ct(lang, "broadcasts.list.text")}</th>
                  <th scope="col">{ct(lang, "broadcasts.list.audience")}</th>
                  <th scope="col">{ct(lang, "broadcasts.list.recipients")}</th>
                  <th scope="col">{ct(lang, "broadcasts.list.status")}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((b) => (
                  <tr>
                    <th scope="row">
                      <a href={`/staff/broadcasts/${b.id}`}>#{b.id}</a>
                    </th>
                    <td>{staffTime(b.sendAt, b.timeZone ?? app.defaultTimeZone, lang)}</td>
                    <td>{excerpt(b)}</td>
                    <td>{audienceText(b.audience, lang)}</td>
                    <td class="num">{b.recipients}</td>
                    <td>{ct(lang, `broadcasts.status.${b.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.length === 50 && last ? (
          <p>
            <a href={`/staff/broadcasts?before=${last.id}`}>{ct(lang, "broadcasts.list.older")}</a>
          </p>
        ) : null}
      </Page>,
    );
  });

  pages.get("/new", async (c) =>
    c.html(await renderNew(c.get("staff"), emptyBroadcastForm(app.defaultTimeZone), [], false)),
  );

  pages.post("/new", async (c) => {
    const staff = c.get("staff");
    const form = readBroadcastForm(await c.req.parseBody({ all: true }), app.defaultTimeZone);
    if (form.action === "addLanguage" || form.action.startsWith("remove."))
      return c.html(await renderNew(staff, form, [], false));
    if (form.action === "send") {
      const created = await createFromDraft(app, staff, form.draft);
      if (!created.ok) return c.html(await renderNew(staff, form, created.problems, false), 400);
      const done = form.draft.when.kind === "at" ? "scheduled" : "sent";
      return c.redirect(`/staff/broadcasts/${created.id}?done=${done}&n=${created.reach}`, 303);
    }
    const problems = await draftProblems(app.store.reader, form.draft, app.content, app.clock.now());
    return c.html(await renderNew(staff, form, problems, true), problems.length > 0 ? 400 : 200);
  });

  pages.get("/:id{[0-9]+}", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const id = Number(c.req.param("id"));
    const b = await getBroadcast(app.store.reader, id);
    const counts = await deliveryCounts(app.store.reader, id);
    if (!b || !counts) return c.notFound();
    const base = `/staff/broadcasts/${id}`;
    return c.html(
      <Page title={ct(lang, "broadcasts.detail.heading", { id })} staff={staff} path={base} flash={flashOf(c)}>
        <dl>
          <dt>{ct(lang, "broadcasts.list.status")}</dt>
          <dd id="status">
            {ct(lang, `broadcasts.status.${counts.status}`)}
            {counts.cancelReason ? ` (${ct(lang, `broadcasts.cancelReason.${counts.cancelReason}`)})` : ""}
          </dd>
          <dt>{ct(lang, "broadcasts.list.when")}</dt>
          <dd>{staffTime(b.sendAt, b.timeZone ?? app.defaultTimeZone, lang)}</dd>
          <dt>{ct(lang, "broadcasts.list.audience")}</dt>
          <dd>{audienceText(b.audience, lang)}</dd>
          <dt>{ct(lang, "broadcasts.detail.defaultLanguage")}</dt>
          <dd>{name(b.message.defaultLanguage, lang)}</dd>
        </dl>
        <p>
          <a href={base}>{ct(lang, "broadcasts.detail.refresh")}</a>
        </p>
        <CountsView counts={counts} lang={lang} />
        <h2>{ct(lang, "broadcasts.detail.texts")}</h2>
        <div class="row">
          {Object.entries(b.message.texts).map(([code, text]) => (
            <div>
              <h3>{name(code, lang)}</h3>
              <p style="white-space:pre-wrap" lang={code}>
                {text}
              </p>
            </div>
          ))}
        </div>
        {cancellable.has(counts.status) ? (
          <form method="post" action={`${base}/cancel`} class="stack">
            <Csrf staff={staff} />
            <p>{ct(lang, "broadcasts.detail.cancelHint", { count: counts.total.queued })}</p>
            <button type="submit" class="danger">
              {ct(lang, "broadcasts.detail.cancel")}
            </button>
          </form>
        ) : null}
      </Page>,
    );
  });

  pages.post("/:id{[0-9]+}/cancel", async (c) => {
    const id = Number(c.req.param("id"));
    if (!(await getBroadcast(app.store.reader, id))) return c.notFound();
    const done = (await cancelAsStaff(app, c.get("staff"), id)) ? "cancelled" : "notCancelled";
    return c.redirect(`/staff/broadcasts/${id}?done=${done}`, 303);
  });

  return pages;
}

/** The first words of a broadcast, in its default language. */
function excerpt(b: BroadcastView): string {
  const text = b.message.texts[b.message.defaultLanguage] ?? Object.values(b.message.texts)[0] ?? "";
  return [...text].length > 80 ? `${[...text].slice(0, 79).join("")}…` : text;
}
