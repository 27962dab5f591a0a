/**
 * Staff management (admins): who has which role, add someone by their messenger and number, change
 * roles, remove. People configured in `STAFF_ADDRESSES` are shown but changed only there.
 */
import { Hono } from "hono";
import type { App } from "../app.ts";
import type { Address } from "../domain/address.ts";
import { listStaff, removeStaffMember, saveStaffMember, staffChangeProblem } from "../staff/members.ts";
import { type StaffRole, staffRoles } from "../staff/roles.ts";
import { audit } from "./audit.ts";
import type { ConsoleEnv, StaffSession } from "./context.ts";
import { requireRole } from "./guard.ts";
import { Csrf, Page } from "./layout.tsx";
import { addressFrom } from "./sign-in.tsx";
import { ct } from "./text.ts";

function RoleBoxes(props: { staff: StaffSession; checked: readonly string[]; idPrefix: string }) {
  const lang = props.staff.language;
  return (
    <fieldset>
      <legend>{ct(lang, "people.roles")}</legend>
      {staffRoles.map((role) => (
        <label style="font-weight:400;display:block">
          <input
            type="checkbox"
            name="roles"
            value={role}
            id={`${props.idPrefix}-${role}`}
            checked={props.checked.includes(role)}
          />{" "}
          <strong>{ct(lang, `people.role.${role}`)}</strong>{" "}
          <span class="hint">{ct(lang, `people.roleHint.${role}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

function rolesFrom(value: string | File | (string | File)[] | undefined): StaffRole[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((r): r is StaffRole => typeof r === "string" && (staffRoles as readonly string[]).includes(r));
}

/**
 * The staff page at `/staff/people`.
 *
 * @example
 * staff.route("/people", peoplePages(app));
 */
export function peoplePages(app: App): Hono<ConsoleEnv> {
  const pages = new Hono<ConsoleEnv>();
  pages.use("*", requireRole("admin"));

  const render = async (
    staff: StaffSession,
    flash?: { kind: "notice" | "error"; text: string },
    form?: { channel?: string; id?: string; name?: string; roles?: string[] },
  ) => {
    const lang = staff.language;
    const members = await listStaff(app.store.reader, app.staff);
    return (
      <Page title={ct(lang, "people.title")} staff={staff} path="/staff/people" flash={flash}>
        <div class="scroll">
          <table>
            <caption class="muted" style="text-align:start">
              {ct(lang, "people.count", { count: members.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{ct(lang, "people.name")}</th>
                <th scope="col">{ct(lang, "people.address")}</th>
                <th scope="col">{ct(lang, "people.roles")}</th>
                <th scope="col">{ct(lang, "people.change")}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m, i) => (
                <tr>
                  <td>{m.name ?? "–"}</td>
                  <td>
                    <code>{m.address}</code>
                  </td>
                  <td>{m.roles.map((r) => ct(lang, `people.role.${r}`)).join(", ")}</td>
                  <td>
                    {m.source === "config" ? (
                      <span class="hint">{ct(lang, "people.configured")}</span>
                    ) : (
                      <details>
                        <summary>{ct(lang, "people.edit")}</summary>
                        <form method="post" action="/staff/people/save" class="stack">
                          <Csrf staff={staff} />
                          <input type="hidden" name="id" value={m.address} />
                          <div>
                            <label for={`name-${i}`}>{ct(lang, "people.name")}</label>
                            <input id={`name-${i}`} name="name" value={m.name ?? ""} maxlength={80} />
                          </div>
                          <RoleBoxes staff={staff} checked={m.roles} idPrefix={`r${i}`} />
                          <button type="submit">{ct(lang, "people.saveRoles")}</button>
                        </form>
                        <form method="post" action="/staff/people/remove" style="margin-top:8px">
                          <Csrf staff={staff} />
                          <input type="hidden" name="address" value={m.address} />
                          <button type="submit" class="danger">
                            {ct(lang, "people.remove")}
                          </button>
                        </form>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2 id="add-heading">{ct(lang, "people.add")}</h2>
        <form method="post" action="/staff/people/save" class="stack" aria-labelledby="add-heading">
          <Csrf staff={staff} />
          <fieldset>
            <legend>{ct(lang, "signIn.channel")}</legend>
            {(["telegram", "whatsapp", "web"] as const).map((channel) => (
              <label style="font-weight:400">
                <input
                  type="radio"
                  name="channel"
                  value={channel}
                  checked={(form?.channel ?? "telegram") === channel}
                />{" "}
                {ct(lang, `signIn.channels.${channel}`)}{" "}
              </label>
            ))}
          </fieldset>
          <div>
            <label for="new-id">{ct(lang, "signIn.id")}</label>
            <input id="new-id" name="id" required value={form?.id ?? ""} aria-describedby="new-id-hint" />
            <p id="new-id-hint" class="hint">
              {ct(lang, "signIn.idHint")}
            </p>
          </div>
          <div>
            <label for="new-name">{ct(lang, "people.name")}</label>
            <input id="new-name" name="name" maxlength={80} value={form?.name ?? ""} />
          </div>
          <RoleBoxes staff={staff} checked={form?.roles ?? []} idPrefix="new" />
          <button type="submit">{ct(lang, "people.addButton")}</button>
        </form>
      </Page>
    );
  };

  pages.get("/", async (c) => {
    const staff = c.get("staff");
    const done = c.req.query("done");
    return c.html(
      await render(staff, done ? { kind: "notice", text: ct(staff.language, `people.done.${done}`) } : undefined),
    );
  });

  pages.post("/save", async (c) => {
    const staff = c.get("staff");
    const lang = staff.language;
    const body = await c.req.parseBody({ all: true });
    const form = {
      channel: String(body.channel ?? ""),
      id: String(body.id ?? ""),
      name: String(body.name ?? "").slice(0, 80),
      roles: rolesFrom(body.roles),
    };
    const address = addressFrom(form.channel, form.id);
    if (!address) return c.html(await render(staff, { kind: "error", text: ct(lang, "signIn.badId") }, form), 400);
    if (form.roles.length === 0)
      return c.html(await render(staff, { kind: "error", text: ct(lang, "people.noRoles") }, form), 400);
    const problem = await staffChangeProblem(app.store.reader, app.staff, staff.address, address, form.roles);
    if (problem) return c.html(await render(staff, { kind: "error", text: ct(lang, problem) }, form), 400);
    const now = app.clock.now();
    await app.store.transaction(async (tx) => {
      await saveStaffMember(tx, address as Address, { roles: form.roles, name: form.name }, now);
      await audit(tx.db, staff, "staff.save", { roles: form.roles }, now, address);
    });
    return c.redirect("/staff/people?done=saved", 303);
  });

  pages.post("/remove", async (c) => {
    const staff = c.get("staff");
    const body = await c.req.parseBody();
    const address = addressFrom("", String(body.address ?? ""));
    if (!address) return c.redirect("/staff/people", 303);
    if (address === staff.address)
      return c.html(await render(staff, { kind: "error", text: ct(staff.language, "people.notYourself") }), 400);
    const now = app.clock.now();
    await app.store.transaction(async (tx) => {
      if (await removeStaffMember(tx, address, now)) await audit(tx.db, staff, "staff.remove", {}, now, address);
    });
    return c.redirect("/staff/people?done=removed", 303);
  });
  return pages;
}
