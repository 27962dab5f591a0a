/**
 * Deleted means deleted (issue 15, finding 7): after "delete my data", the
 * counsellors' outbox rows still held the person's address, phone number and
 * note for 30 days, and the counsellors were not told. Now every outbox row
 * about the person goes with their data, and each counsellor who was told of
 * the request hears, without the person's details, that it is gone.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

const staff = "console:anna=counsellor,console:omar=staff+counsellor,console:lea=staff";
const phone = "+49 151 23456789";
const note = `Please call me on ${phone} after 16:00, my family does not know yet`;

describe("delete my data with an open referral", () => {
  let app: TestApp;
  let person: ReturnType<typeof chatWith>;
  beforeEach(async () => {
    app = await createTestApp(undefined, { staffAddresses: staff });
    person = chatWith(app, "amal");
    await person.sayAll("hi", "English", "Mainz", "yes", "no news", "voluntary return");
  });
  afterEach(() => app.dispose());

  const inbox = async (who: string) =>
    (await app.store.takeOutboxFor(`console:${who}` as Address, app.clock.now())).map((m) =>
      "text" in m.outbound ? m.outbound.text : "",
    );
  /** Every outbox row, every column, as text: whatever the person left must show up here. */
  const everyOutboxRow = async () =>
    (await app.store.db.selectFrom("outbox").selectAll().execute()).map((row) => JSON.stringify(row));

  it("delete my data left the person's address, phone and note in the counsellors' outbox and told nobody", async () => {
    await person.sayAll("talk to a counsellor", "yes, share contact", "Amal", note);
    // One counsellor has read the notice already (a sent row, kept 30 days); the other's is still queued.
    // The person shared their contact: the notices carry their address (their note stays in the console).
    const [notice] = await inbox("anna");
    expect(notice).toContain("console:amal");
    expect(notice).not.toContain(phone);
    const toCounsellors = (await everyOutboxRow()).filter((row) => !row.includes('"address":"console:amal"'));
    expect(toCounsellors.filter((row) => row.includes("console:amal"))).toHaveLength(2);

    await person.sayAll("delete my data", "yes, delete all");

    const rows = await everyOutboxRow();
    for (const trace of ["console:amal", phone, "my family does not know yet"]) {
      expect(rows.filter((row) => row.includes(trace))).toEqual([]);
    }
    expect(await app.store.db.selectFrom("referrals").selectAll().execute()).toEqual([]);
    for (const counsellor of ["anna", "omar"]) {
      const notices = await inbox(counsellor);
      const erased = notices.find((text) => text.includes("the person deleted their data"));
      expect(erased).toMatch(/Request #\d+ for return counselling was withdrawn/);
      expect(erased).toContain("Please delete any notes you made about it.");
      expect(notices.join("\n")).not.toContain(phone);
    }
    expect(await inbox("lea")).toEqual([]);
  });

  it("without an open referral nobody is told", async () => {
    await person.sayAll("talk to a counsellor", "yes, share contact", "Amal", note, "my request", "withdraw it");
    const toOthers = (await everyOutboxRow()).filter((row) => !row.includes('"address":"console:amal"'));
    expect(toOthers.filter((row) => row.includes(phone))).toEqual([]); // gone from the counsellors' with the request
    await inbox("anna");
    await inbox("omar");
    await person.sayAll("delete my data", "yes, delete all");
    expect(await inbox("anna")).toEqual([]);
    expect(await inbox("omar")).toEqual([]);
  });

  it("a counsellor removed since the request is still told, and one added since is told too", async () => {
    await person.sayAll("talk to a counsellor", "yes, share contact", "Amal", note);
    app.staff.replace("console:omar=staff+counsellor,console:nadia=counsellor");
    await person.sayAll("delete my data", "yes, delete all");
    for (const counsellor of ["anna", "omar", "nadia"]) {
      expect((await inbox(counsellor)).join("\n")).toContain("the person deleted their data");
    }
  });
});
