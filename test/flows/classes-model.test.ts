/**
 * The class flows walked from every entry point their features start them with
 * (src/classes/learner-feature.ts, src/classes/teacher-feature.ts), over hand-built data shaped as
 * their loaders read it, through every choice and the texts a person would type: the learner's
 * class (join, my class, a name, leaving), the teacher's classes (list, a new class) and one class
 * (progress, links, a session, who came, a message). No state is a dead end, "back" always answers,
 * every reply fits Telegram's and WhatsApp's limits in every language, every text is translated.
 */
import { describe, expect, it } from "vitest";
import { createClassesFlow } from "../../flows/classes.ts";
import type { FlowDefinition, FlowEvent, FlowInput, Msg, MsgParam, Reply } from "../../flows/kit.ts";
import { noTeachingData, teachingFlow } from "../../flows/teaching.ts";
import { teachingClassFlow } from "../../flows/teaching-class.ts";
import { classViewReply } from "../../src/classes/teacher-view.ts";
import { loadContentPack } from "../../src/content/pack.ts";
import { resumeFlow, startFlow } from "../../src/engine/flow-runner.ts";
import { createTranslator, readLocales } from "../../src/i18n/index.ts";
import * as fx from "./classes-fixtures.ts";
import { classKey, draftKey, learnerKey } from "./classes-keys.ts";
import { allLanguages, problemsInEveryLanguage } from "./every-language.ts";
import { type WalkOptions, walkFlow } from "./walk.ts";

const pack = await loadContentPack("content");
const limit = 2_000;

const input = (params: Record<string, string>, data: unknown, language = "en"): FlowInput => ({
  user: { language, city: "leipzig", timeZone: "Europe/Berlin", consent: "given" },
  params,
  facts: {},
  data,
});

/** What a person types at each question, by the question's key: an answer that fits and one that does not. */
const typedAnswers: Record<string, string[]> = {
  "classes.join.askCode": ["k7f 2q"],
  "classes.name.question": ["Amal", "Amal Hassan from the Tuesday group in Leipzig"],
  "classes.rename.question": ["Amal H.", "Amal Hassan from the Tuesday group in Leipzig"],
  "teaching.askName": ["Deutsch am Dienstag", "DE"],
  "teaching.askCapacity": ["12", "0"],
  "teaching.askWhen": ["2026-03-17 18:00", "17.3.2026 18:00", "next Tuesday"],
  "teaching.askWhere": ["Stadtbibliothek Leipzig, Raum 2", "B2"],
  "teaching.askLink": ["https://meet.example.org/k7f2q", "meet.example.org/k7f2q"],
  "teaching.askText": ["Hallo zusammen! Bringt am Dienstag bitte euer Handy mit.", "?"],
  "teaching.askTextIn": ["Hallo zusammen! Bringt am Dienstag bitte euer Handy mit.", "?"],
};

const texts: WalkOptions["texts"] = (prompt) =>
  prompt && "lines" in prompt ? prompt.lines.flat().flatMap((m) => typedAnswers[m.key] ?? []) : [];

/** One way a feature starts a flow: its params and what its loader read; `ends` when it ends at once. */
interface Entry {
  name: string;
  params: Record<string, string>;
  data: unknown;
  ends?: { next: string; says: boolean };
}

const leipzig = fx.leipzigView(pack);
const online = fx.onlineView(pack);

const learnerEntries: Entry[] = [
  { name: "my class, in no class", params: {}, data: fx.classesData([]) },
  ...Object.entries(fx.sessionVariants).map(([variant, session]) => ({
    name: `my class, one class, session ${variant}`,
    params: {},
    data: fx.classesData([fx.leipzigView(pack, session)]),
  })),
  { name: "my class, two classes", params: {}, data: fx.classesData([leipzig, online]) },
  { name: "the link to one of two classes", params: { class: "5" }, data: fx.classesData([leipzig, online]) },
  { name: "the link to a class left since", params: { class: "9" }, data: fx.classesData([leipzig]) },
  { name: "the link to a class left, in no class", params: { class: "9" }, data: fx.classesData([]) },
  { name: "a class without a course", params: {}, data: fx.classesData([fx.noCourseView(pack)]) },
  { name: "join without a code", params: { start: "join" }, data: fx.classesData([]) },
  ...(["open", "already", "closed", "full", "expired", "unknown"] as const).map(
    (kind): Entry => ({
      name: `join, the code is ${kind}`,
      params: { start: "join", code: "K7F2Q" },
      data: fx.classesData(kind === "already" ? [leipzig] : [online], fx.joinPreviews[kind]),
      ...(["open", "already"].includes(kind) ? {} : { ends: { next: "menu", says: true } }),
    }),
  ),
  {
    name: "the name question right after joining",
    params: { start: "name", class: "3" },
    data: fx.classesData([
      { ...leipzig, displayName: null, courseDone: 0, done: 0, next: pack.lessonsOf("phone-papers")[0]?.id ?? null },
    ]),
  },
  {
    // The join effect already said why (a code that stopped working since the question).
    name: "the name question when the join did not happen",
    params: { start: "name", class: "3" },
    data: fx.classesData([]),
    ends: { next: "menu", says: false },
  },
];

