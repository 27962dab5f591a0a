/**
 * Model-based tests of the learning flows over the real content pack, with
 * `xstate/graph`: every course, lesson, step and question is reachable, no
 * state is a dead end, and every reply on every path fits Telegram's and
 * WhatsApp's limits in English, German and Arabic.
 */

import { beforeAll, describe, expect, it } from "vitest";
import { getShortestPaths } from "xstate/graph";
import type { FlowDefinition, FlowEvent, FlowInput, Reply } from "../../flows/kit.ts";
import { createLessonsFlow } from "../../flows/learning/lessons.ts";
import { createQuizFlow } from "../../flows/learning/quiz.ts";
import { createReviewFlow } from "../../flows/learning/review.ts";
import { limitProblems } from "../../src/channels/limits.ts";
import { telegramProfile, whatsappProfile } from "../../src/channels/profiles.ts";
import { type ContentPack, loadContentPack } from "../../src/content/pack.ts";
import { ReplyRenderer } from "../../src/engine/render.ts";
import { createTranslator, readLocales } from "../../src/i18n/index.ts";
import { problemsInEveryLanguage } from "./every-language.ts";
import { walkFlow } from "./walk.ts";

let pack: ContentPack;
const renderer = new ReplyRenderer(createTranslator(readLocales("locales")));
const input = (params: Record<string, string> = {}, data?: unknown): FlowInput => ({
  user: { language: "en", city: "lund", timeZone: "Europe/Stockholm", consent: "given" },
  params,
  facts: {},
  data,
});

/** Every reply through the real renderers in every language (see every-language.ts). */
function problemsIn(replies: Reply[]): Promise<string[]> {
  return problemsInEveryLanguage(replies);
}

type Snap = { value: unknown; context: Record<string, unknown>; status: string };

/** The events a person can send in each lesson-flow state, from the content. */
function lessonEvents(snapshot: Snap): FlowEvent[] {
  const back: FlowEvent = { type: "nav.back" };
  const c = snapshot.context as { courseId: string | null; lessonId: string | null };
  const pick = (choiceId: string): FlowEvent => ({ type: "user.choice", choiceId });
  switch (snapshot.value) {
    case "courses":
      return [...pack.courses.map((course) => pick(`course.${course.id}`)), back];
    case "lessons":
      return [...pack.lessonsOf(c.courseId ?? "").map((l) => pick(`lesson.${l.id}`)), pick("nav.courses"), back];
    case "step":
      return ["step.next", "step.restart", "step.quiz", "nav.lessons"].map(pick).concat(back);
    default:
      return [];
  }
}

describe("the lessons flow over the real pack", () => {
  let flow: FlowDefinition;
  beforeAll(async () => {
    pack = await loadContentPack("content");
    flow = createLessonsFlow(pack);
  });

  it("reaches every step of every lesson and the quiz of each, from the course list", () => {
    const paths = getShortestPaths(flow.machine, {
      input: input(),
      events: (s) => lessonEvents(s as unknown as Snap),
      serializeState: (s) => {
        const snap = s as unknown as Snap;
        const c = snap.context as { courseId: string | null; lessonId: string | null; step: number };
        return JSON.stringify([
          snap.value,
          c.courseId,
          snap.value === "step" || snap.status === "done" ? [c.lessonId, c.step] : null,
        ]);
      },
    });
    const reached = new Set(
      paths.map((p) => {
        const snap = p.state as unknown as Snap;
        const c = snap.context as { lessonId: string; step: number };
        return snap.value === "step"
          ? `${c.lessonId}#${c.step}`
          : snap.status === "done"
            ? `done:${String(snap.value)}:${c.lessonId}`
            : "";
      }),
    );
    for (const course of pack.courses) {
      for (const lesson of pack.lessonsOf(course.id)) {
        for (const i of lesson.steps.keys())
          expect(reached, `${lesson.id} step ${i + 1}`).toContain(`${lesson.id}#${i}`);
        expect(reached, `${lesson.id} quiz`).toContain(`done:quiz:${lesson.id}`);
      }
    }
    expect(reached).toContain("done:leaving:null");
  });

  it("renders every reply on every path through the real renderers in all 19 languages", async () => {
    const { states, replies } = walkFlow(flow, input(), 5_000);
    expect(states.every((s) => s.prompt !== undefined)).toBe(true);
    expect(await problemsIn(replies)).toEqual([]);
  });
});

