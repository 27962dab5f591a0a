/**
 * The audit log page (admins): who did what, when, newest first, 100 at a time.
 */
import { Hono } from "hono";
import type { App } from "../app.ts";
import { auditEntries } from "./audit.ts";
import type { ConsoleEnv } from "./context.ts";
import { requireRole } from "./guard.ts";
import { Page } from "./layout.tsx";
import { consoleTranslator, ct } from "./text.ts";

/**
 * The audit page at `/staff/audit`.
 *
 * @example
 * staff.route("/audit", auditPages(app));
 */
export function auditPages(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  pages.use("*", requireRole("admin"));
  pages.get("/", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const before = Number(c.req.query("before")) || undefined;
    const entries = await auditEntries(app.store.db, { limit: 100, before });
    const last = entries.at(-1);
    return c.html(
      <Page title={ct(lang, "audit.title")} staff={staff} path="/staff/audit">
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{ct(lang, "audit.when")}</th>
                <th scope="col">{ct(lang, "audit.who")}</th>
                <th scope="col">{ct(lang, "audit.what")}</th>
                <th scope="col">{ct(lang, "audit.whom")}</th>
                <th scope="col">{ct(lang, "audit.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td>
                    <time datetime={e.createdAt}>
                      {new Date(e.createdAt).toLocaleString(lang === "de" ? "de-DE" : "en-GB", {
                        timeZone: app.defaultTimeZone,
                      })}
                    </time>
                  </td>
                  <td>
                    <code>{e.actor ?? ct(lang, "audit.deleted")}</code>
                  </td>
                  <td>
                    {consoleTranslator().has(lang, `audit.actions.${e.action}`)
                      ? ct(lang, `audit.actions.${e.action}`)
                      : e.action}
                  </td>
                  <td>{e.subject ? <code>{e.subject}</code> : "–"}</td>
                  <td>
                    <code>{JSON.stringify(e.detail)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {entries.length === 100 && last ? (
          <p>
            <a href={`/staff/audit?before=${last.id}`}>{ct(lang, "audit.older")}</a>
          </p>
        ) : null}
      </Page>,
    );
  });
  return pages;
}
