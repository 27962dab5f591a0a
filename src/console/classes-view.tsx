/**
 * The parts of a class's pages in the console: the join code with its links, the completion per
 * course and of the whole programme, the learners' progress lesson by lesson, and the sessions.
 * Learners appear by the name they chose for the class or as "Learner <ref>", never by chat address.
 */

import type { JoinWay } from "../classes/join-links.ts";
import type { ClassProgress, Completion, LearnerProgress, LessonMark } from "../classes/progress.ts";
import type { ClassRecord } from "../classes/repository.ts";
import type { ContentPack } from "../content/pack.ts";
import { cityById } from "../domain/cities.ts";
import { dateLocale } from "../domain/languages.ts";
import type { Translator } from "../i18n/index.ts";
import type { Meeting } from "../meetings/repository.ts";
import type { ConsoleLanguage, StaffSession } from "./context.ts";
import { Csrf } from "./layout.tsx";
import { languageName } from "./meetings-form.tsx";
import { localized } from "./overview-tables.ts";
import { ct } from "./text.ts";

/** Extra styles of the class pages (the layout's stylesheet has the rest). */
export const classStyle = `
.code{font:700 3rem/1.1 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.25em;margin:.2em 0}
.ways{display:grid;gap:8px;padding:0;list-style:none}.ways li{background:#fff;border:1px solid #ccc;padding:8px 12px;overflow-wrap:anywhere}
.flag{font-weight:700;color:#8a1c14}.done{color:#1b5e20}.mark{text-align:center}
.big{font-size:1.1rem}
`;

/**
 * How a learner is named to the teacher: the name they chose, else "Learner <ref>".
 *
 * @example
 * learnerName({ name: null, ref: "a1b2c3d4" }, "en"); // "Learner a1b2c3d4"
 */
export function learnerName(learner: Pick<LearnerProgress, "name" | "ref">, lang: ConsoleLanguage): string {
  return learner.name ?? ct(lang, "classes.learners.unnamed", { ref: learner.ref });
}

/**
 * A share as a percentage in the console's language.
 *
 * @example
 * percent(0.5, "de"); // "50 %"
 */
export function percent(rate: number, lang: ConsoleLanguage): string {
  return new Intl.NumberFormat(dateLocale(lang), { style: "percent", maximumFractionDigits: 0 }).format(rate);
}

/**
 * A completion in words.
 *
 * @example
 * completionText({ finished: 3, of: 8, rate: 0.375 }, "en"); // "3 of 8 (38%)"
 */
export function completionText(completion: Completion, lang: ConsoleLanguage): string {
  return ct(lang, "classes.completion.value", {
    finished: completion.finished,
    of: completion.of,
    rate: percent(completion.rate, lang),
  });
}

/**
 * A time in the class's zone, as a teacher reads it.
 *
 * @example
 * when(new Date("2026-03-10T17:00:00Z"), "Europe/Berlin", "en"); // "Mar 10, 2026, 6:00 PM"
 */
