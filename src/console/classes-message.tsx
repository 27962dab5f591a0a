/**
 * "Message the class" in the console: a text in each of the class's languages (and the teacher's),
 * how many learners it reaches before it is sent, and one press to send it. Each learner gets it in
 * their own language, else their second, else the first one written, as broadcasts do
 * (src/classes/message.ts).
 */
import type { Hono } from "hono";
import type { App } from "../app.ts";
import { classMessageOutsideWindow, classMessageReach } from "../classes/message.ts";
import type { ClassRecord } from "../classes/repository.ts";
import { languageByCode } from "../domain/languages.ts";
import { messageAsStaff } from "./classes-actions.ts";
import { type FieldError, maxMessageLength, readMessageTexts } from "./classes-input.ts";
import { classFromPath, noSuchClass } from "./classes-kit.ts";
import type { ConsoleEnv, StaffSession } from "./context.ts";
import { one } from "./form-body.ts";
import { Csrf, Page } from "./layout.tsx";
import { languageName } from "./meetings-form.tsx";
import { ct } from "./text.ts";

/** The text columns: the class's languages, then the teacher's own. */
function messageColumns(cls: ClassRecord, lang: string): string[] {
  return [...new Set([...cls.languages, lang])].filter((code) => languageByCode(code) !== undefined);
}

const idOf = (field: string) => `f-${field.replace(/\./g, "-")}`;

/**
 * Adds `/:id/message` to the classes router.
 *
 * @example
 * registerMessagePages(pages, app);
 */
export function registerMessagePages(pages: Hono<ConsoleEnv>, app: App): void {
  const render = async (staff: StaffSession, cls: ClassRecord, texts: Record<string, string>, errors: FieldError[]) => {
    const lang = staff.language;
    const base = `/staff/classes/${cls.id}`;
    const reach = await classMessageReach(app.store.reader, cls);
    // WhatsApp learners outside the 24-hour window get nothing without the approved broadcast template.
    const outside = app.whatsappTemplates.broadcast
      ? 0
      : await classMessageOutsideWindow(app.store.reader, cls, app.clock.now());
    return (
      <Page title={ct(lang, "classes.message.heading", { name: cls.name })} staff={staff} path={`${base}/message`}>
        <form method="post" action={`${base}/message`} class="stack" novalidate>
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
          <p class="hint" id={idOf("texts")}>
            {ct(lang, "classes.message.hint")}
          </p>
          {messageColumns(cls, lang).map((code) => {
            const field = `texts.${code}`;
            const mine = errors.filter((e) => e.field === field);
            return (
              <div>
                <label for={idOf(field)}>
                  {ct(lang, "classes.message.textIn", { language: languageName(app.translator, code, lang) })}
                </label>
                <textarea
                  id={idOf(field)}
                  name={field}
                  rows={4}
                  maxlength={maxMessageLength}
                  lang={code}
                  dir={languageByCode(code)?.direction ?? "ltr"}
                  {...(mine.length > 0 ? { "aria-invalid": "true", "aria-describedby": `${idOf(field)}-error` } : {})}
                >
                  {texts[code] ?? ""}
                </textarea>
                {mine.length > 0 ? (
                  <p class="error" id={`${idOf(field)}-error`}>
                    {mine.map((e) => ct(lang, e.key, e.params)).join(" ")}
                  </p>
                ) : null}
              </div>
            );
          })}
          <p id="reach">
            <strong>{ct(lang, "classes.message.reach", { count: reach })}</strong>
          </p>
          {outside > 0 ? (
            <p class="error" role="status">
              {ct(lang, "classes.message.outsideWindow", { count: outside })}
            </p>
          ) : null}
          <div class="row" style="flex:0">
            <button type="submit">{ct(lang, "classes.message.send")}</button>
            <a class="button secondary" href={base}>
              {ct(lang, "classes.message.back")}
            </a>
          </div>
        </form>
      </Page>
    );
  };

  pages.get("/:id{[0-9]+}/message", async (c) => {
    const cls = await classFromPath(app, c);
    if (!cls || cls.status === "archived") return noSuchClass(c);
    return c.html(await render(c.get("staff"), cls, {}, []));
  });

  pages.post("/:id{[0-9]+}/message", async (c) => {
    const staff = c.get("staff");
    const cls = await classFromPath(app, c);
    if (!cls || cls.status === "archived") return noSuchClass(c);
    const body = await c.req.parseBody({ all: true });
    const raw = Object.fromEntries(
      messageColumns(cls, staff.language).map((code) => [code, one(body, `texts.${code}`)]),
    );
    const read = readMessageTexts(raw);
    if (!read.ok) return c.html(await render(staff, cls, raw, read.errors), 400);
    const sent = await messageAsStaff(app, staff, cls.id, read.texts);
    if (!sent) return noSuchClass(c);
    return c.redirect(`/staff/classes/${cls.id}?done=sent&n=${sent.recipients}`, 303);
  });
}
