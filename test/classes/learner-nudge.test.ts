/**
 * The daily nudge of a class's learner follows the class's course order: the class's next lesson
 * comes before a lesson of another course left unfinished and before the content pack's own order;
 * someone in no class keeps the nudge as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { saveStep } from "../../src/learning/repository.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import type { chatWith } from "../support/chat.ts";
import { classWithCode, finishLesson, person } from "./learner-support.ts";

const hour = 3_600_000;

describe.each(backends)("nudges of a class's learner on %s", (backend) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(backend);
    await classWithCode(app, "K7F2Q");
  });
  afterEach(() => app.dispose());

  const withReminder = async (name: string) => {
    const chat = await person(app, name);
    await chat.sayAll("settings", "daily reminder", "morning", "menu");
    return chat;
  };

  /** The next day's nudge texts, hour by hour, as the scheduler's tick sends them. */
  const nextDay = async (chats: ReturnType<typeof chatWith>[]): Promise<Map<string, string>> => {
    const got = new Map<string, string>(chats.map((c) => [c.address, ""]));
    for (let h = 0; h < 24; h++) {
      app.clock.advance(hour);
      await app.scheduler.runDue(app.clock.now());
      for (const chat of chats) {
        for (const item of await app.store.takeOutboxFor(chat.address, app.clock.now()))
          got.set(chat.address, `${got.get(chat.address)}${"text" in item.outbound ? item.outbound.text : ""}`);
      }
    }
    return got;
  };

  it("offers the class's next lesson first, then the next in the class's order", async () => {
    const sara = await withReminder("sara");
    await sara.sayAll("join K7F2Q", "yes", "Skip", "menu");
    const omar = await withReminder("omar");
    // Both left a lesson of a course the class does not follow unfinished.
    for (const chat of [sara, omar]) await saveStep(app.store.db, chat.address, "video-calls", 2, app.clock.now());

    const first = await nextDay([sara, omar]);
    expect(first.get(sara.address)).toContain("Next: Strong passwords");
    expect(first.get(omar.address)).toContain("Next: Video calls");

    await finishLesson(app, sara.address, "strong-passwords");
    await sara.say("menu");
    const second = await nextDay([sara]);
    expect(second.get(sara.address)).toContain("Next: Two-step login");
  });
});
