/**
 * A teacher's message to the class: written in the class's languages in the chat, shown with how
 * many will get it, then sent as a broadcast to the class's learners only (whether or not they want
 * news, never to someone who said stop), each in their own language, and only while the teacher may
 * still see the class.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { messageClass } from "../../src/classes/message.ts";
import { joinClass } from "../../src/classes/repository.ts";
import type { Address } from "../../src/domain/address.ts";
import { isLotseError } from "../../src/domain/errors.ts";
import { saveStaffMember } from "../../src/staff/members.ts";
import { addPeople } from "../broadcasts/people.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { classByChat, join, person, received, staffAddresses } from "./teacher-support.ts";

describe.each(backends)("a message to a class on %s", (backend) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(backend, { staffAddresses });
  });
  afterEach(() => app.dispose());

  const sendOut = async () => void (await app.scheduler.runDue(app.clock.now()));

  it("reaches two learners in their two languages and nobody else", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira", "en");
    const bernd = await person(app, "bernd", "de");
    const stopped = await person(app, "sami", "en");
    const outsider = await person(app, "olga", "en", true);
    await join(app, cls, amira, bernd, stopped);
    // As "stop" leaves them: nothing more on the bot's own initiative.
    await app.store.db.updateTable("users").set({ status: "stopped" }).where("address", "=", stopped.address).execute();
    for (const p of [amira, bernd, stopped, outsider]) await received(app, p.address);

    await teacher.sayAll("Tuesday group", "Message the class");
    await teacher.say("Am Donnerstag ist kein Kurs.");
    const preview = await teacher.say("No class on Thursday.");
    expect(preview).toContain("This goes to 2 learners of the class.");
    expect(preview).toContain("In Deutsch:\nAm Donnerstag ist kein Kurs.");
    expect(preview).toContain("In English:\nNo class on Thursday.");
    expect(await teacher.say("Send")).toContain("Sent to 2 learners");
    await sendOut();

    expect(await received(app, amira.address)).toEqual(["✉️ From your class “Tuesday group”:\n\nNo class on Thursday."]);
    expect(await received(app, bernd.address)).toEqual([
      "✉️ Von Ihrer Klasse „Tuesday group“:\n\nAm Donnerstag ist kein Kurs.",
    ]);
    expect(await received(app, stopped.address)).toEqual([]);
    expect(await received(app, outsider.address)).toEqual([]);
    expect((await received(app, teacher.address)).join("\n")).not.toContain("No class on Thursday.");
    const [broadcast] = await app.store.db
      .selectFrom("broadcasts")
      .select(["status", "recipients", "created_by"])
      .execute();
    expect(broadcast).toMatchObject({ status: "sending", created_by: teacher.address });
    expect(Number(broadcast?.recipients)).toBe(2);
  });

  it("gives a learner whose language was not written the class's first language written, with a note", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira", "en");
    await join(app, cls, amira);
    await received(app, amira.address);
    await teacher.sayAll("Tuesday group", "Message the class", "Am Donnerstag ist kein Kurs.", "Skip this language");
    await teacher.say("Send");
    await sendOut();
    const [text] = await received(app, amira.address);
    expect(text).toContain("Am Donnerstag ist kein Kurs.");
    expect(text).toContain("(Not yet in your language");
  });

  it("asks again when no language was written, and sends nothing", async () => {
    const teacher = await person(app, "teacher1");
    await classByChat(app, teacher);
    await teacher.sayAll("Tuesday group", "Message the class", "Skip this language");
    expect(await teacher.say("Skip this language")).toContain("Please write the message in at least one language.");
    expect(await app.store.db.selectFrom("broadcasts").selectAll().execute()).toEqual([]);
  });

  it("is not sent when its teacher is no longer a teacher by the time it goes out", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira", "en");
    await join(app, cls, amira);
    await received(app, amira.address);
    await teacher.sayAll("Tuesday group", "Message the class", "Hallo zusammen", "Hello everyone", "Send");
    app.staff.replace("console:teacher2=teacher");
    await sendOut();
    expect(await received(app, amira.address)).toEqual([]);
    const [broadcast] = await app.store.db.selectFrom("broadcasts").select(["status"]).execute();
    expect(broadcast?.status).toBe("cancelled");
  });

  it("still goes out when an admin renames a teacher who is only a teacher (regression: saving the member withdrew it)", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira", "en");
    await join(app, cls, amira);
    await received(app, amira.address);
    await teacher.sayAll("Tuesday group", "Message the class", "Hallo zusammen", "Hello everyone", "Send");
    // The Staff page saves a member with the roles they have: a teacher without staff or admin.
    await app.store.transaction((tx) =>
      saveStaffMember(tx, teacher.address, { roles: ["teacher"], name: "Frau Weber" }, app.clock.now()),
    );
    await sendOut();
    expect(await received(app, amira.address)).toEqual(["✉️ From your class “Tuesday group”:\n\nHello everyone"]);
  });

  it("takes a message that begins with “Join” as the message (regression: it was read as a join code)", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira", "en");
    await join(app, cls, amira);
    await received(app, amira.address);
    await teacher.sayAll("Tuesday group", "Message the class", "Skip this language");
    const preview = await teacher.say("Join today!");
    expect(preview).toContain("In English:\nJoin today!");
    expect(preview).not.toContain("code");
  });

  it("warns before sending that WhatsApp learners who last wrote over 24 hours ago will not get it (no template)", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira", "en");
    const khaled = "whatsapp:4915100000077" as Address;
    const dayAndMore = new Date(app.clock.now().getTime() - 30 * 3_600_000).toISOString();
    await addPeople(app, [{ address: khaled, language: "en", city: "leipzig", lastInboundAt: dayAndMore }]);
    await join(app, cls, amira);
    await joinClass(app.store.db, cls.code, khaled, app.clock.now());
    await teacher.sayAll("Tuesday group", "Message the class", "Skip this language");
    const preview = await teacher.say("No class on Thursday.");
    expect(preview).toContain("This goes to 2 learners of the class.");
    expect(preview).toContain("⚠️ 1 of them is on WhatsApp and last wrote more than 24 hours ago.");
  });

  it("needs a text, and says so with a code", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const refused = await app.store
      .transaction((tx) =>
        messageClass({ scheduler: app.scheduler }, tx, cls, { en: "  " }, teacher.address, app.clock.now()),
      )
      .catch((error: unknown) => error);
    expect(isLotseError(refused, "classes.invalid")).toBe(true);
  });
});
