/**
 * The referral inbox in the staff console (`/staff/referrals`, role counsellor on every page and
 * form; admins do not have it): the list of requests with filters and unread counts, and a request's
 * page with its status, assignment, private notes and the conversation through Lotse. Counsellors see
 * what the person agreed to share, never their chat address unless they chose to share it. Every change
 * goes through src/referrals/ (which writes the audit log), as the API's routes do.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import type { App } from "../app.ts";
import type { Address } from "../domain/address.ts";
import { cities, cityById } from "../domain/cities.ts";
import { languages } from "../domain/languages.ts";
import { endConversation, maxCounsellorMessage, sendFromCounsellor } from "../referrals/conversation.ts";
import {
  addNote,
  assignReferral,
  counsellorsNow,
  type InboxFilter,
  languageLabel,
  listInbox,
  markRead,
  maxNote,
  type ReferralDetail,
  referralDetail,
  setReferralStatus,
} from "../referrals/inbox.ts";
import { type ReferralStatus, referralStatuses } from "../referrals/repository.ts";
import { listStaff } from "../staff/members.ts";
import type { ConsoleEnv, ConsoleLanguage, StaffSession } from "./context.ts";
import { requireRole } from "./guard.ts";
import { Csrf, Page } from "./layout.tsx";
import { ct } from "./text.ts";

type Ctx = Context<ConsoleEnv>;

const doneKeys = new Set(["status", "assigned", "note", "sent", "ended"]);

/** What a re-shown detail page keeps from a refused form: the typed text and the error. */
interface Refused {
  field: "message" | "note" | "status" | "assignee" | "end";
  error: string;
  value?: string;
}

const isStatus = (value: unknown): value is ReferralStatus => (referralStatuses as readonly unknown[]).includes(value);

/** A time as staff read it: in the deployment's zone, in the console's language. */
function when(iso: string, lang: ConsoleLanguage, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  }).format(new Date(iso));
}

function personName(referral: { id: number; displayName: string | null }, lang: ConsoleLanguage): string {
  return referral.displayName ?? ct(lang, "referrals.person", { id: referral.id });
}

function cityName(city: string | null): string {
  return city ? (cityById(city)?.name ?? city) : "–";
}

function flashOf(c: Ctx) {
  const done = c.req.query("done");
  if (!done || !doneKeys.has(done)) return undefined;
  return { kind: "notice" as const, text: ct(c.get("staff").language, `referrals.done.${done}`) };
}

const referralId = (c: Ctx): number => Number(c.req.param("id"));

const field = (body: Record<string, unknown>, key: string): string =>
  typeof body[key] === "string" ? (body[key] as string) : "";

/**
 * The referral pages, mounted at `/staff/referrals`.
 *
 * @example
 * staff.route("/referrals", referralPages(app));
 */
