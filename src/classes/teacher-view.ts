/**
 * The class as its teacher reads it in the chat: how many learners, the next session, the share that
 * finished each course and the whole programme, then one line per learner (the name they chose, never
 * their address) with lessons done, the last quiz score, when they were last active, and a flag for
 * who has not started or has stalled for 7 days. Built from src/classes/progress.ts.
 */
import { type Line, type Msg, msg, type Reply } from "../../flows/kit.ts";
import { shortTime } from "../../flows/meetings.ts";
import { learnerLabel } from "../../flows/teaching.ts";
import type { ContentPack } from "../content/pack.ts";
import { dateLocale } from "../domain/languages.ts";
import type { Meeting } from "../meetings/repository.ts";
import type { ClassProgress, LearnerProgress } from "./progress.ts";
import type { ClassRecord } from "./repository.ts";

/** Who reads the view: their language and time zone, for dates. */
export interface ViewReader {
  language: string;
  timeZone: string;
}

const percent = (rate: number) => Math.round(rate * 100);

/** The score of the last quiz in the class's lesson order, if any was taken. */
function lastQuiz(progress: ClassProgress, learner: LearnerProgress): { score: number; total: number } | undefined {
  for (const { lesson } of [...progress.lessons].reverse()) {
    const quiz = learner.quiz[lesson];
    if (quiz) return quiz;
  }
  return undefined;
}

const flags: Partial<Record<LearnerProgress["state"], string>> = {
  "not-started": "teaching.view.notStarted",
  stalled: "teaching.view.stalled",
  finished: "teaching.view.finished",
};

function learnerLine(progress: ClassProgress, learner: LearnerProgress, reader: ViewReader): Msg {
  const quiz = lastQuiz(progress, learner);
  const day = new Intl.DateTimeFormat(dateLocale(reader.language), {
    day: "numeric",
    month: "short",
    timeZone: reader.timeZone,
  });
  const flag = flags[learner.state];
  return msg("teaching.view.learner", {
    name: learnerLabel({ ref: learner.ref, name: learner.name }),
    done: learner.done,
    total: learner.total,
    quiz: quiz ? msg("teaching.view.quiz", { score: quiz.score, total: quiz.total }) : "",
    last: learner.lastActive
      ? msg("teaching.view.lastActive", { date: day.format(learner.lastActive) })
      : msg("teaching.view.neverActive"),
    flag: flag ? msg(flag) : "",
  });
}

/**
 * The teacher's view of one class as a chat message.
 *
 * @example
 * const reply = classViewReply(cls, await classProgress(tx.db, pack, cls, now), next, pack, { language: "en", timeZone: "Europe/Berlin" });
 */
export function classViewReply(
  cls: ClassRecord,
  progress: ClassProgress,
  next: Meeting | undefined,
  pack: ContentPack,
  reader: ViewReader,
): Reply {
  const head: Line = [
    msg("teaching.view.learners", { count: progress.learners.length }),
    next
      ? msg("teaching.view.next", { time: shortTime(next.startsAt.toISOString(), reader.language, reader.timeZone) })
      : msg("teaching.view.noSession"),
  ];
  const completion: Line = [
    msg("teaching.view.completionTitle"),
    ...progress.perCourse.map(({ course, completion: c }) =>
      msg("teaching.view.course", {
        title: pack.course(course)?.title ?? course,
        finished: c.finished,
        of: c.of,
        percent: percent(c.rate),
      }),
    ),
    msg("teaching.view.programme", {
      finished: progress.programme.finished,
      of: progress.programme.of,
      percent: percent(progress.programme.rate),
    }),
  ];
  const learners: Line[] =
    progress.learners.length === 0
      ? [msg("teaching.view.nobody", { code: cls.code })]
      : [[msg("teaching.view.learnersTitle"), ...progress.learners.map((l) => learnerLine(progress, l, reader))]];
  return {
    kind: "text",
    lines: [msg("teaching.view.title", { name: cls.name, code: cls.code }), head, completion, ...learners],
  };
}
