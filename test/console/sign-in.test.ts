/**
 * Signing in to the console with a code sent to the staff member's chat, and what a session may do.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHttpApp } from "../../src/http/server.ts";
import { saveStaffMember } from "../../src/staff/members.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { cookieFrom, formBody, lastCodeFor, signedIn } from "../support/console.ts";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp(undefined, { staffAddresses: "telegram:900=admin" });
});
afterEach(() => app.dispose());

async function askCode(http: ReturnType<typeof createHttpApp>, channel: string, id: string) {
  const res = await http.request("/staff/sign-in", { method: "POST", body: formBody({ channel, id }) });
  return { res, pending: cookieFrom(res, "lotse_staff_pending") ?? "" };
}

describe("sign-in by code", () => {
  it("sends a code to a configured admin's chat and signs them in with it", async () => {
    const admin = await signedIn(app, "telegram:900");
    const page = await admin.get("/staff/people");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("telegram:900");
    expect(html).toContain('name="_csrf"');
    const cookie = (await app.store.db.selectFrom("staff_sessions").selectAll().execute())[0];
    expect(cookie?.id_hash).not.toContain(admin.cookie.split("=")[1]);
  });

  it("sets the session cookie HttpOnly and SameSite=Strict, Secure when the public address is https", async () => {
    const http = createHttpApp(app, { webChat: false, publicUrl: "https://lotse.example.org" });
    await app.store.transaction((tx) => tx.lockUser("telegram:900", "Europe/Berlin", app.clock.now()));
    const { pending } = await askCode(http, "telegram", "900");
    const code = await lastCodeFor(app, "telegram:900");
    const res = await http.request("/staff/sign-in/code", {
      method: "POST",
      headers: { cookie: pending },
      body: formBody({ code: code ?? "" }),
    });
    const header = res.headers.getSetCookie().find((h) => h.startsWith("lotse_staff=")) ?? "";
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Secure/);
  });

  it("accepts the code typed with Persian digits", async () => {
    const http = createHttpApp(app, { webChat: false });
    await app.store.transaction((tx) => tx.lockUser("telegram:900", "Europe/Berlin", app.clock.now()));
    const { pending } = await askCode(http, "telegram", "۹۰۰");
    const code = (await lastCodeFor(app, "telegram:900")) ?? "";
    const persian = code.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    const res = await http.request("/staff/sign-in/code", {
      method: "POST",
      headers: { cookie: pending },
      body: formBody({ code: persian }),
    });
    expect(res.status).toBe(303);
    expect(cookieFrom(res, "lotse_staff")).toBeDefined();
  });

  it("locks the address for 15 minutes after 5 wrong codes, even for the right one", async () => {
    const http = createHttpApp(app, { webChat: false });
    await app.store.transaction((tx) => tx.lockUser("telegram:900", "Europe/Berlin", app.clock.now()));
    const { pending } = await askCode(http, "telegram", "900");
    const code = (await lastCodeFor(app, "telegram:900")) ?? "";
    const wrong = code === "000000" ? "111111" : "000000";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await http.request("/staff/sign-in/code", {
        method: "POST",
        headers: { cookie: pending },
        body: formBody({ code: wrong }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    const right = await http.request("/staff/sign-in/code", {
      method: "POST",
      headers: { cookie: pending },
      body: formBody({ code }),
    });
    expect(right.status).toBe(429);
    expect((await askCode(http, "telegram", "900")).res.status).toBe(429);
    app.clock.advance(15 * 60_000 + 1000);
    expect((await askCode(http, "telegram", "900")).res.status).toBe(303);
  });

  it("does not give more guesses for asking for a new code (regression: the lock was reset by every new code)", async () => {
    const http = createHttpApp(app, { webChat: false });
    await app.store.transaction((tx) => tx.lockUser("telegram:900", "Europe/Berlin", app.clock.now()));
    const statuses: number[] = [];
    for (let round = 0; round < 2; round++) {
      const { pending } = await askCode(http, "telegram", "900");
      const code = (await lastCodeFor(app, "telegram:900")) ?? "";
      const wrong = code === "000000" ? "111111" : "000000";
      for (let i = 0; i < 3; i++) {
        const res = await http.request("/staff/sign-in/code", {
          method: "POST",
          headers: { cookie: pending },
          body: formBody({ code: wrong }),
        });
        statuses.push(res.status);
      }
      app.clock.advance(31_000);
    }
    // 3 wrong, a new code, 2 more wrong: the fifth locks.
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
  });

  it("answers a wrong code the same for an address that is not staff, so nobody can tell who is", async () => {
    const http = createHttpApp(app, { webChat: false });
    await app.store.transaction((tx) => tx.lockUser("telegram:900", "Europe/Berlin", app.clock.now()));
    const texts: string[] = [];
    for (const id of ["900", "555"]) {
      const { pending } = await askCode(http, "telegram", id);
      const res = await http.request("/staff/sign-in/code", {
        method: "POST",
        headers: { cookie: pending },
        body: formBody({ code: "000000" }),
      });
      expect(res.status).toBe(400);
      texts.push((await res.text()).replace(/telegram:\d+/g, ""));
    }
    expect(texts[0]).toBe(texts[1]);
  });

  it("keeps no usable code in the outbox once it is delivered", async () => {
    await app.store.transaction((tx) => tx.lockUser("telegram:900", "Europe/Berlin", app.clock.now()));
    const http = createHttpApp(app, { webChat: false });
    await askCode(http, "telegram", "900");
    const row = await app.store.db
      .selectFrom("outbox")
      .select("purge")
      .where("address", "=", "telegram:900")
      .executeTakeFirstOrThrow();
    expect(row.purge).toBe(1);
  });

  it("refuses a code after 10 minutes", async () => {
    const http = createHttpApp(app, { webChat: false });
    await app.store.transaction((tx) => tx.lockUser("telegram:900", "Europe/Berlin", app.clock.now()));
    const { pending } = await askCode(http, "telegram", "900");
    const code = (await lastCodeFor(app, "telegram:900")) ?? "";
    app.clock.advance(10 * 60_000 + 1);
    const res = await http.request("/staff/sign-in/code", {
      method: "POST",
      headers: { cookie: pending },
      body: formBody({ code }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("expired");
  });

  it("sends nothing to an address that is not staff, and the page says the same as for staff", async () => {
    const http = createHttpApp(app, { webChat: false });
    await app.store.transaction((tx) => tx.lockUser("telegram:555", "Europe/Berlin", app.clock.now()));
    const { res } = await askCode(http, "telegram", "555");
    expect(res.status).toBe(303);
    expect(await lastCodeFor(app, "telegram:555")).toBeUndefined();
  });

  it("asks a WhatsApp staff member outside the 24-hour window to write first (no template configured)", async () => {
    await app.store.transaction((tx) =>
      saveStaffMember(tx, "whatsapp:4915112345678", { roles: ["staff"] }, app.clock.now()),
    );
    await app.store.transaction((tx) =>
      tx.lockUser("whatsapp:4915112345678", "Europe/Berlin", new Date(app.clock.now().getTime() - 2 * 86400_000)),
    );
    const http = createHttpApp(app, { webChat: false });
    const { res } = await askCode(http, "whatsapp", "+49 151 1234 5678");
    expect(res.status).toBe(303);
    expect(await lastCodeFor(app, "whatsapp:4915112345678")).toBeUndefined();
  });

  it("lets the first admin in with ADMIN_TOKEN", async () => {
    const http = createHttpApp(app, { webChat: false, adminToken: "a-long-admin-token-1234" });
    await app.store.transaction((tx) => tx.lockUser("telegram:77", "Europe/Berlin", app.clock.now()));
    const bad = await http.request("/staff/sign-in/first-admin", {
      method: "POST",
      body: formBody({ token: "wrong-token-wrong", channel: "telegram", id: "77" }),
    });
    expect(bad.status).toBe(401);
    const ok = await http.request("/staff/sign-in/first-admin", {
      method: "POST",
      body: formBody({ token: "a-long-admin-token-1234", channel: "telegram", id: "77" }),
    });
    expect(ok.status).toBe(303);
    expect(await lastCodeFor(app, "telegram:77")).toBeDefined();
    const admin = await signedIn(app, "telegram:77", [], { http });
    expect((await admin.get("/staff/people")).status).toBe(200);
    const audit = await app.store.db.selectFrom("audit_log").select(["action", "actor"]).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["staff.add", "staff.sign-in"]));
  });
});

describe("a session", () => {
  it("sends a visitor without a session to the sign-in page", async () => {
    const http = createHttpApp(app, { webChat: false });
    const res = await http.request("/staff/people");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/staff/sign-in?next=%2Fstaff%2Fpeople");
  });

  it("refuses a form without its CSRF token", async () => {
    const admin = await signedIn(app, "telegram:900");
    const res = await admin.http.request("/staff/people/save", {
      method: "POST",
      headers: { cookie: admin.cookie },
      body: formBody({ channel: "telegram", id: "1234", roles: "staff" }),
    });
    expect(res.status).toBe(403);
    expect(
      await app.store.db
        .selectFrom("staff_members")
        .select("address")
        .where("address", "=", "telegram:1234")
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it("keeps a counsellor-only account out of staff management and the audit log", async () => {
    const counsellor = await signedIn(app, "telegram:300", ["counsellor"]);
    expect((await counsellor.get("/staff/people")).status).toBe(403);
    expect((await counsellor.get("/staff/audit")).status).toBe(403);
    expect((await counsellor.api("GET", "/api/staff")).status).toBe(403);
  });

  it("ends at the next click once an admin removes the person", async () => {
    const admin = await signedIn(app, "telegram:900");
    const staff = await signedIn(app, "telegram:200", ["staff", "admin"]);
    expect((await staff.get("/staff/people")).status).toBe(200);
    const removed = await admin.post("/staff/people/remove", { address: "telegram:200" });
    expect(removed.status).toBe(303);
    const next = await staff.get("/staff/people");
    expect(next.status).toBe(303);
    expect(next.headers.get("location")).toContain("/staff/sign-in");
  });

  it("adds a staff member by WhatsApp number and writes it to the audit log", async () => {
    const admin = await signedIn(app, "telegram:900");
    const res = await admin.post("/staff/people/save", {
      channel: "whatsapp",
      id: "+49 151 2345 6789",
      name: "Amal",
      roles: ["counsellor"],
    });
    expect(res.status).toBe(303);
    const row = await app.store.db
      .selectFrom("staff_members")
      .selectAll()
      .where("address", "=", "whatsapp:4915123456789")
      .executeTakeFirst();
    expect(row?.roles).toBe("counsellor");
    expect(row?.name).toBe("Amal");
    const page = await (await admin.get("/staff/audit")).text();
    expect(page).toContain("gave roles");
    expect(page).toContain("whatsapp:4915123456789");
  });

  it("refuses the same changes through the API as on the page: configured staff, and an admin's own counsellor role", async () => {
    const admin = await signedIn(app, "telegram:901", ["admin"]);
    const configured = await admin.api("PUT", "/api/staff", { address: "telegram:900", roles: ["staff"] });
    expect(configured.status).toBe(400);
    expect(
      await app.store.db
        .selectFrom("staff_members")
        .select("address")
        .where("address", "=", "telegram:900")
        .executeTakeFirst(),
    ).toBeUndefined();
    const self = await admin.api("PUT", "/api/staff", { address: "telegram:901", roles: ["admin", "counsellor"] });
    expect(self.status).toBe(400);
    expect(
      (await admin.post("/staff/people/save", { id: "telegram:901", roles: ["admin", "counsellor"] })).status,
    ).toBe(400);
    expect((await admin.get("/staff/referrals")).status).toBe(403);
    // Another admin may; the audit log says to whom.
    const other = await signedIn(app, "telegram:900");
    expect(
      (await other.api("PUT", "/api/staff", { address: "telegram:901", roles: ["admin", "counsellor"] })).status,
    ).toBe(200);
    const entry = await app.store.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "staff.save")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: "telegram:900", subject: "telegram:901" });
    expect(await (await other.get("/staff/audit")).text()).toContain("telegram:901");
  });

  it("switches the console to German", async () => {
    const admin = await signedIn(app, "telegram:900");
    await admin.post("/staff/language", { language: "de", back: "/staff/people" });
    const page = await (await admin.get("/staff/people")).text();
    expect(page).toContain('lang="de"');
    expect(page).toContain("Jemanden hinzufügen");
  });
});

describe("the API with the admin token", () => {
  it("adds staff, who then see the staff menu in their chat", async () => {
    const http = createHttpApp(app, { webChat: false, adminToken: "a-long-admin-token-1234" });
    const lea = chatWith(app, "lea");
    await lea.sayAll("hi", "English", "Leipzig", "yes", "no news");
    expect(await lea.say("menu")).not.toContain("Staff");
    const put = (body: unknown) =>
      http.request("/api/staff", {
        method: "PUT",
        headers: { authorization: "Bearer a-long-admin-token-1234", "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await put({ address: "console:lea", roles: ["staff"] })).status).toBe(200);
    expect(await lea.say("menu")).toContain("Staff");
    expect((await put({ address: "nobody", roles: ["staff"] })).status).toBe(400);
  });

  it("acts as an admin with the bearer token and refuses a wrong one", async () => {
    const http = createHttpApp(app, { webChat: false, adminToken: "a-long-admin-token-1234" });
    const ok = await http.request("/api/staff", { headers: { authorization: "Bearer a-long-admin-token-1234" } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { staff: { address: string; source: string }[] };
    expect(body.staff).toContainEqual(expect.objectContaining({ address: "telegram:900", source: "config" }));
    const wrong = await http.request("/api/staff", { headers: { authorization: "Bearer nope-nope-nope-nope" } });
    expect(wrong.status).toBe(401);
    expect((await http.request("/api/staff")).status).toBe(401);
  });

  it("names the field that is wrong", async () => {
    const http = createHttpApp(app, { webChat: false, adminToken: "a-long-admin-token-1234" });
    const res = await http.request("/api/staff", {
      method: "PUT",
      headers: { authorization: "Bearer a-long-admin-token-1234", "content-type": "application/json" },
      body: JSON.stringify({ address: "mainz", roles: ["boss"] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field).sort()).toEqual(["address", "roles.0"]);
  });

  it("needs the CSRF header for a change made with a session", async () => {
    const admin = await signedIn(app, "telegram:900");
    const res = await admin.http.request("/api/staff", {
      method: "PUT",
      headers: { cookie: admin.cookie, "content-type": "application/json" },
      body: JSON.stringify({ address: "telegram:5", roles: ["staff"] }),
    });
    expect(res.status).toBe(403);
    expect((await admin.api("PUT", "/api/staff", { address: "telegram:5", roles: ["staff"] })).status).toBe(200);
  });
});
