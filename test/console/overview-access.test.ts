/**
 * Rights on the overview, the research export and their API: the staff role, checked on every
 * request. A counsellor-only account gets 403 on each route (and no export is made or audited).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { auditEntries } from "../../src/console/audit.ts";
import { setResearchConsent } from "../../src/research/consent.ts";
import { seedPerson, seedQuiz } from "../stats/seed.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { signedIn } from "../support/console.ts";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  const now = app.clock.now();
  await seedPerson(app, { address: "telegram:5123456789", language: "ar", city: "mainz" }, now);
  await seedQuiz(app, "telegram:5123456789", "strong-passwords", { q1: true, q2: false, q3: true, q4: true }, now);
  await setResearchConsent(app.store.db, "telegram:5123456789", true, now);
});
afterEach(() => app.dispose());

/** The export is on, so a refusal cannot be the "export is off" answer. */
const withKey = (base: TestApp): App => ({ ...base, research: { hashKey: "a-research-key-for-rights-tests" } });

describe("rights", () => {
  const routes: [method: "GET" | "POST", path: string][] = [
    ["GET", "/staff"],
    ["GET", "/staff?format=csv&table=cities"],
    ["GET", "/staff/overview.csv?table=cities"],
    ["GET", "/staff/research"],
    ["POST", "/staff/research/export"],
    ["GET", "/api/overview"],
    ["GET", "/api/overview/items"],
    ["GET", "/api/overview.csv?table=cities"],
    ["GET", "/api/research/export?format=csv"],
  ];

  it.each(routes)("a counsellor-only account gets 403 on %s %s (role staff needed)", async (method, path) => {
    const counsellor = await signedIn(withKey(app), "telegram:300", ["counsellor"]);
    const res = path.startsWith("/api")
      ? await counsellor.api(method, path)
      : method === "POST"
        ? await counsellor.post(path, { format: "csv" })
        : await counsellor.get(path);
    expect(res.status).toBe(403);
    expect(await auditEntries(app.store.db, { action: "research.export" })).toEqual([]);
  });

  it("a staff member removed in the meantime loses the overview at the next request", async () => {
    const staff = await signedIn(app, "telegram:100", ["staff"]);
    expect((await staff.get("/staff")).status).toBe(200);
    await app.store.db.deleteFrom("staff_members").where("address", "=", "telegram:100").execute();
    // No role left: the session middleware sends them to the sign-in page.
    const after = await staff.get("/staff");
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toContain("/staff/sign-in");
  });
});