const teachingEntries: Entry[] = [
  {
    name: "a teacher with two classes",
    params: {},
    data: fx.teachingData(pack, [fx.leipzigClass, fx.emptyOnlineClass]),
  },
  { name: "a teacher with no classes", params: {}, data: fx.teachingData(pack, []) },
  { name: "not a teacher (any more)", params: {}, data: noTeachingData, ends: { next: "menu", says: true } },
];

const classEntries: Entry[] = [
  {
    name: "opened from the list",
    params: { class: "3", show: "progress" },
    data: fx.teachingData(pack, [fx.leipzigClass]),
  },
  { name: "started again after a change", params: { class: "3" }, data: fx.teachingData(pack, [fx.leipzigClass]) },
  { name: "learners, no session yet", params: { class: "3" }, data: fx.teachingData(pack, [fx.noSessionsClass]) },
  {
    name: "an online class nobody joined",
    params: { class: "5", show: "progress" },
    data: fx.teachingData(pack, [fx.emptyOnlineClass]),
  },
  {
    name: "a class no longer there",
    params: { class: "3" },
    data: fx.teachingData(pack, []),
    ends: { next: "teaching", says: true },
  },
  {
    name: "not a teacher any more",
    params: { class: "3" },
    data: noTeachingData,
    ends: { next: "teaching", says: true },
  },
];

/** Every key a reply shows, with the messages inside its parameters (a city's name, "Learner 7be4…"). */
function keysIn(replies: readonly Reply[]): Set<string> {
  const keys = new Set<string>();
  const visit = (m: Msg) => {
    keys.add(m.key);
    for (const p of Object.values(m.params ?? {})) if (isMsg(p)) visit(p);
  };
  for (const r of replies) {
    if ("lines" in r) for (const m of r.lines.flat()) visit(m);
    if (r.kind === "choices")
      for (const c of r.choices) for (const m of [c.label, c.description, c.section]) if (m) visit(m);
    if (r.kind === "media" && r.caption) visit(r.caption);
  }
  return keys;
}

const isMsg = (p: MsgParam): p is Msg => typeof p === "object" && typeof (p as Partial<Msg>).key === "string";

const flowIds = new Set(["menu", "classes", "lessons", "teaching", "teachingClass"]);

function describeFlow(title: string, flow: FlowDefinition, entries: Entry[], options: WalkOptions = {}) {
  describe(title, () => {
    const walksIn = (language: string) =>
      entries.map((entry) => ({
        entry,
        ...walkFlow(flow, input(entry.params, entry.data, language), limit, { texts, ...options }),
      }));
    const walks = walksIn("en");
    const replies = walks.flatMap((w) => w.replies);

    it.each(walks.filter((w) => !w.entry.ends).map((w) => [w.entry.name, w] as const))(
      "%s: every state asks something, the walk is complete",
      (_name, { states }) => {
        expect(states.length).toBeGreaterThan(0);
        expect(states.length).toBeLessThan(limit);
        for (const state of states) expect(state.prompt, state.snapshot).toBeDefined();
      },
    );

    it.each(walks.filter((w) => !w.entry.ends).map((w) => [w.entry.name, w] as const))(
      "%s: back is answered in every state, every exit leads to a flow",
      (_name, { states }) => {
        for (const state of states) {
          expect(state.back, state.snapshot).not.toBe("ignored");
          for (const exit of state.exits) if (exit.next !== null) expect(flowIds).toContain(exit.next);
        }
      },
    );

    it("asks every question the flow has, from one entry point or another", () => {
      const asked = new Set(
        walks.flatMap((w) => w.states.map((s) => (JSON.parse(s.snapshot) as { value: string }).value)),
      );
      const questions = Object.values(flow.machine.root.states)
        .filter((node) => node.type !== "final" && node.config.always === undefined)
        .map((node) => node.key);
      expect(questions.length).toBeGreaterThan(0);
      expect(questions.filter((q) => !asked.has(q))).toEqual([]);
    });

    const ending = walks.filter((w) => w.entry.ends);
    if (ending.length > 0)
      it.each(ending.map((w) => [w.entry.name, w] as const))("%s: ends at once, saying why", (_name, { entry }) => {
        const step = startFlow(flow, input(entry.params, entry.data));
        expect(step.output?.next).toBe(entry.ends?.next);
        expect(step.emitted.some((e) => e.type === "bot.reply")).toBe(entry.ends?.says);
      });

    // Dates and language names are written in the person's language by the flow itself, so each
    // language is walked on its own and read in that language.
    it("renders every reply through the real Telegram and WhatsApp renderers in every language, within limits", async () => {
      const problems: string[] = [];
      for (const language of allLanguages) {
        const own = language === "en" ? walks : walksIn(language);
        problems.push(
          ...(await problemsInEveryLanguage(
            own.flatMap((w) => w.replies),
            [language],
          )),
        );
      }
      expect(problems).toEqual([]);
    }, 600_000);

    it.each(allLanguages.filter((l) => l !== "en"))("has every text translated in %s", (language) => {
      const translator = createTranslator(readLocales("locales"));
      const missing = [...keysIn(replies)].filter(
        (k) => !translator.has(language, k) && !translator.has(language, `${k}_other`),
      );
      expect(missing).toEqual([]);
    });
  });
}

