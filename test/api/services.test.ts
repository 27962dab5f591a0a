/**
 * Staff corrections of city services through `/api/services` and the console's pages, against the
 * real HTTP app, a real sign-in and the real database: a correction is stored with who and when,
 * shown at once (the API's list and the content pack the flows read), refused field by field with
 * what is allowed, audited without what was typed, and removed again; only staff may do it. A
 * correction whose service left the content is listed apart and removable; who corrected is named,
 * their chat address shown to admins only.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEntries } from "../../src/console/audit.ts";
import { ct } from "../../src/console/text.ts";
import type { Service } from "../../src/content/services-schema.ts";
import { type ServiceOverride, saveServiceOverride } from "../../src/services/overrides.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { type ConsoleClient, signedIn } from "../support/console.ts";

let app: TestApp;
let staff: ConsoleClient;
/** A Mainz service with a phone number in its content file. */
let service: Service;

const newPhone = "+49 6131 999000";
const note = "Closed until 6 January.";
/** A correction stored for a service whose content file was since removed or renamed. */
const orphan: ServiceOverride = {
  serviceId: "mainz-gone-office",
  phone: "+49 6131 111222",
  website: null,
  hours: null,
  closed: true,
  note: "Moved to the town hall.",
  updatedBy: "telegram:100",
  updatedAt: "2026-01-15T10:00:00.000Z",
};

interface ServiceBody {
  id: string;
  phone: string | null;
  hours: string | null;
  override?: {
    phone: string | null;
    closed: boolean;
    note: string | null;
    updatedBy: string;
    updatedByAddress?: string | null;
    updatedAt: string;
  };
}
interface ErrorBody {
  error: string;
  errors: { field: string; message: string }[];
}

beforeEach(async () => {
  app = await createTestApp();
  staff = await signedIn(app, "telegram:100", ["staff"]);
  const found = app.content.contentServices.find((s) => s.city === "mainz" && s.phone && s.phone !== newPhone);
  if (!found) throw new Error("the content has no Mainz service with a phone number");
  service = found;
});
afterEach(() => app.dispose());

const listed = async (client: ConsoleClient = staff): Promise<ServiceBody | undefined> => {
  const res = await client.api("GET", "/api/services?city=mainz");
  expect(res.status).toBe(200);
  return ((await res.json()) as { services: ServiceBody[] }).services.find((s) => s.id === service.id);
};