export function referralPages(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  pages.use("*", requireRole("counsellor"));

  /** How colleagues are named: the name an admin gave them, else their address. */
  const staffNames = async (): Promise<Map<string, string>> =>
    new Map((await listStaff(app.store.reader, app.staff)).map((m) => [m.address, m.name ?? m.address]));
  const nameOf = (names: Map<string, string>, address: string | null): string =>
    address === null ? "–" : (names.get(address) ?? address);

  pages.get("/", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const q = (key: string) => c.req.query(key) ?? "";
    const assigned = q("assigned");
    const filter: InboxFilter = {
      status: isStatus(q("status")) ? (q("status") as ReferralStatus) : undefined,
      assignedTo: assigned === "none" ? "none" : assigned === "me" ? (staff.address as Address) : undefined,
      language: languages.some((l) => l.code === q("language")) ? q("language") : undefined,
      city: cityById(q("city")) ? q("city") : undefined,
    };
    const rows = await listInbox(app.store.db, filter);
    const names = await staffNames();
    return c.html(
      <Page title={ct(lang, "referrals.inbox.heading")} staff={staff} path="/staff/referrals" flash={flashOf(c)}>
        <p>{ct(lang, "referrals.inbox.intro")}</p>
        <form method="get" action="/staff/referrals" class="row" aria-label={ct(lang, "referrals.inbox.filter")}>
          <div>
            <label for="f-status">{ct(lang, "referrals.inbox.status")}</label>
            <select id="f-status" name="status">
              <option value="">{ct(lang, "referrals.inbox.any")}</option>
              {referralStatuses.map((s) => (
                <option value={s} selected={filter.status === s}>
                  {ct(lang, `referrals.status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="f-assigned">{ct(lang, "referrals.inbox.assigned")}</label>
            <select id="f-assigned" name="assigned">
              <option value="">{ct(lang, "referrals.inbox.any")}</option>
              <option value="me" selected={assigned === "me"}>
                {ct(lang, "referrals.inbox.me")}
              </option>
              <option value="none" selected={assigned === "none"}>
                {ct(lang, "referrals.inbox.nobody")}
              </option>
            </select>
          </div>
          <div>
            <label for="f-language">{ct(lang, "referrals.inbox.language")}</label>
            <select id="f-language" name="language">
              <option value="">{ct(lang, "referrals.inbox.any")}</option>
              {languages.map((l) => (
                <option value={l.code} selected={filter.language === l.code}>
                  {languageLabel(app.translator, lang, l.code)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="f-city">{ct(lang, "referrals.inbox.city")}</label>
            <select id="f-city" name="city">
              <option value="">{ct(lang, "referrals.inbox.any")}</option>
              {cities.map((city) => (
                <option value={city.id} selected={filter.city === city.id}>
                  {city.name}
                </option>
              ))}
            </select>
          </div>
          <div style="flex:0 0 auto;align-self:end">
            <button type="submit">{ct(lang, "referrals.inbox.apply")}</button>{" "}
            <a class="button secondary" href="/staff/referrals">
              {ct(lang, "referrals.inbox.reset")}
            </a>
          </div>
        </form>
        {rows.length === 0 ? (
          <p>{ct(lang, "referrals.inbox.none")}</p>
        ) : (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{ct(lang, "referrals.inbox.number")}</th>
                  <th scope="col">{ct(lang, "referrals.inbox.name")}</th>
                  <th scope="col">{ct(lang, "referrals.inbox.status")}</th>
                  <th scope="col">{ct(lang, "referrals.inbox.language")}</th>
                  <th scope="col">{ct(lang, "referrals.inbox.city")}</th>
                  <th scope="col">{ct(lang, "referrals.inbox.assigned")}</th>
                  <th scope="col">{ct(lang, "referrals.inbox.received")}</th>
                  <th scope="col">{ct(lang, "referrals.inbox.unread")}</th>
                  <th scope="col">{ct(lang, "referrals.inbox.conversation")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr>
                    <td class="num">{row.id}</td>
                    <th scope="row">
                      <a href={`/staff/referrals/${row.id}`} dir="auto">
                        {personName(row, lang)}
                      </a>
                    </th>
                    <td>{ct(lang, `referrals.status.${row.status}`)}</td>
                    <td>{languageLabel(app.translator, lang, row.language)}</td>
                    <td>{cityName(row.city)}</td>
                    <td>{nameOf(names, row.assignedTo)}</td>
                    <td>{when(row.createdAt, lang, app.defaultTimeZone)}</td>
                    <td class="num">{row.unread > 0 ? <strong>{row.unread}</strong> : 0}</td>
                    <td>{ct(lang, row.conversationOpen ? "referrals.inbox.open" : "referrals.inbox.notOpen")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Page>,
    );
  });

  /** A request's page; `refused` re-shows a form with what was typed and why it was refused. */
  const renderDetail = async (
    staff: StaffSession,
    detail: ReferralDetail,
    flash?: ReturnType<typeof flashOf>,
    refused?: Refused,
  ) => {
    const lang = staff.language;
    const { referral } = detail;
    const base = `/staff/referrals/${referral.id}`;
    const names = await staffNames();
    const counsellors = await counsellorsNow(app.store.reader, app);
    const name = personName(referral, lang);
    const error = refused ? { kind: "error" as const, text: refused.error } : flash;
    const threadState = referral.conversationOpen
      ? "referrals.thread.open"
      : referral.conversationEndedBy === "person"
        ? "referrals.thread.endedByPerson"
        : referral.conversationEndedBy === "counsellor"
          ? "referrals.thread.endedByCounsellor"
          : undefined;
    return (
      <Page
        title={ct(lang, "referrals.detail.heading", { id: referral.id, name })}
        staff={staff}
        path={base}
        flash={error}
      >
        <p>
          <a href="/staff/referrals">{ct(lang, "referrals.detail.back")}</a>
        </p>
        <h2>{ct(lang, "referrals.detail.shared")}</h2>
        <dl>
          <dt>{ct(lang, "referrals.detail.name")}</dt>
          <dd dir="auto">{referral.displayName ?? ct(lang, "referrals.detail.noName", { name })}</dd>
          <dt>{ct(lang, "referrals.detail.language")}</dt>
          <dd>{languageLabel(app.translator, lang, referral.language)}</dd>
          <dt>{ct(lang, "referrals.detail.city")}</dt>
          <dd>{cityName(referral.city)}</dd>
          <dt>{ct(lang, "referrals.detail.received")}</dt>
          <dd>{when(referral.createdAt, lang, app.defaultTimeZone)}</dd>
          <dt>{ct(lang, "referrals.detail.contact")}</dt>
          <dd>{referral.shareContact ? referral.address : ct(lang, "referrals.detail.contactNotShared")}</dd>
          <dt>{ct(lang, "referrals.detail.note")}</dt>
          <dd dir="auto">{referral.message ?? ct(lang, "referrals.detail.noNote")}</dd>
        </dl>

        <div class="row">
          <form method="post" action={`${base}/status`} class="stack">
            <Csrf staff={staff} />
            <label for="status">{ct(lang, "referrals.detail.statusLabel")}</label>
            <select id="status" name="status" aria-describedby="status-hint">
              {referralStatuses.map((s) => (
                <option value={s} selected={referral.status === s}>
                  {ct(lang, `referrals.status.${s}`)}
                </option>
              ))}
            </select>
            <p id="status-hint" class="hint">
              {ct(lang, "referrals.detail.statusHint")}
            </p>
            <button type="submit">{ct(lang, "referrals.detail.setStatus")}</button>
          </form>
          <form method="post" action={`${base}/assign`} class="stack">
            <Csrf staff={staff} />
            <label for="assignee">{ct(lang, "referrals.detail.assignLabel")}</label>
            <select id="assignee" name="assignee">
              <option value="">{ct(lang, "referrals.inbox.nobody")}</option>
              {counsellors.map((address) => (
                <option value={address} selected={referral.assignedTo === address}>
                  {nameOf(names, address)}
                </option>
              ))}
            </select>
            <button type="submit">{ct(lang, "referrals.detail.assign")}</button>
          </form>
        </div>

        <h2 id="thread">{ct(lang, "referrals.thread.heading")}</h2>
        {detail.messages.length === 0 ? (
          <p>{ct(lang, "referrals.thread.empty", { org: app.orgName })}</p>
        ) : (
          <ol class="thread" aria-labelledby="thread">
            {detail.messages.map((m) => (
              <li>
                <p class="hint">
                  <strong>
                    {m.from === "counsellor"
                      ? ct(lang, "referrals.thread.fromCounsellor", { who: nameOf(names, m.author) })
                      : ct(lang, "referrals.thread.fromPerson", { name })}
                  </strong>{" "}
                  {when(m.createdAt, lang, app.defaultTimeZone)}
                  {m.from === "person" && m.readAt === null ? ` · ${ct(lang, "referrals.thread.unread")}` : ""}
                </p>
                <p dir="auto" style="white-space:pre-wrap">
                  {m.text}
                </p>
              </li>
            ))}
          </ol>
        )}
        {threadState ? <p class="hint">{ct(lang, threadState)}</p> : null}
        <form method="post" action={`${base}/messages`} class="stack">
          <Csrf staff={staff} />
          <label for="message">{ct(lang, "referrals.thread.message", { max: maxCounsellorMessage })}</label>
          <textarea
            id="message"
            name="message"
            rows={4}
            dir="auto"
            maxlength={maxCounsellorMessage}
            aria-invalid={refused?.field === "message" ? "true" : undefined}
          >
            {refused?.field === "message" ? (refused.value ?? "") : ""}
          </textarea>
          <button type="submit">{ct(lang, "referrals.thread.send")}</button>
        </form>
        {referral.conversationOpen ? (
          <form method="post" action={`${base}/end`}>
            <Csrf staff={staff} />
            <button type="submit" class="secondary">
              {ct(lang, "referrals.thread.end")}
            </button>
          </form>
        ) : null}

        <h2>{ct(lang, "referrals.notes.heading")}</h2>
        <p class="hint">{ct(lang, "referrals.notes.hint")}</p>
        {detail.notes.length === 0 ? (
          <p>{ct(lang, "referrals.notes.empty")}</p>
        ) : (
          <ul>
            {detail.notes.map((note) => (
              <li>
                <p class="hint">
                  {ct(lang, "referrals.notes.by", {
                    who: nameOf(names, note.author),
                    when: when(note.createdAt, lang, app.defaultTimeZone),
                  })}
                </p>
                <p dir="auto" style="white-space:pre-wrap">
                  {note.text}
                </p>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action={`${base}/notes`} class="stack">
          <Csrf staff={staff} />
          <label for="note">{ct(lang, "referrals.notes.text", { max: maxNote })}</label>
          <textarea
            id="note"
            name="text"
            rows={3}
            dir="auto"
            maxlength={maxNote}
            aria-invalid={refused?.field === "note" ? "true" : undefined}
          >
            {refused?.field === "note" ? (refused.value ?? "") : ""}
          </textarea>
          <button type="submit">{ct(lang, "referrals.notes.add")}</button>
        </form>
      </Page>
    );
  };

  /** Re-shows the page with the refusal; 404 when the request is gone meanwhile. */
  const refuse = async (c: Ctx, refused: Refused, status: 400 | 409) => {
    const detail = await referralDetail(app.store.db, referralId(c));
    if (!detail) return c.notFound();
    return c.html(await renderDetail(c.get("staff"), detail, undefined, refused), status);
  };

  pages.get("/:id{[0-9]+}", async (c) => {
    const id = referralId(c);
    const detail = await referralDetail(app.store.db, id);
    if (!detail) return c.notFound();
    // Shown as unread this once; the next visit (and the inbox) counts them read.
    await markRead(app.store.db, id, app.clock.now());
    return c.html(await renderDetail(c.get("staff"), detail, flashOf(c)));
  });

  pages.post("/:id{[0-9]+}/status", async (c) => {
    const staff = c.get("staff");
    const status = field(await c.req.parseBody(), "status");
    if (!isStatus(status))
      return refuse(c, { field: "status", error: ct(staff.language, "referrals.errors.status") }, 400);
    const now = app.clock.now();
    const updated = await app.store.transaction((tx) =>
      setReferralStatus(tx, app, { referralId: referralId(c), status, by: staff }, now),
    );
    if (!updated) return c.notFound();
    return c.redirect(`/staff/referrals/${updated.id}?done=status`, 303);
  });

  pages.post("/:id{[0-9]+}/assign", async (c) => {
    const staff = c.get("staff");
    const assignee = field(await c.req.parseBody(), "assignee");
    const now = app.clock.now();
    const result = await app.store.transaction((tx) =>
      assignReferral(
        tx,
        app,
        { referralId: referralId(c), to: assignee === "" ? null : (assignee as Address), by: staff },
        now,
      ),
    );
    if (!result.ok && result.reason === "unknown") return c.notFound();
    if (!result.ok)
      return refuse(c, { field: "assignee", error: ct(staff.language, "referrals.errors.notCounsellor") }, 400);
    return c.redirect(`/staff/referrals/${result.referral.id}?done=assigned`, 303);
  });

  pages.post("/:id{[0-9]+}/notes", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const text = field(await c.req.parseBody(), "text");
    const now = app.clock.now();
    const result = await app.store.transaction((tx) =>
      addNote(tx, { referralId: referralId(c), text, by: staff }, now),
    );
    if (!result.ok && result.reason === "unknown") return c.notFound();
    if (!result.ok) {
      const error =
        result.reason === "empty"
          ? ct(lang, "referrals.errors.noteEmpty")
          : ct(lang, "referrals.errors.noteTooLong", { max: maxNote });
      return refuse(c, { field: "note", error, value: text }, 400);
    }
    return c.redirect(`/staff/referrals/${referralId(c)}?done=note`, 303);
  });

  pages.post("/:id{[0-9]+}/messages", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const text = field(await c.req.parseBody(), "message");
    const now = app.clock.now();
    const result = await app.store.transaction((tx) =>
      sendFromCounsellor(tx, app, { referralId: referralId(c), text, by: staff }, now),
    );
    if (result.sent) return c.redirect(`/staff/referrals/${referralId(c)}?done=sent#thread`, 303);
    if (result.reason === "unknown") return c.notFound();
    if (result.reason === "unreachable") {
      return refuse(c, { field: "message", error: ct(lang, "referrals.errors.unreachable"), value: text }, 409);
    }
    const error =
      result.reason === "empty"
        ? ct(lang, "referrals.errors.messageEmpty")
        : ct(lang, "referrals.errors.messageTooLong", { max: maxCounsellorMessage });
    return refuse(c, { field: "message", error, value: text }, 400);
  });

  pages.post("/:id{[0-9]+}/end", async (c) => {
    const staff = c.get("staff");
    const now = app.clock.now();
    const ended = await app.store.transaction((tx) =>
      endConversation(tx, app, { referralId: referralId(c), by: staff }, now),
    );
    if (!ended) return refuse(c, { field: "end", error: ct(staff.language, "referrals.errors.notOpen") }, 409);
    return c.redirect(`/staff/referrals/${ended.id}?done=ended#thread`, 303);
  });

  return pages;
}
