/**
 * Signing in to the console: pick the channel and type the number or id you use with the bot, get a
 * 6-digit code in that chat, type it here. With `ADMIN_TOKEN` the first admin adds themselves the same
 * way. The pages say the same whether or not the address belongs to staff, so they reveal nobody.
 */
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { App } from "../app.ts";
import { type Address, parseAddress, toAddress } from "../domain/address.ts";
import { asciiDigits } from "../domain/digits.ts";
import { staffRolesOf } from "../meetings/repository.ts";
import { saveStaffMember } from "../staff/members.ts";
import { StaffRights } from "../staff/rights.ts";
import { type StaffRole, staffRoles } from "../staff/roles.ts";
import { audit } from "./audit.ts";
import { type ConsoleLanguage, homeFor, type StaffSession } from "./context.ts";
import { BarePage } from "./layout.tsx";
import { sameSecret, sessionCookie } from "./session.ts";
import { createSession, sessionMs } from "./sessions.ts";
import { checkCode, requestCode } from "./sign-in-codes.ts";
import { consoleLanguageFrom, ct } from "./text.ts";

const pendingCookie = "lotse_staff_pending";
const nextCookie = "lotse_staff_next";

/** A path inside the console (never another site: no "//", no scheme). */
function isConsolePath(path: string): boolean {
  return (
    /^\/staff(\/[A-Za-z0-9/_.-]*)?(\?[A-Za-z0-9=&_%.-]*)?$/.test(path) && !path.includes("//") && !path.includes("..")
  );
}

const langCookie = "lotse_console_lang";

/** What the sign-in pages need from the configuration. */
export interface SignInOptions {
  adminToken?: string | undefined;
  /** Cookies are `Secure` when the public address is https. */
  publicUrl?: string | undefined;
  whatsappAuthTemplate?: string | undefined;
}

/**
 * The address someone typed: a channel and the number or id they use there, or a whole address.
 * A WhatsApp number may carry +, spaces, dashes and Persian or Arabic digits.
 *
 * @example
 * addressFrom("whatsapp", "+49 151 2345 6789"); // "whatsapp:4915123456789"
 */
export function addressFrom(channel: string, typed: string): Address | undefined {
  const raw = asciiDigits(typed.trim());
  try {
    // A whole address, such as "whatsapp:+49 151 2345678": its channel, then the same clean-up.
    const colon = raw.indexOf(":");
    if (colon > 0) return addressFrom(raw.slice(0, colon), raw.slice(colon + 1));
    if (channel === "whatsapp") return toAddress("whatsapp", raw.replace(/[\s()+\-./]/g, "").replace(/^00/, ""));
    if (channel === "telegram") return toAddress("telegram", raw.replace(/\s/g, ""));
    if (channel === "web") return toAddress("web", raw);
    if (channel === "console") return toAddress("console", raw);
  } catch {
    return undefined;
  }
  return undefined;
}

function languageOf(
  c: { req: { header(name: string): string | undefined } },
  cookie: string | undefined,
): ConsoleLanguage {
  return consoleLanguageFrom(c.req.header("accept-language"), cookie);
}

/**
 * The messenger and the number or id. `prefix` keeps the ids apart when two forms are on one page (the
 * sign-in and the first admin's): with the same id twice, the second field's label points at the first
 * field, so it has no label for screen readers and clicking it focuses the wrong field.
 */
function ChannelFields(props: { lang: ConsoleLanguage; prefix: string; channel?: string; id?: string }) {
  const { lang, prefix } = props;
  return (
    <>
      <fieldset>
        <legend>{ct(lang, "signIn.channel")}</legend>
        {(["telegram", "whatsapp", "web"] as const).map((channel) => (
          <label style="font-weight:400">
            <input type="radio" name="channel" value={channel} checked={(props.channel ?? "telegram") === channel} />{" "}
            {ct(lang, `signIn.channels.${channel}`)}
          </label>
        ))}
      </fieldset>
      <div>
        <label for={`${prefix}id`}>{ct(lang, "signIn.id")}</label>
        <input
          id={`${prefix}id`}
          name="id"
          required
          autocomplete="username"
          value={props.id ?? ""}
          aria-describedby={`${prefix}id-hint`}
        />
        <p id={`${prefix}id-hint`} class="hint">
          {ct(lang, "signIn.idHint")}
        </p>
      </div>
    </>
  );
}

