/**
 * The placement check (issue 17): offered after onboarding and in the menu, 8 questions across the
 * five areas with "I don't know" always there, a profile per area and a course to start with from the
 * weakest area; all right recommends a course with harder lessons.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadContentPack } from "../../src/content/pack.ts";
import { learnerSeed, optionOrder } from "../../src/learning/option-order.ts";
import { areaScores, recommendCourse } from "../../src/learning/placement.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

describe("the recommendation", async () => {
  const pack = await loadContentPack("content");
  const check = pack.placement;
  if (!check) throw new Error("the content has no placement check");
  const all = (right: boolean) => Object.fromEntries(check.questions.map((q) => [q.id, right]));

  it("covers the five areas with 6 to 8 questions", () => {
    expect(new Set(check.questions.map((q) => q.area))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(check.questions.length).toBeGreaterThanOrEqual(6);
    expect(check.questions.length).toBeLessThanOrEqual(8);
  });

  it("starts in the weakest area: only the safety questions wrong gives a safety course", () => {
    const answers = {
      ...all(true),
      ...Object.fromEntries(check.questions.filter((q) => q.area === 4).map((q) => [q.id, false])),
    };
    const found = recommendCourse(pack, areaScores(check, answers), []);
    expect(found?.course.area).toBe(4);
    expect(found?.allRight).toBe(false);
  });

  // Regression (trial): 7 right and one "I don't know" recommended the most basic course of all.
  it("with most answers right, the weakest area's course is one past the basics", () => {
    const answers = { ...all(true), p8: false };
    const found = recommendCourse(pack, areaScores(check, answers), []);
    expect(found?.course.area).toBe(5);
    expect(pack.lessonsOf(found?.course.id ?? "").some((l) => l.proficiency !== "basic")).toBe(true);
  });

  it("skips a finished course in that area", () => {
    const answers = {
      ...all(true),
      ...Object.fromEntries(check.questions.filter((q) => q.area === 4).map((q) => [q.id, false])),
    };
    const first = recommendCourse(pack, areaScores(check, answers), []);
    const done = pack.lessonsOf(first?.course.id ?? "").map((l) => l.id);
    const next = recommendCourse(pack, areaScores(check, answers), done);
    expect(next?.course.id).not.toBe(first?.course.id);
    expect(next?.course.area).toBe(4);
  });

  it("everything wrong starts with the first area's course; everything right with one that has harder lessons", () => {
    expect(recommendCourse(pack, areaScores(check, all(false)), [])?.course.area).toBe(1);
    const top = recommendCourse(pack, areaScores(check, all(true)), []);
    expect(top?.allRight).toBe(true);
    expect(pack.lessonsOf(top?.course.id ?? "").some((l) => l.proficiency !== "basic")).toBe(true);
  });
});

describe("the placement check in the chat", () => {
  let app: TestApp;
  let chat: ReturnType<typeof chatWith>;
  beforeEach(async () => {
    app = await createTestApp();
    chat = chatWith(app, "khaled");
  });
  afterEach(() => app.dispose());

  /** The number this person sees next to a question's right option, or "I don't know". */
  const answer = (id: string, right: boolean) => {
    const q = app.content.placement?.questions.find((p) => p.id === id);
    if (!q) throw new Error(`no question ${id}`);
    if (!right) return "I don't know";
    const order = optionOrder(learnerSeed(chat.address), `placement/${q.id}`, q.options.length);
    return String(order.indexOf(q.options.findIndex((o) => o.correct)) + 1);
  };

  it("is offered first right after onboarding, and recommends a course from the weakest area", async () => {
    const offer = await chat.sayAll("hi", "English", "Mainz", "yes", "no news");
    expect(offer).toContain("New here? Choose “🧭 Which course for me?”");
    expect(offer).toMatch(/1\) 🧭 Which course for me\?/);
    expect(await chat.say("1")).toContain("A short check: 8 questions");
    const first = await chat.say("start the check");
    expect(first).toContain("question 1 of 8");
    expect(first).toContain("I don't know");
    const questions = app.content.placement?.questions ?? [];
    let result = "";
    for (const q of questions) result = await chat.say(answer(q.id, q.area !== 4));
    expect(result).toContain("Safety and privacy: 0 of 2");
    expect(result).toContain("Finding and checking information: 2 of 2");
    const course = app.content.courses.find((c) => c.area === 4);
    expect(result).toContain(`Start with the course “${course?.title.en}”`);
    const opened = await chat.say("start this course");
    expect(opened).toContain(course?.title.en ?? "-");
    expect(opened).toContain(app.translator.t("en", "learning.lessonsTitle"));
    expect(opened).not.toContain(app.translator.t("en", "learning.coursesTitle"));
  });

  it("stays in the menu, without the welcome line, and 'not now' goes back to it", async () => {
    await chat.sayAll("hi", "English", "Mainz", "yes", "no news");
    const menu = await chat.say("menu");
    expect(menu).toContain("Which course for me?");
    expect(menu).not.toContain("New here?");
    expect(await chat.say("which course for me?")).toContain("A short check: 8 questions");
    expect(await chat.say("not now")).toContain("Which course for me?");
  });
});