describe("/api/services", () => {
  it("stores a correction with who and when, and shows it at once in the list and to people", async () => {
    expect((await listed())?.override).toBeUndefined();
    const res = await staff.api("PUT", `/api/services/${service.id}/override`, { phone: newPhone, note });
    expect(res.status).toBe(200);
    const saved = ((await res.json()) as { service: ServiceBody }).service;
    expect(saved.phone).toBe(newPhone);
    expect(saved.override).toEqual({
      phone: newPhone,
      website: null,
      hours: null,
      closed: false,
      note,
      updatedBy: "you (Staff)",
      updatedAt: app.clock.now().toISOString(),
    });

    const row = await listed();
    expect(row?.phone).toBe(newPhone);
    expect(row?.override?.updatedBy).toBe("you (Staff)");
    // What the chat flows read, in this process, without a restart or a refresh interval.
    expect(app.content.service(service.id)?.phone).toBe(newPhone);
    expect(app.content.service(service.id)?.staffUpdate).toEqual({
      on: app.clock.now().toISOString().slice(0, 10),
      closed: false,
      note,
    });
    // The content file's facts stay as they were, for staff.
    expect(app.content.contentServices.find((s) => s.id === service.id)?.phone).toBe(service.phone);
  });

  it("writes the audit log with the service and the changed field names, never what was typed", async () => {
    await staff.api("PUT", `/api/services/${service.id}/override`, { phone: newPhone, note });
    await staff.api("PUT", `/api/services/${service.id}/override`, { phone: newPhone, note, hours: "Mo–Fr 9–12" });
    const entries = await auditEntries(app.store.db, { action: "service.override" });
    expect(entries.map((e) => [e.actor, e.detail])).toEqual([
      ["telegram:100", { serviceId: service.id, fields: ["hours"] }],
      ["telegram:100", { serviceId: service.id, fields: ["phone", "note"] }],
    ]);
    expect(JSON.stringify(entries)).not.toContain("999000");
    expect(JSON.stringify(entries)).not.toContain("January");
  });

  it("refuses an invalid phone number or website naming the field and what is allowed, and stores nothing", async () => {
    const res = await staff.api("PUT", `/api/services/${service.id}/override`, {
      phone: "call 0800-111",
      website: "ftp://example.org",
      note,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.errors).toEqual([
      { field: "phone", message: expect.stringContaining("digits and spaces only") },
      { field: "website", message: expect.stringContaining("https://") },
    ]);
    expect((await listed())?.override).toBeUndefined();
    expect(app.content.service(service.id)?.phone).toBe(service.phone);
    expect(await auditEntries(app.store.db, { action: "service.override" })).toEqual([]);
  });

  it("refuses a note longer than allowed and a correction that changes nothing", async () => {
    const long = await staff.api("PUT", `/api/services/${service.id}/override`, { note: "x".repeat(201) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as ErrorBody).errors).toEqual([{ field: "note", message: "At most 200 characters." }]);

    const empty = await staff.api("PUT", `/api/services/${service.id}/override`, { phone: " ", hours: null });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as ErrorBody).errors).toEqual([
      { field: "(body)", message: expect.stringMatching(/^Nothing to correct/) },
    ]);
  });

  it("answers 404 for a service that is not in the content, and 400 for an unknown city", async () => {
    expect((await staff.api("PUT", "/api/services/mainz-nowhere/override", { phone: newPhone })).status).toBe(404);
    expect((await staff.api("DELETE", "/api/services/mainz-nowhere/override")).status).toBe(404);
    const city = await staff.api("GET", "/api/services?city=atlantis");
    expect(city.status).toBe(400);
    expect(((await city.json()) as ErrorBody).errors[0]).toEqual({
      field: "city",
      message: expect.stringContaining("known: mainz"),
    });
  });

  it("removes a correction: the content's phone number shows again, and the removal is audited", async () => {
    await staff.api("PUT", `/api/services/${service.id}/override`, { phone: newPhone });
    expect(app.content.service(service.id)?.phone).toBe(newPhone);
    const res = await staff.api("DELETE", `/api/services/${service.id}/override`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { removed: boolean; service: ServiceBody };
    expect(body.removed).toBe(true);
    expect(body.service.phone).toBe(service.phone);
    expect(app.content.service(service.id)?.phone).toBe(service.phone);
    expect(app.content.service(service.id)?.staffUpdate).toBeUndefined();
    expect((await listed())?.override).toBeUndefined();
    expect((await auditEntries(app.store.db, { action: "service.override.remove" })).map((e) => e.detail)).toEqual([
      { serviceId: service.id },
    ]);
    // Nothing left to remove: said, not audited again.
    const again = await staff.api("DELETE", `/api/services/${service.id}/override`);
    expect(((await again.json()) as { removed: boolean }).removed).toBe(false);
    expect(await auditEntries(app.store.db, { action: "service.override.remove" })).toHaveLength(1);
  });

  it("a closed service leaves the list people search, and its card still opens", async () => {
    await staff.api("PUT", `/api/services/${service.id}/override`, { closed: true, note });
    expect(app.content.services.some((s) => s.id === service.id)).toBe(false);
    expect(app.content.service(service.id)?.staffUpdate?.closed).toBe(true);
    expect((await listed())?.override?.closed).toBe(true);
  });

  it("names who corrected it to staff without their chat address; only an admin also sees the address", async () => {
    await staff.api("PUT", `/api/services/${service.id}/override`, { phone: newPhone });
    const colleague = await signedIn(app, "telegram:400", ["staff"], { http: staff.http });
    const seen = await listed(colleague);
    expect(seen?.override?.updatedBy).toBe("a colleague (Staff)");
    expect(seen?.override).not.toHaveProperty("updatedByAddress");
    await app.store.db
      .updateTable("staff_members")
      .set({ name: "Jana Berger" })
      .where("address", "=", "telegram:100")
      .execute();
    const res = await colleague.api("GET", "/api/services?city=mainz");
    expect(await res.text()).not.toContain("telegram:100");
    expect((await listed(colleague))?.override?.updatedBy).toBe("Jana Berger");

    const admin = await signedIn(app, "telegram:500", ["admin"], { http: staff.http });
    expect((await listed(admin))?.override).toMatchObject({
      updatedBy: "Jana Berger",
      updatedByAddress: "telegram:100",
    });
  });

  it("lists a correction whose service left the content apart, and removes it by id", async () => {
    await saveServiceOverride(app.store.db, orphan);
    const res = await staff.api("GET", "/api/services?city=mainz");
    const body = (await res.json()) as { services: ServiceBody[]; orphaned: (ServiceBody["override"] & {})[] };
    expect(body.services.some((s) => s.id === orphan.serviceId)).toBe(false);
    expect(body.orphaned).toEqual([
      {
        serviceId: orphan.serviceId,
        phone: orphan.phone,
        website: null,
        hours: null,
        closed: true,
        note: orphan.note,
        updatedBy: "you (Staff)",
        updatedAt: orphan.updatedAt,
      },
    ]);
    // Correcting it anew is refused: the service is not in the content.
    expect((await staff.api("PUT", `/api/services/${orphan.serviceId}/override`, { phone: newPhone })).status).toBe(
      404,
    );

    const removed = await staff.api("DELETE", `/api/services/${orphan.serviceId}/override`);
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ removed: true });
    expect(((await (await staff.api("GET", "/api/services")).json()) as { orphaned: unknown[] }).orphaned).toEqual([]);
    expect((await auditEntries(app.store.db, { action: "service.override.remove" })).map((e) => e.detail)).toEqual([
      { serviceId: orphan.serviceId },
    ]);
    // Gone, and no such service: 404.
    expect((await staff.api("DELETE", `/api/services/${orphan.serviceId}/override`)).status).toBe(404);
  });

  it("refuses everyone without the staff role (403), and changes nothing", async () => {
    const counsellor = await signedIn(app, "telegram:200", ["counsellor"], { http: staff.http });
    const teacher = await signedIn(app, "telegram:300", ["teacher"], { http: staff.http });
    for (const client of [counsellor, teacher]) {
      expect((await client.api("GET", "/api/services?city=mainz")).status).toBe(403);
      expect((await client.api("PUT", `/api/services/${service.id}/override`, { phone: newPhone })).status).toBe(403);
      expect((await client.api("DELETE", `/api/services/${service.id}/override`)).status).toBe(403);
      expect((await client.get("/staff/services")).status).toBe(403);
      expect((await client.post(`/staff/services/${service.id}`, { phone: newPhone })).status).toBe(403);
    }
    expect(app.content.service(service.id)?.phone).toBe(service.phone);
    expect((await listed())?.override).toBeUndefined();
  });
});

