/**
 * A teacher who opens the console's address signs in and lands on their classes, not on the staff
 * overview they may not see (regression: the persona trial's first screen was a 403).
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { saveStaffMember } from "../../src/staff/members.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { cookieFrom, formBody, lastCodeFor } from "../support/console.ts";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});
afterEach(() => app.dispose());

it("sends a teacher who came through /staff to their classes after the code", async () => {
  // A teacher who wrote to the bot on Telegram (the sign-in code goes to that chat).
  const teacher = { address: "telegram:4242" as Address };
  const now = app.clock.now();
  await app.store.transaction(async (tx) => {
    await tx.lockUser(teacher.address, "Europe/Berlin", now);
    await tx.db
      .updateTable("users")
      .set({ language: "en", consent: "given", last_inbound_at: now.toISOString() })
      .where("address", "=", teacher.address)
      .execute();
    await saveStaffMember(tx, teacher.address, { roles: ["teacher"] }, now);
  });
  const http = createHttpApp(app, { webChat: false });
  const first = await http.request("/staff");
  expect(first.headers.get("location")).toBe("/staff/sign-in?next=%2Fstaff");
  const form = await http.request("/staff/sign-in?next=%2Fstaff");
  const next = cookieFrom(form, "lotse_staff_next") ?? "";
  expect(next).not.toBe("");
  const id = teacher.address.slice("telegram:".length);
  const asked = await http.request("/staff/sign-in", {
    method: "POST",
    headers: { cookie: next },
    body: formBody({ channel: "telegram", id }),
  });
  expect(asked.status).toBe(303);
  const pending = cookieFrom(asked, "lotse_staff_pending") ?? "";
  const confirmed = await http.request("/staff/sign-in/code", {
    method: "POST",
    headers: { cookie: `${pending}; ${next}` },
    body: formBody({ code: (await lastCodeFor(app, teacher.address)) ?? "" }),
  });
  expect(confirmed.status).toBe(303);
  expect(confirmed.headers.get("location")).toBe("/staff/classes");
});
