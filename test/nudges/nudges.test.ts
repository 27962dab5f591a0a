/**
 * Daily nudges with a fake clock: at the learner's local hour across time
 * zones and a daylight-saving change, never in quiet hours, never twice a
 * day, paused after three unanswered, silent after "stop" or a block, and
 * exactly once even when a process dies in the middle of a tick.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/domain/clock.ts";
import { silentLogger } from "../../src/log.ts";
import { SqlScheduler } from "../../src/scheduler/scheduler.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";
import { rightAnswers } from "../support/quiz-answers.ts";

const hour = 3_600_000;
let app: TestApp;
afterEach(() => app?.dispose());

async function learner(name: string, city: string, reminder: string) {
  const chat = chatWith(app, name);
  await chat.sayAll("hi", "English", city, "yes", "no news", "settings", "daily reminder", reminder, "menu");
  return chat;
}

/** Moves the clock an hour at a time, running the scheduler's tick, and returns the nudges each learner got with their UTC time. */
async function runHours(hours: number, chats: ReturnType<typeof chatWith>[]): Promise<Map<string, string[]>> {
  const got = new Map<string, string[]>(chats.map((c) => [c.address, []]));
  for (let h = 0; h < hours; h++) {
    app.clock.advance(hour);
    await app.scheduler.runDue(app.clock.now());
    for (const chat of chats) {
      const items = await app.store.takeOutboxFor(chat.address, app.clock.now());
      for (const item of items)
        got.get(chat.address)?.push(`${app.clock.now().toISOString().slice(0, 13)}h ${item.outbound.kind}`);
    }
  }
  return got;
}

describe("daily nudges", () => {
  it("arrive at 8:00 local time in Lund, Aydın and Palermo, once a day", async () => {
    app = await createTestApp(undefined, { clock: new FakeClock(new Date("2026-03-01T10:00:00Z")) });
    const lund = await learner("lund", "Lund", "morning");
    const aydin = await learner("aydin", "Aydın", "morning");
    const palermo = await learner("palermo", "Palermo", "morning");
    const got = await runHours(48, [lund, aydin, palermo]);
    expect(got.get(lund.address)).toEqual(["2026-03-02T07h choices", "2026-03-03T07h choices"]);
    expect(got.get(aydin.address)).toEqual(["2026-03-02T05h choices", "2026-03-03T05h choices"]);
    expect(got.get(palermo.address)).toEqual(["2026-03-02T07h choices", "2026-03-03T07h choices"]);
  });

  it("follow the clock change: 8:00 in Palermo is 07:00 UTC before and 06:00 UTC after summer time starts", async () => {
    app = await createTestApp(undefined, { clock: new FakeClock(new Date("2026-03-27T12:00:00Z")) });
    const palermo = await learner("palermo", "Palermo", "morning");
    const got = await runHours(72, [palermo]);
    expect(got.get(palermo.address)).toEqual([
      "2026-03-28T07h choices",
      "2026-03-29T06h choices",
      "2026-03-30T06h choices",
    ]);
  });

  it("cannot be set in quiet hours", async () => {
    app = await createTestApp();
    const chat = chatWith(app, "night");
    await chat.sayAll("hi", "English", "Lund", "yes", "no news", "settings", "daily reminder");
    expect(await chat.say("22")).toContain("I do not send messages between 21:00 and 8:00");
    expect(await chat.say("9")).toContain("I will remind you every day at 9:00");
  });

  it("pause after three unanswered nudges, say so, and resume when the learner writes", async () => {
    app = await createTestApp(undefined, { clock: new FakeClock(new Date("2026-03-01T10:00:00Z")) });
    const chat = await learner("quiet", "Lund", "morning");
    const first = await runHours(24 * 5, [chat]);
    const texts = first.get(chat.address) ?? [];
    expect(texts).toEqual([
      "2026-03-02T07h choices",
      "2026-03-03T07h choices",
      "2026-03-04T07h choices",
      "2026-03-05T07h text",
    ]);
    await chat.say("hello");
    const after = await runHours(24, [chat]);
    expect(after.get(chat.address)).toEqual(["2026-03-07T07h choices"]);
  });

  it("stop silences nudges until start", async () => {
    app = await createTestApp(undefined, { clock: new FakeClock(new Date("2026-03-01T10:00:00Z")) });
    const chat = await learner("stopper", "Lund", "morning");
    await chat.say("stop");
    expect((await runHours(48, [chat])).get(chat.address)).toEqual([]);
    await chat.say("start");
    expect((await runHours(24, [chat])).get(chat.address)).toEqual(["2026-03-04T07h choices"]);
  });

  it("a learner whose platform reported the bot blocked gets nothing", async () => {
    app = await createTestApp(undefined, { clock: new FakeClock(new Date("2026-03-01T10:00:00Z")) });
    const chat = await learner("blocked", "Lund", "morning");
    await app.store.transaction((tx) => tx.updateUser(chat.address, { status: "unreachable" }, app.clock.now()));
    expect((await runHours(48, [chat])).get(chat.address)).toEqual([]);
  });

  it("a process dying in the middle of a tick neither loses nor repeats a nudge", async () => {
    app = await createTestApp(undefined, { clock: new FakeClock(new Date("2026-03-01T10:00:00Z")) });
    const chats = [await learner("a", "Lund", "morning"), await learner("b", "Lund", "morning")];
    app.clock.advance(21 * hour); // 2026-03-02T07:00Z, both due
    // The first process claims both jobs and dies before running them.
    const dying = new SqlScheduler(app.store, silentLogger, { leaseMs: 5 * 60_000 });
    expect(await dying.claim(app.clock.now())).toHaveLength(2);
    expect((await app.scheduler.runDue(app.clock.now())).ran).toBe(0);
    app.clock.advance(6 * 60_000); // the lease runs out; the other process takes over
    expect((await app.scheduler.runDue(app.clock.now())).ran).toBe(2);
    app.clock.advance(hour);
    await app.scheduler.runDue(app.clock.now());
    for (const chat of chats) {
      const got = await app.store.takeOutboxFor(chat.address, app.clock.now());
      expect(got.filter((g) => g.outbound.kind === "choices")).toHaveLength(1);
    }
  });

  it("answering a nudge opens the offered lesson", async () => {
    app = await createTestApp(undefined, { clock: new FakeClock(new Date("2026-03-01T10:00:00Z")) });
    const chat = await learner("keen", "Lund", "morning");
    await runHours(22, [chat]);
    expect(await chat.say("start the lesson")).toMatch(/^Scan a paper · 1\/5/);
  });
});