describe("/staff/services", () => {
  const en = (key: string, params?: Record<string, unknown>) => ct("en", key, params);
  /** A text as the page's HTML has it. */
  const html = (text: string) => text.replaceAll("&", "&amp;").replaceAll("'", "&#39;").replaceAll('"', "&quot;");

  it("lists the cities and a city's services by topic, then name, and marks a corrected one under its name", async () => {
    const cities = await (await staff.get("/staff/services")).text();
    expect(cities).toContain('href="/staff/services?city=mainz"');
    expect(cities).toContain(en("services.chooseCity"));
    await staff.api("PUT", `/api/services/${service.id}/override`, { phone: newPhone });
    const page = await (await staff.get("/staff/services?city=mainz")).text();
    expect(page).toContain(`href="/staff/services/${service.id}"`);
    expect(page).toContain(newPhone);
    // The marker is in the name's cell, so a phone need not scroll sideways to see it.
    expect(page).toMatch(
      new RegExp(
        `href="/staff/services/${service.id}">[^<]*</a><span class="correction-mark">Corrected by the team on 2 March 2026`,
      ),
    );

    // Topics as headings in alphabetical order, each topic's services by name.
    const mainz = app.content.contentServices.filter((s) => s.city === "mainz");
    const topic = (s: Service) => app.translator.t("en", `services.categories.${s.category}`);
    const headings = [...page.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => m[1]);
    const topics = [...new Set(mainz.map(topic))].sort((a, b) => a.localeCompare(b, "en-GB"));
    expect(headings).toEqual(topics.map(html));
    const at = (s: Service) => page.indexOf(`href="/staff/services/${s.id}"`);
    const expected = [...mainz].sort(
      (a, b) => topic(a).localeCompare(topic(b), "en-GB") || a.name.localeCompare(b.name, "en-GB"),
    );
    expect([...mainz].sort((a, b) => at(a) - at(b)).map((s) => s.id)).toEqual(expected.map((s) => s.id));
  });

  it("saves a correction from the form, says so, and shows the content files' facts beside it", async () => {
    const saved = await staff.post(`/staff/services/${service.id}`, { phone: newPhone, website: "", hours: "", note });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`/staff/services/${service.id}?done=saved`);
    expect(app.content.service(service.id)?.phone).toBe(newPhone);
    const page = await (await staff.get(`/staff/services/${service.id}?done=saved`)).text();
    expect(page).toContain(en("services.done.saved"));
    expect(page).toContain(`value="${newPhone}"`);
    expect(page).toContain(html(en("services.content.headingCorrected")));
    expect(page).toContain(en("services.content.filesSay", { value: service.phone }));
    expect(page).toContain(html(en("services.form.introCorrected")));
    expect(page).toContain(en("services.form.remove"));
  });

  it("regression: unticking “closed” and leaving the note saved without a word, and the open place read “Closed until …”", async () => {
    await staff.post(`/staff/services/${service.id}`, { closed: "1", note });
    const reopened = await staff.post(`/staff/services/${service.id}`, { note });
    expect(reopened.headers.get("location")).toBe(`/staff/services/${service.id}?done=reopenedWithNote`);
    const page = await (await staff.get(reopened.headers.get("location") ?? "")).text();
    expect(page).toContain(`<p class="warning" role="alert">${html(en("services.done.reopenedWithNote"))}`);
    // Cleared, or changed while the place stays closed: the plain "saved".
    const closedAgain = await staff.post(`/staff/services/${service.id}`, {
      closed: "1",
      note: "Closed until 9 January.",
    });
    expect(closedAgain.headers.get("location")).toBe(`/staff/services/${service.id}?done=saved`);
    const emptied = await staff.post(`/staff/services/${service.id}`, { note: "" });
    expect(await emptied.text()).toContain(html(en("services.errors.empty")));
  });

  it("names who corrected it: their name from the Staff page, else “you” with the roles, never the address", async () => {
    await staff.post(`/staff/services/${service.id}`, { phone: newPhone });
    const by = async () =>
      (await (await staff.get(`/staff/services/${service.id}`)).text()).match(/Corrected by ([^<]*) on /)?.[1];
    expect(await by()).toBe("you (Staff)");
    // An admin gives them a name on the Staff page.
    await app.store.db
      .updateTable("staff_members")
      .set({ name: "Jana Berger" })
      .where("address", "=", "telegram:100")
      .execute();
    expect(await by()).toBe("Jana Berger (you)");

    const colleague = await signedIn(app, "telegram:400", ["staff"], { http: staff.http });
    const seen = await (await colleague.get(`/staff/services/${service.id}`)).text();
    expect(seen).toContain("Corrected by Jana Berger on ");
    expect(seen).not.toContain("telegram:100");
  });

  it("removes a correction only once “Yes, remove the correction” is ticked, saying the note will be gone", async () => {
    await staff.post(`/staff/services/${service.id}`, { phone: newPhone, note });
    const page = await (await staff.get(`/staff/services/${service.id}`)).text();
    expect(page).toContain(en("services.remove.noteGone", { note }));
    expect(page).toContain(en("services.remove.confirm"));

    const unticked = await staff.post(`/staff/services/${service.id}/remove`);
    expect(unticked.status).toBe(400);
    const refusedPage = await unticked.text();
    expect(refusedPage).toContain('role="alert"');
    expect(refusedPage).toContain(en("services.remove.confirmNeeded"));
    expect(refusedPage).toContain('href="#f-confirm-block"');
    expect(app.content.service(service.id)?.phone).toBe(newPhone);

    const removed = await staff.post(`/staff/services/${service.id}/remove`, { confirm: "1" });
    expect(removed.headers.get("location")).toBe(`/staff/services/${service.id}?done=removed`);
    expect(app.content.service(service.id)?.phone).toBe(service.phone);
    expect(app.content.service(service.id)?.staffUpdate).toBeUndefined();
  });

  it("lists a correction whose service left the content, with when, who and the note, and removes it once ticked", async () => {
    await saveServiceOverride(app.store.db, orphan);
    await app.store.db
      .updateTable("staff_members")
      .set({ name: "Jana Berger" })
      .where("address", "=", "telegram:100")
      .execute();
    const colleague = await signedIn(app, "telegram:400", ["staff"], { http: staff.http });
    const page = await (await colleague.get("/staff/services")).text();
    expect(page).toContain(en("services.orphans.heading"));
    expect(page).toContain(`<code>${orphan.serviceId}</code>`);
    expect(page).toContain(en("services.orphans.by", { who: "Jana Berger", date: "15 January 2026" }));
    expect(page).toContain(en("services.orphans.note", { note: orphan.note }));
    expect(page).toContain(`action="/staff/services/${orphan.serviceId}/remove"`);
    expect(page).not.toContain("telegram:100");

    const unticked = await colleague.post(`/staff/services/${orphan.serviceId}/remove`);
    expect(unticked.status).toBe(400);
    const refusedPage = await unticked.text();
    expect(refusedPage).toContain('role="alert"');
    expect(refusedPage).toContain(en("services.remove.confirmNeeded"));
    expect(refusedPage).toContain(`href="#f-confirm-${orphan.serviceId}-block"`);
    expect(refusedPage).toContain(`id="f-confirm-${orphan.serviceId}-block"`);

    const removed = await colleague.post(`/staff/services/${orphan.serviceId}/remove`, { confirm: "1" });
    expect(removed.status).toBe(303);
    expect(removed.headers.get("location")).toBe("/staff/services?done=orphanRemoved");
    const after = await (await colleague.get("/staff/services?done=orphanRemoved")).text();
    expect(after).toContain(en("services.done.orphanRemoved"));
    expect(after).not.toContain(en("services.orphans.heading"));
    expect((await auditEntries(app.store.db, { action: "service.override.remove" })).map((e) => e.detail)).toEqual([
      { serviceId: orphan.serviceId },
    ]);
    // Neither a correction nor a service any more.
    expect((await colleague.post(`/staff/services/${orphan.serviceId}/remove`, { confirm: "1" })).status).toBe(404);
  });

  it("shows a refused field in a summary at the top linking to it, and next to the field, keeping what was typed", async () => {
    const res = await staff.post(`/staff/services/${service.id}`, { phone: "ask at the desk", note });
    expect(res.status).toBe(400);
    const page = await res.text();
    const main = page.slice(page.indexOf('<main id="main">'));
    // Right under the page's heading, before the content's facts and the form.
    expect(main.indexOf('role="alert"')).toBeGreaterThan(main.indexOf("</h1>"));
    expect(main.indexOf('role="alert"')).toBeLessThan(main.indexOf('<dl class="facts">'));
    expect(main).toContain('href="#f-phone-block"');
    expect(page).toContain(en("services.form.errorsTitle"));
    expect(page).toContain('id="f-phone-error"');
    expect(page).toContain(en("services.errors.phone", { max: 20 }));
    expect(page).toContain('aria-invalid="true"');
    expect(page).toContain('value="ask at the desk"');
    expect(app.content.service(service.id)?.staffUpdate).toBeUndefined();
  });

  it("refuses a form without the session's token", async () => {
    const res = await staff.http.request(`/staff/services/${service.id}`, {
      method: "POST",
      headers: { cookie: staff.cookie },
      body: new URLSearchParams({ phone: newPhone }),
    });
    expect(res.status).toBe(403);
    expect(app.content.service(service.id)?.staffUpdate).toBeUndefined();
  });
});
