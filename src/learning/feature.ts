/**
 * The learning feature wired into the engine: its flows (lessons, quiz,
 * review, progress), the effects they ask for, the data they start with, and
 * the "reviews due" fact the menu shows.
 */
import type { Effect } from "../../flows/kit.ts";
import { createLessonsFlow } from "../../flows/learning/lessons.ts";
import { progressFlow } from "../../flows/learning/progress.ts";
import { createQuizFlow } from "../../flows/learning/quiz.ts";
import { createReviewFlow } from "../../flows/learning/review.ts";
import { createPlacementFlow } from "../../flows/placement.ts";
import type { ContentPack } from "../content/pack.ts";
import type { User } from "../domain/user.ts";
import type { FlowRegistry } from "../engine/registry.ts";
import type { StoreTx } from "../storage/store.ts";
import { learnerSeed } from "./option-order.ts";
import { progressReply } from "./progress-report.ts";
import {
  activeDays,
  bestScores,
  countDueReviews,
  dueReviews,
  lessonPositions,
  markActiveDay,
  quizUnderway,
  recordAnswer,
  saveQuizAnswer,
  saveQuizResult,
  saveStep,
} from "./repository.ts";
import { localDay, streakLength } from "./streak.ts";

function field(effect: Effect, name: string): unknown {
  return "data" in effect ? effect.data[name] : undefined;
}

const text = (effect: Effect, name: string): string => String(field(effect, name) ?? "");
const number = (effect: Effect, name: string): number => Number(field(effect, name) ?? 0);

async function activity(tx: StoreTx, user: User, now: Date): Promise<void> {
  await markActiveDay(tx.db, user.address, localDay(now, user.timeZone));
}

/**
 * Registers lessons, quizzes, review and progress over a content pack.
 *
 * @example
 * registerLearning(registry, await loadContentPack("content"));
 */
export function registerLearning(registry: FlowRegistry, pack: ContentPack): FlowRegistry {
  return registry
    .addFlow(createLessonsFlow(pack))
    .addFlow(createQuizFlow(pack))
    .addFlow(createReviewFlow(pack))
    .addFlow(progressFlow)
    .addFlow(createPlacementFlow(pack))
    .onLink("lesson", (id) => (pack.lesson(id) ? { flowId: "lessons", params: { lesson: id } } : undefined))
    .onLink("course", (id) => (pack.course(id) ? { flowId: "lessons", params: { course: id } } : undefined))
    .onInput("lessons", (tx, user) => lessonPositions(tx.db, user.address))
    .onInput("quiz", async (tx, user, _now, params) => {
      const questions = (pack.lesson(params.lesson ?? "")?.quiz ?? []).map((q) => q.id);
      // A quiz left before its result goes on at its next question (it started again at the first,
      // and the first answers were stored twice: a Dari trial, and earlier ones).
      const underway =
        params.lesson && questions.length > 0
          ? await quizUnderway(tx.db, user.address, params.lesson, questions)
          : undefined;
      return {
        seed: learnerSeed(user.address),
        completed: (await lessonPositions(tx.db, user.address)).completed,
        ...(underway ? { underway } : {}),
      };
    })
    .onInput("placement", async (tx, user) => ({
      seed: learnerSeed(user.address),
      completed: (await lessonPositions(tx.db, user.address)).completed,
    }))
    .onInput("review", async (tx, user, now) => ({
      due: await dueReviews(tx.db, user.address, now),
      seed: learnerSeed(user.address),
    }))
    .addFacts(async (tx, user, now) => ({ reviewsDue: await countDueReviews(tx.db, user.address, now) }))
    .onEffect("feature.learning.step", async (tx, user, effect, now) => {
      await saveStep(tx.db, user.address, text(effect, "lesson"), number(effect, "step"), now);
      await activity(tx, user, now);
      return undefined;
    })
    .onEffect("feature.learning.answer", async (tx, user, effect, now) => {
      const answer = {
        lesson: text(effect, "lesson"),
        question: text(effect, "question"),
        correct: field(effect, "correct") === true,
      };
      await recordAnswer(tx.db, user.address, answer, now, user.timeZone);
      // The quiz marks its answers; anything else that grades a question is spaced review.
      const source = field(effect, "source") === "quiz" ? "quiz" : "review";
      if (answer.lesson && answer.question) await saveQuizAnswer(tx.db, user.address, { ...answer, source }, now);
      await activity(tx, user, now);
      return undefined;
    })
    .onEffect("feature.learning.quizDone", async (tx, user, effect, now) => {
      const result = { lesson: text(effect, "lesson"), score: number(effect, "score"), total: number(effect, "total") };
      await saveQuizResult(tx.db, user.address, result, now);
      return undefined;
    })
    .onEffect("feature.learning.progress", async (tx, user, _effect, now) => {
      const positions = await lessonPositions(tx.db, user.address);
      const days = await activeDays(tx.db, user.address);
      return [
        progressReply(pack, {
          completed: positions.completed,
          bestScores: await bestScores(tx.db, user.address),
          streak: streakLength(days, localDay(now, user.timeZone)),
          reviewsDue: await countDueReviews(tx.db, user.address, now),
        }),
      ];
    });
}
