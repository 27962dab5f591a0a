/**
 * A learner's class in "my data" and "delete my data": the class is counted with a label saying the
 * teacher sees their progress, and after deleting, the teacher's view of the class no longer lists
 * them (nor their name for the class), while the class and its other learners stay.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classProgress } from "../../src/classes/progress.ts";
import { type ClassRecord, membersOf } from "../../src/classes/repository.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { classWithCode, finishLesson, person } from "./learner-support.ts";

describe.each(backends)("a learner's data in a class on %s", (backend) => {
  let app: TestApp;
  let cls: ClassRecord;
  beforeEach(async () => {
    app = await createTestApp(backend);
    cls = await classWithCode(app, "K7F2Q");
  });
  afterEach(() => app.dispose());

  it("counts the class in my data, in English and German", async () => {
    const sara = await person(app, "sara");
    await sara.sayAll("join K7F2Q", "yes", "Sara");
    expect(await sara.say("my data")).toContain("Classes you are in (your teacher sees your progress): 1");
    const lena = await person(app, "lena", "de");
    await lena.sayAll("beitreten K7F2Q", "ja", "Lena");
    expect(await lena.say("meine daten")).toContain(
      "Klassen, in denen Sie sind (Ihre Lehrkraft sieht Ihren Fortschritt): 1",
    );
  });

  it("takes the learner out of the teacher's view of the class when they delete their data", async () => {
    const sara = await person(app, "sara");
    await sara.sayAll("join K7F2Q", "yes", "Sara");
    app.clock.advance(60_000);
    const omar = await person(app, "omar");
    await omar.sayAll("join K7F2Q", "yes", "Omar");
    await finishLesson(app, sara.address, "strong-passwords");
    const before = await classProgress(app.store.db, app.content, cls, app.clock.now());
    expect(before.learners.map((l) => [l.name, l.done])).toEqual([
      ["Sara", 1],
      ["Omar", 0],
    ]);

    await sara.sayAll("delete my data", "yes, delete all");

    const after = await classProgress(app.store.db, app.content, cls, app.clock.now());
    expect(after.learners.map((l) => l.name)).toEqual(["Omar"]);
    expect(after.programme.of).toBe(1);
    expect((await membersOf(app.store.db, cls.id)).map((m) => m.address)).toEqual([omar.address]);
  });
});