export function when(at: Date, zone: string, lang: ConsoleLanguage): string {
  return new Intl.DateTimeFormat(dateLocale(lang), { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(
    at,
  );
}

/**
 * A local day (YYYY-MM-DD) as a teacher reads it.
 *
 * @example
 * dayText("2026-03-31", "de"); // "31.03.2026"
 */
export function dayText(day: string, lang: ConsoleLanguage): string {
  return new Intl.DateTimeFormat(dateLocale(lang), { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

/**
 * The city of a class, or "Online".
 *
 * @example
 * cityText({ city: "leipzig" }, "en"); // "Leipzig"
 */
export function cityText(cls: Pick<ClassRecord, "city">, lang: ConsoleLanguage): string {
  return cls.city ? (cityById(cls.city)?.name ?? cls.city) : ct(lang, "classes.form.online");
}

/**
 * A course's title in the console's language (its id when the pack no longer has it).
 *
 * @example
 * courseTitle(app.content, "safe-online", "en"); // "Stay safe online"
 */
export function courseTitle(pack: ContentPack, id: string, lang: ConsoleLanguage): string {
  return localized(pack.course(id)?.title, lang) || id;
}

/**
 * The class's languages by name.
 *
 * @example
 * languagesText(app.translator, ["en", "ar"], "en"); // "English (en), Arabic · العربية"
 */
export function languagesText(translator: Translator, codes: readonly string[], lang: ConsoleLanguage): string {
  return codes.map((code) => languageName(translator, code, lang)).join(", ");
}

/**
 * The session's place: the address, the online link, or both.
 *
 * @example
 * placeText({ place: "Library", onlineUrl: null }); // "Library"
 */
export function placeText(meeting: Pick<Meeting, "place" | "onlineUrl">): string {
  return [meeting.place, meeting.onlineUrl].filter(Boolean).join(" · ") || "–";
}

/**
 * The join code in large letters and the three ways in.
 *
 * @example
 * <JoinBox code="K7F2Q" ways={joinWays("K7F2Q", app)} lang="en" />
 */
export function JoinBox(props: { code: string; ways: readonly JoinWay[]; lang: ConsoleLanguage; expires?: string }) {
  const { lang } = props;
  return (
    <section aria-labelledby="join-heading">
      <h2 id="join-heading">{ct(lang, "classes.join.heading")}</h2>
      <p>{ct(lang, "classes.join.codeIntro")}</p>
      <p class="code">
        <span aria-hidden="true">{props.code}</span>
        <span class="skip">{ct(lang, "classes.join.codeLabel", { code: [...props.code].join(" ") })}</span>
      </p>
      {props.expires ? <p class="hint">{ct(lang, "classes.join.expires", { day: props.expires })}</p> : null}
      <ul class="ways">
        {props.ways.map((way) => (
          <li>
            <strong>{ct(lang, `classes.join.${way.channel}`)}</strong>
            <br />
            {way.url ? <a href={way.url}>{way.url}</a> : null}
            {way.url ? <br /> : null}
            <span class="hint">
              {ct(lang, way.url ? "classes.join.orType" : "classes.join.type", { text: way.typed })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The share that finished each course and the whole programme.
 *
 * @example
 * <CompletionTable progress={progress} pack={app.content} lang="en" />
 */
export function CompletionTable(props: { progress: ClassProgress; pack: ContentPack; lang: ConsoleLanguage }) {
  const { progress, lang } = props;
  return (
    <table style="max-width:560px">
      <thead>
        <tr>
          <th scope="col">{ct(lang, "classes.completion.course")}</th>
          <th scope="col" class="num">
            {ct(lang, "classes.completion.finished")}
          </th>
        </tr>
      </thead>
      <tbody>
        {progress.perCourse.map((c) => (
          <tr>
            <th scope="row">{courseTitle(props.pack, c.course, lang)}</th>
            <td class="num">{completionText(c.completion, lang)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">
            <strong>{ct(lang, "classes.completion.programme")}</strong>
          </th>
          <td class="num">
            <strong>{completionText(progress.programme, lang)}</strong>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

const markSymbol: Record<LessonMark, string> = { done: "✓", started: "◐", none: "·" };

function LessonCell(props: { learner: LearnerProgress; lesson: string; lang: ConsoleLanguage }) {
  const mark = props.learner.lessons[props.lesson] ?? "none";
  const quiz = props.learner.quiz[props.lesson];
  return (
    <td class={`mark${mark === "done" ? " done" : ""}`}>
      <span aria-hidden="true">{markSymbol[mark]}</span>
      <span class="skip">{ct(props.lang, `classes.learners.mark.${mark}`)}</span>
      {quiz ? (
        <>
          <br />
          <span class="hint">{`${quiz.score}/${quiz.total}`}</span>
        </>
      ) : null}
    </td>
  );
}

/**
 * Each learner's progress: lessons done of the class's courses (a mark per lesson, with the best quiz
 * score), the last activity, and who has not started or has stalled for 7 days.
 *
 * @example
 * <LearnersTable progress={progress} pack={app.content} lang="en" zone="Europe/Berlin" />
 */
export function LearnersTable(props: {
  progress: ClassProgress;
  pack: ContentPack;
  lang: ConsoleLanguage;
  zone: string;
}) {
  const { progress, lang, pack } = props;
  if (progress.learners.length === 0) return <p>{ct(lang, "classes.learners.none")}</p>;
  const courses = progress.perCourse.map((c) => c.course);
  const lessonTitle = (id: string) => localized(pack.lesson(id)?.title, lang) || id;
  return (
    <>
      <p class="hint">{ct(lang, "classes.learners.caption")}</p>
      <div class="scroll">
        <table id="learners">
          <thead>
            <tr>
              <th scope="col" rowspan={2}>
                {ct(lang, "classes.learners.learner")}
              </th>
              <th scope="col" rowspan={2} class="num">
                {ct(lang, "classes.learners.done")}
              </th>
              {courses.map((course) => (
                <th scope="colgroup" colspan={progress.lessons.filter((l) => l.course === course).length}>
                  {courseTitle(pack, course, lang)}
                </th>
              ))}
              <th scope="col" rowspan={2}>
                {ct(lang, "classes.learners.lastActive")}
              </th>
              <th scope="col" rowspan={2}>
                {ct(lang, "classes.learners.state")}
              </th>
            </tr>
            <tr>
              {progress.lessons.map((l, i) => (
                <th scope="col" class="mark">
                  <abbr title={lessonTitle(l.lesson)}>{i + 1}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {progress.learners.map((learner) => (
              <tr>
                <th scope="row">{learnerName(learner, lang)}</th>
                <td class="num">{`${learner.done}/${learner.total}`}</td>
                {progress.lessons.map((l) => (
                  <LessonCell learner={learner} lesson={l.lesson} lang={lang} />
                ))}
                <td>{learner.lastActive ? when(learner.lastActive, props.zone, lang) : "–"}</td>
                <td class={learner.state === "not-started" || learner.state === "stalled" ? "flag" : undefined}>
                  {ct(lang, `classes.learners.states.${learner.state}`)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">{ct(lang, "classes.learners.legend")}</p>
      <details>
        <summary>{ct(lang, "classes.learners.lessons")}</summary>
        <ol>
          {progress.lessons.map((l) => (
            <li>{`${lessonTitle(l.lesson)} (${courseTitle(pack, l.course, lang)})`}</li>
          ))}
        </ol>
      </details>
    </>
  );
}

/** A session with its figures, for the class page's list. */
export interface SessionRow {
  meeting: Meeting;
  coming: number;
  came: number;
}

/**
 * The class's sessions, soonest first, each with a link to mark attendance.
 *
 * @example
 * <SessionsTable classId={1} rows={rows} lang="en" zone="Europe/Berlin" />
 */
export function SessionsTable(props: {
  classId: number;
  rows: readonly SessionRow[];
  lang: ConsoleLanguage;
  zone: string;
}) {
  const { lang } = props;
  if (props.rows.length === 0) return <p>{ct(lang, "classes.sessions.none")}</p>;
  return (
    <div class="scroll">
      <table id="sessions">
        <thead>
          <tr>
            <th scope="col">{ct(lang, "classes.sessions.when")}</th>
            <th scope="col">{ct(lang, "classes.sessions.where")}</th>
            <th scope="col" class="num">
              {ct(lang, "classes.sessions.coming")}
            </th>
            <th scope="col" class="num">
              {ct(lang, "classes.sessions.came")}
            </th>
            <th scope="col">{ct(lang, "classes.sessions.attendance")}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ meeting, coming, came }) => (
            <tr>
              <th scope="row" style="font-weight:400">
                {when(meeting.startsAt, props.zone, lang)}
                {meeting.status === "cancelled" ? ` (${ct(lang, "classes.sessions.cancelled")})` : ""}
              </th>
              <td>{placeText(meeting)}</td>
              <td class="num">{coming}</td>
              <td class="num">{came}</td>
              <td>
                <a href={`/staff/classes/${props.classId}/sessions/${meeting.id}`}>
                  {ct(lang, "classes.sessions.mark")}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The class's settings as a list: city, languages, courses with their dates, places, code expiry.
 *
 * @example
 * <ClassFacts cls={cls} ... />
 */
export function ClassFacts(props: {
  cls: ClassRecord;
  learners: number;
  current: string | undefined;
  pack: ContentPack;
  translator: Translator;
  lang: ConsoleLanguage;
  showTeacher: boolean;
}) {
  const { cls, lang } = props;
  return (
    <dl>
      <dt>{ct(lang, "classes.form.city")}</dt>
      <dd>{cityText(cls, lang)}</dd>
      <dt>{ct(lang, "classes.form.languages")}</dt>
      <dd>{languagesText(props.translator, cls.languages, lang)}</dd>
      <dt>{ct(lang, "classes.form.courses")}</dt>
      <dd>
        <ol style="margin:0;padding-inline-start:1.2em">
          {cls.courses.map((c) => (
            <li>
              {courseTitle(props.pack, c.course, lang)}
              {c.startsOn || c.endsOn
                ? ` (${c.startsOn ? dayText(c.startsOn, lang) : "…"} – ${c.endsOn ? dayText(c.endsOn, lang) : "…"})`
                : ""}
              {c.course === props.current ? <strong>{` · ${ct(lang, "classes.list.now")}`}</strong> : null}
            </li>
          ))}
        </ol>
      </dd>
      <dt>{ct(lang, "classes.list.learners")}</dt>
      <dd>{cls.capacity === null ? String(props.learners) : `${props.learners} / ${cls.capacity}`}</dd>
      {props.showTeacher ? (
        <>
          <dt>{ct(lang, "classes.form.teacher")}</dt>
          <dd>{cls.teacher ?? "–"}</dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * A form with one button that posts to `action` (renew the code, and such).
 *
 * @example
 * <ButtonForm staff={staff} action="/staff/classes/1/code" label="New join code" />
 */
export function ButtonForm(props: {
  staff: StaffSession;
  action: string;
  label: string;
  kind?: "secondary" | "danger";
}) {
  return (
    <form method="post" action={props.action} style="display:inline">
      <Csrf staff={props.staff} />
      <button type="submit" class={props.kind}>
        {props.label}
      </button>
    </form>
  );
}
