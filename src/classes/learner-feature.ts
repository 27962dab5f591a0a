/**
 * Classes for learners wired into the bot: the class flow ("My class", shown only to members), the
 * deep link `class_<code>` (Telegram's `/start class_K7F2Q`; typed "join K7F2Q" and WhatsApp's
 * prefilled message open it too, see src/engine/engine.ts), what the flow reads, and its effects:
 * join, the name for the class, leave.
 */
import { createClassesFlow } from "../../flows/classes.ts";
import { joinRefusalLines } from "../../flows/classes-view.ts";
import { type Effect, msg, type Reply } from "../../flows/kit.ts";
import type { ContentPack } from "../content/pack.ts";
import type { Address } from "../domain/address.ts";
import { normalizeText } from "../engine/normalize.ts";
import type { Answer, FlowRegistry } from "../engine/registry.ts";
import type { Translator } from "../i18n/index.ts";
import { cancelReminders } from "../meetings/reminders.ts";
import type { SqlScheduler } from "../scheduler/scheduler.ts";
import type { StoreTx } from "../storage/store.ts";
import { normalizeJoinCode } from "./codes.ts";
import { classesData } from "./learner-data.ts";
import { classByCode, classesOf, getClass, joinClass, leaveClass, membershipOf, setMemberName } from "./repository.ts";
import { classSessions } from "./sessions.ts";

/** What the learners' side of classes needs. */
export interface ClassLearnersDeps {
  pack: ContentPack;
  /** To cancel the session reminders of someone who leaves a class. */
  scheduler: SqlScheduler;
  /** For "My class" in every language, as typed outside the menu. */
  translator: Translator;
}

/** Far above any search hit, so "my class" typed anywhere offers the class and nothing else. */
const ownClassScore = 100;

const field = (effect: Effect, name: string): unknown => ("data" in effect ? effect.data[name] : undefined);

/**
 * Joins with the code the learner agreed to. Nothing to say when it worked (the flow goes on to the
 * name question); a code that stopped working since the question gets its plain answer.
 */
async function onJoin(tx: StoreTx, address: Address, effect: Effect, now: Date): Promise<Reply[] | undefined> {
  const code = normalizeJoinCode(String(field(effect, "code") ?? ""));
  const outcome = code
    ? await joinClass(tx.db, code, address, now, { lockClass: tx.dialect === "postgres" })
    : ({ kind: "unknown" } as const);
  if (outcome.kind === "joined" || outcome.kind === "already") return undefined;
  return [{ kind: "text", lines: joinRefusalLines(outcome.kind, "class" in outcome ? outcome.class.name : null) }];
}

/**
 * Leaves a class: the membership goes, and with it the learner's answers to the class's coming
 * sessions and their reminders (the teacher no longer sees them anywhere).
 */
async function onLeave(
  deps: ClassLearnersDeps,
  tx: StoreTx,
  address: Address,
  effect: Effect,
  now: Date,
): Promise<Reply[]> {
  const cls = await getClass(tx.db, Number(field(effect, "classId")));
  if (!cls || !(await leaveClass(tx.db, cls.id, address))) return [{ kind: "text", lines: [msg("classes.gone")] }];
  const coming = (await classSessions(tx.db, cls.id, { now })).map((m) => m.id);
  if (coming.length > 0) {
    await tx.db.deleteFrom("rsvps").where("meeting_id", "in", coming).where("address", "=", address).execute();
    for (const id of coming) await cancelReminders(deps.scheduler, tx, id, address);
  }
  return [{ kind: "text", lines: [msg("classes.leave.done", { name: cls.name }), msg("classes.leave.again")] }];
}

/**
 * "My class" (or the class's name) typed outside the menu: the learner's classes as answers, which
 * open the class by its link, rather than a search of the city's services for "class".
 */
async function ownClasses(
  tx: StoreTx,
  address: Address,
  question: string,
  labels: ReadonlySet<string>,
): Promise<Answer[]> {
  const typed = normalizeText(question);
  const classes = await classesOf(tx.db, address);
  return classes
    .filter(({ class: cls }) => labels.has(typed) || normalizeText(cls.name) === typed)
    .map(({ class: cls }) => ({
      kind: "class",
      label: { en: cls.name },
      link: `myclass_${cls.id}`,
      score: ownClassScore,
    }));
}

/**
 * A class's code typed on its own ("E6J64", what the teacher wrote on the board): the class as an
 * answer that opens its join step. Only a code that belongs to a class open to joining answers, so a
 * five-letter word is never taken for a code by chance.
 */
async function classByTypedCode(tx: StoreTx, question: string, now: Date): Promise<Answer[]> {
  const code = normalizeJoinCode(question);
  const cls = code ? await classByCode(tx.db, code) : undefined;
  if (!cls || cls.status !== "active" || (cls.codeExpiresAt && cls.codeExpiresAt <= now)) return [];
  return [{ kind: "class", label: { en: cls.name }, link: `class_${cls.code}`, score: ownClassScore }];
}

/**
 * Registers the learners' side of classes.
 *
 * @example
 * registerClassLearners(registry, { pack: content, scheduler, translator });
 */
export function registerClassLearners(registry: FlowRegistry, deps: ClassLearnersDeps): FlowRegistry {
  const { translator } = deps;
  const labels = new Set(
    translator.languages.flatMap((lang) =>
      ["classes.menuEntry", "classes.menuEntryMany"].map((key) => normalizeText(translator.t(lang, key))),
    ),
  );
  return (
    registry
      .addFlow(createClassesFlow(deps.pack))
      // Any value opens the join step: a code that does not work gets its plain answer there.
      .onLink("class", (code) => ({ flowId: "classes", params: { start: "join", code } }))
      .onLink("myclass", (id) => (/^\d+$/.test(id) ? { flowId: "classes", params: { class: id } } : undefined))
      .onQuestion((tx, user, question) => ownClasses(tx, user.address, question, labels))
      .onQuestion((tx, _user, question, now) => classByTypedCode(tx, question, now))
      .onInput("classes", (tx, user, now, params) => classesData(tx, deps.pack, user, now, params))
      .addFacts(async (tx, user) => ({ learnerClasses: (await classesOf(tx.db, user.address)).length }))
      .onEffect("feature.classes.join", (tx, user, effect, now) => onJoin(tx, user.address, effect, now))
      .onEffect("feature.classes.name", async (tx, user, effect) => {
        const classId = Number(field(effect, "classId"));
        const name = field(effect, "name");
        // Only a member's own row: the class id comes from the flow, which only offers their classes.
        if (await membershipOf(tx.db, classId, user.address))
          await setMemberName(tx.db, classId, user.address, typeof name === "string" ? name : null);
        return undefined;
      })
      .onEffect("feature.classes.leave", (tx, user, effect, now) => onLeave(deps, tx, user.address, effect, now))
  );
}
