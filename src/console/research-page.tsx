/**
 * The research export page at `/staff/research` (role staff): whether it is on, how many people
 * said yes, what the export holds, and the two downloads. A download is a POST with the form token
 * (it writes the audit log), answered with the file.
 */
import { Hono } from "hono";
import type { App } from "../app.ts";
import { exportResearch, type ResearchFormat, researchFormats } from "../research/export.ts";
import { fallbackHomePage } from "../research/formats.ts";
import { minKeyLength } from "../research/pseudonym.ts";
import { consentingPeople } from "../research/records.ts";
import type { ConsoleEnv, StaffSession } from "./context.ts";
import { requireRole } from "./guard.ts";
import { Csrf, Page } from "./layout.tsx";
import { ct } from "./text.ts";

async function render(app: App, staff: StaffSession, error?: string) {
  const lang = staff.language;
  const t = (key: string, params?: Record<string, unknown>) => ct(lang, `research.${key}`, params);
  const key = app.research.hashKey;
  const count = await consentingPeople(app.store.db);
  const flash = error ? { kind: "error" as const, text: error } : undefined;
  return (
    <Page title={t("title")} staff={staff} path="/staff/research" flash={flash}>
      <p>{t("intro")}</p>
      <p>{t("contents")}</p>
      <p>
        <strong>{t("consenting", { count })}</strong>
      </p>
      {key ? (
        <form method="post" action="/staff/research/export" class="stack">
          <Csrf staff={staff} />
          <fieldset>
            <legend>{t("format")}</legend>
            <label style="font-weight:400">
              <input type="radio" name="format" value="csv" checked /> {t("csv")}
            </label>
            <label style="font-weight:400">
              <input type="radio" name="format" value="xapi" /> {t("xapi")}
            </label>
            <p class="hint">{t("xapiHint", { homePage: app.research.homePage ?? fallbackHomePage })}</p>
          </fieldset>
          <p class="hint">{t("audited")}</p>
          <div>
            <button type="submit">{t("download")}</button>
          </div>
        </form>
      ) : (
        <div class="error" role="status">
          <p>
            <strong>{t("off")}</strong>
          </p>
          <p>{t("howToTurnOn", { min: minKeyLength })}</p>
        </div>
      )}
      <p>
        <a href="/staff">{t("back")}</a>
      </p>
    </Page>
  );
}

/**
 * The research page (`/`) and its download (`POST /export`), mounted at `/staff/research`.
 *
 * @example
 * pages.route("/research", researchRoutes(app));
 */
export function researchRoutes(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  const staffOnly = requireRole("staff");
  pages.get("/", staffOnly, async (c) => c.html(await render(app, c.get("staff"))));
  pages.post("/export", staffOnly, async (c) => {
    const staff = c.get("staff");
    const key = app.research.hashKey;
    if (!key) return c.html(await render(app, staff, ct(staff.language, "research.off")), 409);
    const body = await c.req.parseBody();
    const format = researchFormats.find((f): f is ResearchFormat => f === body.format);
    if (!format) return c.html(await render(app, staff, ct(staff.language, "research.badFormat")), 400);
    const file = await exportResearch(
      app.store.db,
      staff,
      { key, homePage: app.research.homePage, format },
      app.clock.now(),
    );
    return c.body(file.body, 200, {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    });
  });
  return pages;
}