describe("nudges respect where a learner is", () => {
  it("regression: a nudge during an open lesson is a line of text; the lesson's question and its numbers stay", async () => {
    app = await createTestApp(undefined, { clock: new FakeClock(new Date("2026-03-01T10:00:00Z")) });
    const lund = await learner("lund", "Lund", "morning");
    await lund.sayAll("lessons", "1", "1");
    const got = await runHours(22, [lund]);
    expect(got.get(lund.address)).toEqual(["2026-03-02T07h text"]);
    // "1" still means the lesson's first choice (Next), not a choice of the nudge.
    expect(await lund.say("1")).toContain("2/5");
  });

  it("offers the next unfinished lesson of the course in progress, not the one just finished", async () => {
    app = await createTestApp(undefined, { clock: new FakeClock(new Date("2026-03-01T10:00:00Z")) });
    const lund = await learner("lund", "Lund", "morning");
    const [first, second] = app.content.lessonsOf(app.content.courses[0]?.id ?? "");
    const steps = first?.steps.length ?? 0;
    await lund.sayAll("lessons", "1", "1", ...Array(steps - 1).fill("next"), "take the quiz");
    // Passed, so the first lesson counts as finished.
    await lund.sayAll(...rightAnswers(app, lund.address, first?.id ?? ""), "menu");
    let nudge = "";
    for (let h = 0; h < 22 && !nudge; h++) {
      app.clock.advance(hour);
      await app.scheduler.runDue(app.clock.now());
      const items = await app.store.takeOutboxFor(lund.address, app.clock.now());
      nudge = items.map((i) => ("text" in i.outbound ? i.outbound.text : "")).join("\n");
    }
    expect(nudge).toContain(second?.title.en ?? "(no second lesson)");
    expect(nudge).not.toContain(first?.title.en ?? "(no first lesson)");
  });
});
