/**
 * "Delete my data" in the middle of a conversation with a counsellor: afterwards no table holds the
 * person's address, the name they chose, their note, their messages, the counsellor's messages to
 * them or the counsellors' private notes about them (every row of every table is searched), the
 * request is gone from the inbox, and the counsellors are told to delete their own notes. A
 * counsellor who deletes their own data keeps no name on the notes and messages they wrote.
 */
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { type ConsoleClient, signedIn } from "../support/console.ts";

let app: TestApp;
let counsellor: ConsoleClient;
let person: ReturnType<typeof chatWith>;

const traces = {
  name: "Amal Zuhair",
  note: "Call me on +49 151 98765432",
  answer: "My brother lives in Mosul, street 14",
  counsellorText: "Dear Amal Zuhair, we can meet on Tuesday",
  privateNote: "Family situation: see call of Monday",
};

beforeEach(async () => {
  app = await createTestApp();
  counsellor = await signedIn(app, "telegram:100", ["counsellor"]);
  person = chatWith(app, "amal");
  await person.sayAll("hi", "English", "Mainz", "yes", "no news", "voluntary return");
  await person.sayAll("talk to a counsellor", "yes, share contact", traces.name, traces.note);
});
afterEach(() => app.dispose());

/** Every row of every table (including ones added later), as text. */
async function everyRow(): Promise<{ table: string; row: string }[]> {
  const tables =
    app.store.dialect === "postgres"
      ? (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(app.store.db)
        ).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(app.store.db)).rows;
  const found: { table: string; row: string }[] = [];
  for (const { name } of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(app.store.db)).rows;
    for (const row of rows) found.push({ table: name, row: JSON.stringify(row) });
  }
  return found;
}

describe("delete my data during a conversation with a counsellor", () => {
  it("leaves none of the person's words or address in any table", async () => {
    const id = Number((await app.store.db.selectFrom("referrals").select("id").executeTakeFirstOrThrow()).id);
    await counsellor.post(`/staff/referrals/${id}/messages`, { message: traces.counsellorText });
    await person.say(traces.answer);
    await counsellor.post(`/staff/referrals/${id}/notes`, { text: traces.privateNote });
    // Before: each trace is somewhere (so the search below can find them).
    const before = (await everyRow()).map((r) => r.row).join("\n");
    for (const trace of [person.address, ...Object.values(traces)]) expect(before).toContain(trace);

    await person.sayAll("delete my data", "yes, delete all");

    const left = (await everyRow()).filter(({ row }) =>
      [person.address, ...Object.values(traces)].some((trace) => row.includes(trace)),
    );
    expect(left).toEqual([]);
    expect((await counsellor.get(`/staff/referrals/${id}`)).status).toBe(404);
    expect(await (await counsellor.get("/staff/referrals")).text()).toContain("No requests match.");
    const told = (await app.store.takeOutboxFor("telegram:100" as Address, app.clock.now())).map((o) =>
      "text" in o.outbound ? o.outbound.text : "",
    );
    expect(told.join("\n")).toContain(
      `Request #${id} for return counselling was withdrawn: the person deleted their data`,
    );
    expect(told.join("\n")).toContain("Please delete any notes you made about it.");
    // The audit log kept the actions, with the number only.
    const audit = await app.store.db
      .selectFrom("audit_log")
      .select("detail")
      .where("action", "like", "referral.%")
      .execute();
    expect(audit.length).toBe(2);
  });

  it("clears a counsellor's address from what they wrote when they delete their own data", async () => {
    const id = Number((await app.store.db.selectFrom("referrals").select("id").executeTakeFirstOrThrow()).id);
    await counsellor.post(`/staff/referrals/${id}/messages`, { message: traces.counsellorText });
    await counsellor.post(`/staff/referrals/${id}/notes`, { text: traces.privateNote });
    await app.store.transaction((tx) => tx.eraseAddress("telegram:100" as Address));
    expect(await app.store.db.selectFrom("referral_notes").select(["author", "text"]).execute()).toEqual([
      { author: null, text: traces.privateNote },
    ]);
    expect(await app.store.db.selectFrom("referral_messages").select("author").execute()).toEqual([{ author: null }]);
    expect(await app.store.db.selectFrom("referrals").select("assigned_to").execute()).toEqual([{ assigned_to: null }]);
  });
});