describe("the quiz flow over the real pack", () => {
  beforeAll(async () => {
    pack ??= await loadContentPack("content");
  });

  it("every lesson's quiz reaches its score from any answers, with no dead end, within limits", async () => {
    const quiz = createQuizFlow(pack);
    const all: Reply[] = [];
    for (const course of pack.courses) {
      for (const lesson of pack.lessonsOf(course.id)) {
        const paths = getShortestPaths(quiz.machine, {
          input: input({ lesson: lesson.id }),
          events: (s) => {
            const snap = s as unknown as Snap;
            if (snap.value === "asking")
              return [0, 1, 2, 3].map((i) => ({ type: "user.choice", choiceId: `answer.${i}` }) as FlowEvent);
            if (snap.value === "result")
              return ["quiz.retry", "quiz.nextLesson", "nav.lessons", "nav.menu"].map(
                (id) => ({ type: "user.choice", choiceId: id }) as FlowEvent,
              );
            return [];
          },
        });
        const scores = new Set(
          paths
            .filter((p) => (p.state as unknown as Snap).value === "result")
            .map((p) => (p.state as unknown as Snap).context.score),
        );
        expect(scores.size, lesson.id).toBe(lesson.quiz.length + 1);
        const { states, replies } = walkFlow(quiz, input({ lesson: lesson.id }), 2_000);
        expect(
          states.every((s) => s.prompt !== undefined),
          lesson.id,
        ).toBe(true);
        all.push(...replies);
      }
    }
    expect(await problemsIn(all)).toEqual([]);
  });

  it("review shows every question of the pack within limits", async () => {
    const review = createReviewFlow(pack);
    const due = pack.courses.flatMap((c) =>
      pack.lessonsOf(c.id).flatMap((l) => l.quiz.map((q) => ({ lesson: l.id, question: q.id }))),
    );
    const { replies } = walkFlow(review, input({}, { due }), 200);
    expect(replies.filter((r) => r.kind === "choices").length).toBeGreaterThanOrEqual(1);
    expect(await problemsIn(replies)).toEqual([]);
  });
});

describe("regressions", () => {
  it("a 'next' at a lesson's last step does not run past the end (found by the model walk)", async () => {
    pack ??= await loadContentPack("content");
    const { startFlow, resumeFlow } = await import("../../src/engine/flow-runner.ts");
    const flow = createLessonsFlow(pack);
    const lesson = pack.lessonsOf("safe-online")[0];
    const last = (lesson?.steps.length ?? 1) - 1;
    const start = startFlow(
      flow,
      input({ lesson: lesson?.id ?? "" }, { positions: { [lesson?.id ?? ""]: last }, completed: [], last: null }),
    );
    const next = resumeFlow(flow, start.snapshot ?? "", { type: "user.choice", choiceId: "step.next" });
    expect(next.emitted).toEqual([]);
  });
});

describe("a lesson step with a picture", () => {
  it("sends the picture before the step's text", async () => {
    const full = await loadContentPack("content");
    const [first] = full.lessonsOf("phone-papers");
    if (!first) throw new Error("no lesson");
    const withImage = {
      ...first,
      steps: first.steps.map((s, i) => (i === 0 ? { ...s, image: "https://example.org/scan.png" } : s)),
    };
    const { createContentPack } = await import("../../src/content/pack.ts");
    const course = full.course("phone-papers");
    const small = createContentPack(course ? [course] : [], [withImage, ...full.lessonsOf("phone-papers").slice(1)]);
    const { startFlow } = await import("../../src/engine/flow-runner.ts");
    const step = startFlow(createLessonsFlow(small), input({ lesson: first.id }));
    const replies = step.emitted.flatMap((e) => (e.type === "bot.reply" ? [e.reply.kind] : []));
    expect(replies).toEqual(["media", "choices"]);
  });
});
