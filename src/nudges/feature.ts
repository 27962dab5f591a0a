/**
 * Daily nudges wired into the bot: the nudge flow and its data, the reminder
 * hour in settings, the scheduler job, and the reset when a learner writes.
 */
import { createNudgeFlow, type NudgeData, nudgeVariant } from "../../flows/learning/nudge.ts";
import type { SettingsData } from "../../flows/settings.ts";
import { nextClassLesson } from "../classes/next-lesson.ts";
import { classesOf } from "../classes/repository.ts";
import type { ContentPack } from "../content/pack.ts";
import { localDay } from "../domain/local-time.ts";
import type { User } from "../domain/user.ts";
import type { Engine } from "../engine/engine.ts";
import type { FlowRegistry } from "../engine/registry.ts";
import { activeDays, countDueReviews, lessonPositions } from "../learning/repository.ts";
import { streakLength } from "../learning/streak.ts";
import type { SqlScheduler } from "../scheduler/scheduler.ts";
import type { StoreTx } from "../storage/store.ts";
import { Nudges, nudgeHour, nudgeKind, type QuietHours } from "./nudges.ts";

/**
 * The lesson a nudge offers: for a class's learner, the next of their class's courses in the class's
 * order (the class joined last); else the one left unfinished, else the first not done, in course order.
 */
async function nextLessonFor(tx: StoreTx, user: User, pack: ContentPack, now: Date): Promise<string | null> {
  const { last, completed } = await lessonPositions(tx.db, user.address);
  const [membership] = await classesOf(tx.db, user.address);
  const inClass = membership
    ? nextClassLesson(pack, membership.class.courses, { last, completed }, localDay(now, user.timeZone))
    : undefined;
  if (inClass) return inClass;
  const lastLesson = last ? pack.lesson(last) : undefined;
  if (lastLesson) return lastLesson.id;
  // The course in progress first (that of the lesson finished last): its next unfinished lesson.
  const finishedLast = completed[0] ? pack.lesson(completed[0]) : undefined;
  const inCourse = finishedLast && pack.lessonsOf(finishedLast.course).find((l) => !completed.includes(l.id));
  if (inCourse) return inCourse.id;
  for (const course of pack.courses) {
    const lesson = pack.lessonsOf(course.id).find((l) => !completed.includes(l.id));
    if (lesson) return lesson.id;
  }
  return null;
}

async function nudgeData(tx: StoreTx, user: User, now: Date, pack: ContentPack): Promise<NudgeData> {
  const today = localDay(now, user.timeZone);
  return {
    lesson: await nextLessonFor(tx, user, pack, now),
    reviewsDue: await countDueReviews(tx.db, user.address, now),
    streak: streakLength(await activeDays(tx.db, user.address), today),
    variant: nudgeVariant(today),
  };
}

/**
 * Registers daily nudges.
 *
 * @example
 * registerNudges(registry, { pack, scheduler, engine, quiet: { start: 21, end: 8 } });
 */
export function registerNudges(
  registry: FlowRegistry,
  deps: { pack: ContentPack; scheduler: SqlScheduler; engine: Engine; quiet: QuietHours },
): Nudges {
  const nudges = new Nudges(deps.scheduler, deps.engine, deps.quiet);
  registry
    .addFlow(createNudgeFlow(deps.pack))
    .onInput("nudge", (tx, user, now) => nudgeData(tx, user, now, deps.pack))
    .onInput(
      "settings",
      async (tx, user): Promise<SettingsData> => ({
        nudgeHour: await nudgeHour(tx, user.address),
        quietStart: deps.quiet.start,
        quietEnd: deps.quiet.end,
      }),
    )
    .onEffect("feature.nudge.set", async (tx, user, effect, now) => {
      const hour = "data" in effect ? effect.data.hour : null;
      await nudges.setHour(tx, user, typeof hour === "number" && nudges.allows(hour) ? hour : null, now);
      return undefined;
    })
    .onInbound((tx, user, now) => nudges.onInbound(tx, user, now));
  deps.scheduler.on(nudgeKind, (tx, job, now) => nudges.run(tx, job, now));
  return nudges;
}
