/**
 * Everything the console overview shows, in one object: the page, its CSV downloads and the API
 * all read this, so they cannot disagree. Totals only, never an address.
 */
import type { ContentPack } from "../content/pack.ts";
import type { StatsDb } from "./db.ts";
import { type FunnelRow, funnelStats } from "./funnel.ts";
import { itemStats, type LessonItems } from "./items.ts";
import { type LessonRow, lessonStats, type QuizRow, quizStats } from "./learning.ts";
import { type MeetingRow, meetingStats } from "./meetings.ts";
import { type ActivityStats, activityStats, type PeopleStats, peopleStats } from "./people.ts";
import { minGroup } from "./small-groups.ts";

/** The overview's numbers. */
export interface Overview {
  generatedAt: string;
  /** Averages and shares from fewer people than this are withheld (null). */
  minGroup: number;
  people: PeopleStats;
  activity: ActivityStats;
  lessons: LessonRow[];
  quizzes: QuizRow[];
  meetings: MeetingRow[];
  funnel: FunnelRow[];
  items: LessonItems[];
}

/**
 * Reads every number of the overview.
 *
 * @example
 * const overview = await overviewStats(app.store.db, app.content, app.clock.now());
 */
export async function overviewStats(db: StatsDb, pack: ContentPack, now: Date): Promise<Overview> {
  return {
    generatedAt: now.toISOString(),
    minGroup,
    people: await peopleStats(db),
    activity: await activityStats(db, now),
    lessons: await lessonStats(db, pack),
    quizzes: await quizStats(db, pack),
    meetings: await meetingStats(db, { now }),
    funnel: await funnelStats(db),
    items: await itemStats(db, pack),
  };
}