/**
 * The sign-in routes (mounted before the session check).
 *
 * @example
 * staff.route("/", signInPages(app, { adminToken: config.ADMIN_TOKEN }));
 */
export function signInPages(app: App, options: SignInOptions): Hono {
  const pages = new Hono();
  const secure = (options.publicUrl ?? "").startsWith("https:");
  const rights = new StaffRights(app.staff, app.logger);

  const askForAddress = (
    lang: ConsoleLanguage,
    error?: string,
    values?: { channel?: string; id?: string },
    // A refused first-admin form comes back open, with the address kept (never the token).
    firstAdmin?: { channel?: string; id?: string },
  ) => (
    <BarePage title={ct(lang, "signIn.title")} lang={lang}>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <form method="post" action="/staff/sign-in" class="stack" aria-label={ct(lang, "signIn.title")}>
        <p>{ct(lang, "signIn.intro")}</p>
        <ChannelFields lang={lang} prefix="" {...(firstAdmin ? {} : values)} />
        <button type="submit">{ct(lang, "signIn.send")}</button>
      </form>
      {options.adminToken ? (
        <details style="margin-top:24px" open={firstAdmin !== undefined}>
          <summary>{ct(lang, "signIn.firstAdmin")}</summary>
          <form
            method="post"
            action="/staff/sign-in/first-admin"
            class="stack"
            aria-label={ct(lang, "signIn.firstAdmin")}
          >
            <p>{ct(lang, "signIn.firstAdminIntro")}</p>
            <div>
              <label for="token">{ct(lang, "signIn.token")}</label>
              <input id="token" name="token" type="password" required autocomplete="off" />
            </div>
            <ChannelFields lang={lang} prefix="admin-" {...firstAdmin} />
            <button type="submit">{ct(lang, "signIn.send")}</button>
          </form>
        </details>
      ) : null}
    </BarePage>
  );

  const askForCode = (lang: ConsoleLanguage, error?: string, status = 200) => (
    <BarePage title={ct(lang, "signIn.codeTitle")} lang={lang}>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : (
        <p class="notice" role="status">
          {ct(lang, "signIn.codeSent")}
        </p>
      )}
      <form method="post" action="/staff/sign-in/code" class="stack" data-status={status}>
        <div>
          <label for="code">{ct(lang, "signIn.code")}</label>
          <input id="code" name="code" required inputmode="numeric" autocomplete="one-time-code" maxlength={12} />
        </div>
        <button type="submit">{ct(lang, "signIn.confirm")}</button>
      </form>
      <p>
        <a href="/staff/sign-in">{ct(lang, "signIn.again")}</a>
      </p>
    </BarePage>
  );

  pages.get("/sign-in", (c) => {
    // Where the person was going (a link to a referral in a counsellor's notice): back there afterwards.
    const next = c.req.query("next") ?? "";
    if (isConsolePath(next))
      setCookie(c, nextCookie, next, { httpOnly: true, secure, sameSite: "Lax", path: "/staff", maxAge: 15 * 60 });
    return c.html(askForAddress(languageOf(c, getCookie(c, langCookie))));
  });

  const startCode = async (c: Context, address: Address, lang: ConsoleLanguage) => {
    const now = app.clock.now();
    const isStaff = (await rights.rolesOf(app.store.reader, address)).size > 0;
    const result = await app.store.transaction((tx) =>
      requestCode(app, tx, address, isStaff, now, { whatsappAuthTemplate: options.whatsappAuthTemplate }),
    );
    if (result.kind === "locked")
      return c.html(
        askForAddress(
          lang,
          ct(lang, "signIn.locked", { minutes: Math.ceil((result.until.getTime() - now.getTime()) / 60_000) }),
        ),
        429,
      );
    if (result.kind === "not-sent" && result.reason === "unknown")
      app.logger.info("staff.sign_in_unknown", { channel: address.slice(0, address.indexOf(":")) });
    setCookie(c, pendingCookie, address, {
      httpOnly: true,
      secure,
      sameSite: "Strict",
      path: "/staff",
      maxAge: 15 * 60,
    });
    return c.redirect("/staff/sign-in/code", 303);
  };

  pages.post("/sign-in", async (c) => {
    const lang = languageOf(c, getCookie(c, langCookie));
    const body = await c.req.parseBody();
    const channel = String(body.channel ?? "");
    const id = String(body.id ?? "");
    const address = addressFrom(channel, id);
    if (!address) return c.html(askForAddress(lang, ct(lang, "signIn.badId"), { channel, id }), 400);
    return startCode(c, address, lang);
  });

  pages.post("/sign-in/first-admin", async (c) => {
    const lang = languageOf(c, getCookie(c, langCookie));
    const body = await c.req.parseBody();
    const token = String(body.token ?? "");
    const typed = { channel: String(body.channel ?? ""), id: String(body.id ?? "") };
    if (!options.adminToken || !sameSecret(token, options.adminToken))
      return c.html(askForAddress(lang, ct(lang, "signIn.badToken"), undefined, typed), 401);
    const address = addressFrom(typed.channel, typed.id);
    // Only a chat that wrote to the bot: a typo must not leave a stray admin behind.
    if (!address || !(await app.store.reader.getUser(address)))
      return c.html(askForAddress(lang, ct(lang, "signIn.unknownChat"), undefined, typed), 400);
    const now = app.clock.now();
    await app.store.transaction(async (tx) => {
      // Admin added to what they had (a counsellor setting up stays a counsellor).
      const had = (await staffRolesOf(tx.db, address)).filter((r): r is StaffRole =>
        (staffRoles as readonly string[]).includes(r),
      );
      await saveStaffMember(tx, address, { roles: [...new Set<StaffRole>([...had, "admin"])] }, now);
      const bootstrap: StaffSession = {
        address: "admin-token",
        roles: new Set(["admin"]),
        language: lang,
        csrf: "",
        sessionId: null,
      };
      await audit(tx.db, bootstrap, "staff.add", { roles: ["admin"], via: "ADMIN_TOKEN" }, now, address);
    });
    return startCode(c, address, lang);
  });

  pages.get("/sign-in/code", (c) => {
    const lang = languageOf(c, getCookie(c, langCookie));
    if (!getCookie(c, pendingCookie)) return c.redirect("/staff/sign-in", 303);
    return c.html(askForCode(lang));
  });

  pages.post("/sign-in/code", async (c) => {
    const lang = languageOf(c, getCookie(c, langCookie));
    const pending = getCookie(c, pendingCookie);
    let address: Address;
    try {
      parseAddress(pending ?? "");
      address = pending as Address;
    } catch {
      return c.redirect("/staff/sign-in", 303);
    }
    const body = await c.req.parseBody();
    const typed = asciiDigits(String(body.code ?? ""));
    const now = app.clock.now();
    const check = await app.store.transaction((tx) => checkCode(tx, address, typed, now));
    if (check.kind === "wrong")
      return c.html(askForCode(lang, ct(lang, "signIn.wrong", { count: check.triesLeft }), 400), 400);
    if (check.kind === "expired") return c.html(askForCode(lang, ct(lang, "signIn.expired"), 400), 400);
    if (check.kind === "locked")
      return c.html(
        askForCode(
          lang,
          ct(lang, "signIn.locked", { minutes: Math.ceil((check.until.getTime() - now.getTime()) / 60_000) }),
          429,
        ),
        429,
      );
    const roles = await rights.rolesOf(app.store.reader, address);
    if (roles.size === 0) return c.html(askForAddress(lang, ct(lang, "signIn.notStaff")), 403);
    const cookie = await app.store.transaction(async (tx) => {
      const value = await createSession(tx.db, address, lang, now);
      const who: StaffSession = { address, roles, language: lang, csrf: "", sessionId: null };
      await audit(tx.db, who, "staff.sign-in", {}, now);
      return value;
    });
    setCookie(c, sessionCookie, cookie, {
      httpOnly: true,
      secure,
      sameSite: "Strict",
      path: "/",
      maxAge: sessionMs / 1000,
    });
    deleteCookie(c, pendingCookie, { path: "/staff" });
    const next = getCookie(c, nextCookie);
    deleteCookie(c, nextCookie, { path: "/staff" });
    // "/staff" itself is the overview, which only staff may see: anyone else (a teacher who opened the
    // console's address) lands on their own start page instead of a refusal.
    const wanted = next && isConsolePath(next) && next.replace(/\/+$/, "") !== "/staff" ? next : undefined;
    return c.redirect(wanted ?? homeFor(roles), 303);
  });

  return pages;
}
