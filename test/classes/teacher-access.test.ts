/**
 * Who reaches a class from the chat: its teacher and admins. Another teacher cannot open it, see its
 * learners, add to it or message it, even with a crafted effect; a counsellor has no "Classes I teach";
 * and a teacher whose role is taken away in the middle of the flow can do nothing more.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClassRecord } from "../../src/classes/repository.ts";
import type { Address } from "../../src/domain/address.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { classByChat, join, person, received, staffAddresses } from "./teacher-support.ts";

/** Runs a teaching effect as `address` would ask for it, and returns the replies as English text. */
async function runEffect(app: TestApp, address: Address, kind: string, data: Record<string, unknown>) {
  const handler = app.registry.effectHandler(kind);
  if (!handler) throw new Error(`no handler for ${kind}`);
  return app.store.transaction(async (tx) => {
    const user = await tx.getUser(address);
    if (!user) throw new Error(`no user ${address}`);
    const replies = (await handler(tx, user, { kind: kind as `feature.${string}`, data }, app.clock.now())) ?? [];
    return replies.map((r) => {
      const out = app.engine.renderer.render(r, "en");
      return "text" in out ? out.text : "";
    });
  });
}

/** Every effect on one class, with data that would work for its teacher. */
function classEffects(cls: ClassRecord, sessionId: number): [string, Record<string, unknown>][] {
  return [
    ["feature.teaching.view", { classId: cls.id }],
    ["feature.teaching.links", { classId: cls.id }],
    [
      "feature.teaching.session",
      {
        classId: cls.id,
        startsAt: "2026-03-10T17:00:00.000Z",
        minutes: 60,
        place: "Somewhere, Leipzig",
        onlineUrl: null,
      },
    ],
    ["feature.teaching.attendance", { classId: cls.id, meetingId: sessionId, marks: [] }],
    ["feature.teaching.reach", { classId: cls.id }],
    ["feature.teaching.message", { classId: cls.id, texts: { en: "Hello from someone else" } }],
  ];
}

describe.each(backends)("who reaches a class in the chat on %s", (backend) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(backend, { staffAddresses });
  });
  afterEach(() => app.dispose());

  it("refuses another teacher every effect on the class, and shows them none of it", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira");
    await join(app, cls, amira);
    await teacher.sayAll("Tuesday group", "Add a session", "2026-03-05 18:00", "60 minutes", "Stadtbibliothek");
    await teacher.say("Add the session");
    const session = await app.store.db.selectFrom("meetings").select("id").executeTakeFirstOrThrow();
    await received(app, amira.address);

    const other = await person(app, "teacher2");
    const list = await other.say("Classes I teach");
    expect(list).toContain("You have no classes yet.");
    expect(list).not.toContain("Tuesday group");
    for (const [kind, data] of classEffects(cls, Number(session.id))) {
      const replies = await runEffect(app, other.address, kind, data);
      expect(replies, kind).toEqual([expect.stringContaining("Only the teacher of this class can do this")]);
      expect(replies.join("\n"), kind).not.toContain(cls.code);
    }
    expect(await app.store.db.selectFrom("broadcasts").selectAll().execute()).toEqual([]);
    expect(await app.store.db.selectFrom("meetings").selectAll().execute()).toHaveLength(1);
    expect(await app.store.db.selectFrom("rsvps").selectAll().execute()).toEqual([]);
    expect(await received(app, amira.address)).toEqual([]);
  });

  it("shows a counsellor no “Classes I teach” and refuses them a class", async () => {
    const counsellor = await person(app, "counsellor1");
    expect(await counsellor.say("menu")).not.toContain("Classes I teach");
    expect(await counsellor.say("Classes I teach")).not.toContain("Your classes");
    await app.engine.handle({
      id: "crafted-go-teaching",
      address: counsellor.address,
      kind: "choice",
      choiceId: "go.teaching",
      receivedAt: app.clock.now(),
    });
    const texts = await received(app, counsellor.address);
    expect(texts.join("\n")).not.toContain("New class");
    const create = await runEffect(app, counsellor.address, "feature.teaching.create", {
      name: "Counsellor's class",
      city: "leipzig",
      languages: ["en"],
      courses: ["safe-online"],
      capacity: null,
    });
    expect(create).toEqual(["This is only for teachers. Nothing was done."]);
    expect(await app.store.db.selectFrom("classes").selectAll().execute()).toEqual([]);
  });

  it("lets an admin open every teacher's class", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const admin = await person(app, "admin1");
    expect(await admin.say("Classes I teach")).toContain(`Tuesday group - 0 learners · code ${cls.code}`);
    expect(await admin.say("Tuesday group")).toContain(`📚 Tuesday group · code ${cls.code}`);
  });

  it("does nothing for a teacher whose role was taken away while the class was open", async () => {
    const teacher = await person(app, "teacher1");
    const { cls } = await classByChat(app, teacher);
    const amira = await person(app, "amira");
    await join(app, cls, amira);
    await teacher.sayAll("Tuesday group", "Message the class", "Hallo", "Hello");
    app.staff.replace("console:teacher2=teacher");
    expect(await teacher.say("Send")).toContain("Only the teacher of this class can do this");
    expect(await app.store.db.selectFrom("broadcasts").selectAll().execute()).toEqual([]);
    expect(await teacher.say("menu")).not.toContain("Classes I teach");
  });
});