describeFlow("the learner's class flow", createClassesFlow(pack), learnerEntries, { stateKey: learnerKey });
describeFlow("the teacher's classes flow", teachingFlow, teachingEntries, { stateKey: draftKey });
describeFlow("the teacher's class flow", teachingClassFlow, classEntries, { stateKey: classKey });

/** Runs a flow from its start, answering each question as `answer` says, until it ends or `answer` has nothing. */
function drive(flow: FlowDefinition, flowInput: FlowInput, answer: (prompt: Reply) => FlowEvent | undefined): Reply[] {
  const replies: Reply[] = [];
  let step = startFlow(flow, flowInput);
  for (let i = 0; i < 200; i++) {
    const said = step.emitted.flatMap((e) => (e.type === "bot.reply" ? [e.reply] : []));
    replies.push(...said);
    const prompt = said.at(-1);
    const event = prompt && step.snapshot ? answer(prompt) : undefined;
    if (!event || !step.snapshot) return replies;
    step = resumeFlow(flow, step.snapshot, event);
  }
  throw new Error(`${flow.id} did not end`);
}

const keysOf = (prompt: Reply) => new Set("lines" in prompt ? prompt.lines.flat().map((m) => m.key) : []);
const firstChoice = (prompt: Reply, pattern: RegExp): FlowEvent | undefined => {
  const id = prompt.kind === "choices" ? prompt.choices.find((c) => pattern.test(c.id))?.id : undefined;
  return id ? { type: "user.choice", choiceId: id } : undefined;
};
const typing = (text: string): FlowEvent => ({ type: "user.text", text });

describe("the longest things a teacher makes", () => {
  // 60 characters, the most a class name may have.
  const longName = "Digitale Grundlagen für Eltern, dienstags und donnerstags 18";
  const longText =
    "Hallo zusammen! Am Dienstag üben wir Online-Formulare. Bringt bitte euer Handy und euren Ausweis mit. "
      .repeat(10)
      .slice(0, 1000)
      .trim();

  it("a class in every language on every course, with the longest name: every reply fits in every language", async () => {
    expect([...longName].length).toBe(60);
    const answer = (prompt: Reply): FlowEvent | undefined => {
      const keys = keysOf(prompt);
      if (keys.has("teaching.askName")) return typing(longName);
      if (keys.has("teaching.askCapacity")) return typing("9999");
      if (keys.has("teaching.check")) return { type: "user.choice", choiceId: "teach.create" };
      return (
        firstChoice(prompt, /^(teach\.new|city\.|lang\.|course\.)/) ?? firstChoice(prompt, /^(langs|courses)\.done$/)
      );
    };
    const problems: string[] = [];
    for (const language of allLanguages) {
      const replies = drive(teachingFlow, input({}, fx.teachingData(pack, []), language), answer);
      const summary = replies.find((r) => keysOf(r).has("teaching.check"));
      expect(summary, language).toBeDefined();
      problems.push(
        ...(await problemsInEveryLanguage(
          replies.map((r) => r),
          [language],
        )),
      );
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it("a message of 1000 characters in each of the class's languages: every reply fits in every language", async () => {
    const answer = (prompt: Reply): FlowEvent | undefined => {
      const keys = keysOf(prompt);
      if (keys.has("teaching.askTextIn") || keys.has("teaching.askText")) return typing(longText);
      if (keys.has("teaching.theyRead")) return { type: "user.choice", choiceId: "msg.send" };
      if (keys.has("teaching.classTitle")) return { type: "user.choice", choiceId: "cls.message" };
      return undefined;
    };
    const problems: string[] = [];
    for (const language of allLanguages) {
      const flowInput = input({ class: "3" }, fx.teachingData(pack, [fx.leipzigClass]), language);
      const replies = drive(teachingClassFlow, flowInput, answer);
      expect(replies.some((r) => keysOf(r).has("teaching.theyRead"))).toBe(true);
      problems.push(...(await problemsInEveryLanguage(replies, [language])));
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it("the progress view (the answer to 'See progress') fits in every language, with learners and without", async () => {
    const translator = createTranslator(readLocales("locales"));
    const problems: string[] = [];
    for (const language of allLanguages) {
      const reader = { language, timeZone: "Europe/Berlin" };
      const replies = [
        classViewReply(fx.leipzigRecord, fx.leipzigProgress(pack), fx.nextMeeting, pack, reader),
        classViewReply(fx.leipzigRecord, fx.emptyProgress(pack), undefined, pack, reader),
      ];
      problems.push(...(await problemsInEveryLanguage(replies, [language])));
      for (const key of keysIn(replies))
        if (language !== "en" && !translator.has(language, key) && !translator.has(language, `${key}_other`))
          problems.push(`${language}: ${key} is not translated`);
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
