/**
 * The frame of every console page: one stylesheet inline (no external file or script), a skip link,
 * the navigation the signed-in person's roles allow, the language switch and sign-out. Pages are
 * plain HTML forms that work without JavaScript, on a phone and with a screen reader.
 */
import type { Child } from "hono/jsx";
import { type ConsoleLanguage, hasRole, type StaffSession } from "./context.ts";
import { ct } from "./text.ts";

const style = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f6f6f4}
a{color:#0b5394}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f9a825;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:2}
header{background:#123c52;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
header a{color:#fff}header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}
header nav a[aria-current=page]{font-weight:700;text-decoration:underline 3px}
header .me{margin-left:auto;display:flex;gap:10px;align-items:center;font-size:14px}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.4em 0}h2{font-size:1.2rem;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #ccc;padding:6px 8px;text-align:start;vertical-align:top}
th{background:#e9eef1}.num{text-align:end;font-variant-numeric:tabular-nums}
form.stack{display:grid;gap:12px;max-width:640px;background:#fff;padding:16px;border:1px solid #ccc}
label{font-weight:600;display:block}input,select,textarea{font:inherit;padding:6px;width:100%;max-width:100%;border:1px solid #888;border-radius:3px}
input[type=checkbox],input[type=radio]{width:auto}fieldset{border:1px solid #ccc;padding:8px 12px}
button,.button{font:inherit;padding:8px 14px;border:0;border-radius:3px;background:#0b5394;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#e0e0e0;color:#1b1b1b}button.danger{background:#b3261e}
.row{display:flex;flex-wrap:wrap;gap:12px}.row>*{flex:1 1 200px}
.notice{background:#e8f5e9;border-left:4px solid #2e7d32;padding:8px 12px}.warning{background:#fff4e5;border-left:4px solid #b45309;padding:8px 12px}.error{background:#fdecea;border-left:4px solid #b3261e;padding:8px 12px}
.hint{color:#555;font-size:14px;font-weight:400}.muted{color:#666}
.scroll{overflow-x:auto}
.facts dd{margin:0 0 8px 16px;overflow-wrap:anywhere}.facts ul{margin:0;padding-left:1.2em}
.correction-mark{display:block;width:fit-content;margin-top:4px;padding:0 6px;background:#fff3cd;border:1px solid #b58900;border-radius:3px;font-size:14px;font-weight:400;color:#1b1b1b}
dd .correction-mark{display:inline-block;margin:0}.cards .label{display:none}.cards .tel{white-space:nowrap}tr.group td{background:#dfe7ec;padding-top:10px}tr.group h3{margin:0;font-size:1.05rem}
@media (max-width:700px){table{display:block;overflow-x:auto;max-width:100%}main{padding:10px}
table.cards,table.cards tbody,table.cards tr,table.cards th,table.cards td{display:block;overflow:visible;overflow-wrap:anywhere}
table.cards{border:0;background:none}table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table.cards tr{background:#fff;border:1px solid #ccc;margin:0 0 8px}table.cards th,table.cards td{border:0;padding:2px 10px}
table.cards th{background:none;padding-top:8px}table.cards td:last-child{padding-bottom:8px}
table.cards .label{display:inline;font-weight:600}
table.cards tr.group{background:none;border:0;margin:18px 0 6px}table.cards tr.group td{background:none;padding:0}}
@media print{header,.noprint{display:none}body{background:#fff}}
`;

/** A navigation entry: where, its text key, and the role it needs. */
interface NavItem {
  href: string;
  key: string;
  role: Parameters<typeof hasRole>[1];
}

const nav: readonly NavItem[] = [
  { href: "/staff", key: "nav.overview", role: "staff" },
  { href: "/staff/meetings", key: "nav.meetings", role: "staff" },
  { href: "/staff/broadcasts", key: "nav.broadcasts", role: "staff" },
  { href: "/staff/services", key: "nav.services", role: "staff" },
  { href: "/staff/certificates", key: "nav.certificates", role: "staff" },
  { href: "/staff/classes", key: "nav.classes", role: "teacher" },
  { href: "/staff/referrals", key: "nav.referrals", role: "counsellor" },
  { href: "/staff/texts", key: "nav.texts", role: "translator" },
  { href: "/staff/people", key: "nav.staff", role: "admin" },
  { href: "/staff/audit", key: "nav.audit", role: "admin" },
];

/** Properties of {@link Page}. */
export interface PageProps {
  title: string;
  staff: StaffSession;
  /** The path of this page, to mark the current navigation entry. */
  path: string;
  /** A one-line confirmation or error shown above the content (after a form was sent). */
  /** A warning: saved, but something staff should look at again (amber, read out like an error). */
  flash?: { kind: "notice" | "warning" | "error"; text: string } | undefined;
  children?: Child;
}

/**
 * A whole console page.
 *
 * @example
 * return c.html(<Page title={ct(lang, "meetings.title")} staff={staff} path="/staff/meetings">...</Page>);
 */
export function Page(props: PageProps) {
  const { staff } = props;
  const lang = staff.language;
  const other: ConsoleLanguage = lang === "de" ? "en" : "de";
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Lotse`}</title>
        <style>{style}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          {ct(lang, "nav.skip")}
        </a>
        <header>
          <strong>Lotse</strong>
          <nav aria-label={ct(lang, "nav.label")}>
            <ul>
              {nav
                .filter((item) => hasRole(staff, item.role))
                .map((item) => (
                  <li>
                    <a href={item.href} aria-current={isCurrent(item.href, props.path) ? "page" : undefined}>
                      {ct(lang, item.key)}
                    </a>
                  </li>
                ))}
            </ul>
          </nav>
          <div class="me">
            <form method="post" action="/staff/language">
              <Csrf staff={staff} />
              <input type="hidden" name="language" value={other} />
              <input type="hidden" name="back" value={props.path} />
              <button type="submit" class="secondary" lang={other}>
                {other === "de" ? "Deutsch" : "English"}
              </button>
            </form>
            <form method="post" action="/staff/sign-out">
              <Csrf staff={staff} />
              <button type="submit" class="secondary">
                {ct(lang, "nav.signOut")}
              </button>
            </form>
          </div>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.flash ? (
            <p class={props.flash.kind} role={props.flash.kind === "notice" ? "status" : "alert"}>
              {props.flash.text}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

function isCurrent(href: string, path: string): boolean {
  return href === "/staff" ? path === "/staff" : path === href || path.startsWith(`${href}/`);
}

/**
 * The hidden CSRF field every form carries; the session middleware refuses a POST without it.
 *
 * @example
 * <form method="post"><Csrf staff={staff} />...</form>
 */
export function Csrf(props: { staff: StaffSession }) {
  return <input type="hidden" name="_csrf" value={props.staff.csrf} />;
}

/**
 * A page outside the signed-in frame (sign-in, errors): same style, no navigation.
 *
 * @example
 * return c.html(<BarePage title="Sign in" lang="en">...</BarePage>);
 */
export function BarePage(props: { title: string; lang: ConsoleLanguage; children?: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Lotse`}</title>
        <style>{style}</style>
      </head>
      <body>
        <header>
          <strong>Lotse</strong>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}
