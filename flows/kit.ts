/**
 * What every flow shares: the events a flow receives, the replies and effects
 * it emits, and small action helpers. Flows are pure: they compute replies as
 * data (i18n keys with parameters) and ask for domain writes as effects; the
 * engine translates, stores and delivers.
 */
import type { AnyStateMachine } from "xstate";
import type { UserPatch } from "../src/domain/user.ts";

/** A text in several languages, as content files hold them (English required). */
export type LocalizedText = Readonly<Record<string, string>>;

/**
 * A value for a placeholder: plain, a number (also picks plural forms),
 * content text, or another message (a city's name in the reader's language).
 */
export type MsgParam = string | number | LocalizedText | Msg;

/** A text to show: an i18n key and its parameters; translated by the engine in the user's language. */
export interface Msg {
  key: string;
  params?: Readonly<Record<string, MsgParam>>;
}

/** A choice a flow offers: a stable id, a label, and other words that pick it too. */
export interface ReplyChoice {
  id: string;
  label: Msg;
  description?: Msg;
  /** More texts that select this choice when typed (for example a quiz option's full text). */
  aliases?: Msg[];
  /** The list section heading this choice belongs to. */
  section?: Msg;
  /** The key of a word list (in every language) whose words pick this choice too, such as `languageNames.uk`. */
  aliasWords?: string;
  /**
   * What everyday words pick this choice: `next` for "ok", "continue", "weiter";
   * `yes` and `no` for the answers to a yes-or-no question.
   */
  role?: ChoiceRole;
  /**
   * A yes that gives consent (to storing data, to research): only a yes picks it ("yes", "نعم"), never
   * "ok", "next" or "далі" said out of habit to go on.
   */
  consent?: boolean;
}

/** The part a choice plays, so everyday words ("ok", "nein", "التالي") can pick it in any language. */
export type ChoiceRole = "next" | "yes" | "no";

/** One paragraph: a message, or several shown on consecutive lines (a list of options, say). */
export type Line = Msg | readonly Msg[];

/**
 * A message a flow wants sent. Its `lines` are paragraphs, joined by a blank
 * line (a line break when `compact`). An `ephemeral` reply is deleted from the
 * outbox once delivered (it says something the bot promised not to keep, such
 * as distances from a shared location).
 */
export type Reply = (
  | { kind: "text"; lines: Line[]; compact?: boolean }
  /** Choices; `asList` shows them as a list (grouped by `section`) even when few. */
  | {
      kind: "choices";
      lines: Line[];
      choices: ReplyChoice[];
      asList?: boolean;
      /** A typed number is an answer (an hour, a number of places), not the number of a choice. */
      numbersAreAnswers?: boolean;
      /** Ask the whole question again after a miss: its text carries the options (a quiz question). */
      reaskWhole?: boolean;
    }
  | { kind: "location_request"; lines: Line[] }
  | { kind: "media"; mediaKind: "image" | "audio" | "document"; url: string; caption?: Msg; filename?: string }
) & {
  ephemeral?: boolean;
  /**
   * The reply greets the person itself (the welcome): a "hi" while it is the question asks it again,
   * not "Hello again! Here is where we were:" followed by a second hello.
   */
  greets?: boolean;
};

/** A write or lookup a flow asks the engine to do inside the message's transaction. */
export type Effect =
  | { kind: "user.update"; patch: UserPatch }
  /** Reply with everything stored about this address. */
  | { kind: "privacy.export" }
  /** Erase every row of this address once the transaction commits its goodbye. */
  | { kind: "privacy.erase" }
  /** A feature's own write, handled by the effect handler it registered. */
  | { kind: `feature.${string}`; data: Readonly<Record<string, unknown>> };

/** Events flows receive, with dotted names. */
export type FlowEvent =
  | { type: "user.text"; text: string }
  | { type: "user.choice"; choiceId: string }
  | { type: "user.location"; latitude: number; longitude: number }
  | { type: "user.media"; mediaKind: string }
  | { type: "nav.back" }
  /** Ask the current question again, built as it reads now (see `FlowDefinition.asksAgainFresh`). */
  | { type: "nav.repeat" };

/** Events flows emit. */
export type FlowEmitted = { type: "bot.reply"; reply: Reply } | { type: "bot.effect"; effect: Effect };

/** What a flow knows of the user when it starts. */
export interface FlowUser {
  language: string;
  city: string | null;
  timeZone: string;
  consent: "pending" | "given" | "refused";
}

/** What a flow is started with. `params` carry a deep link or entry point, such as `{ start: "delete" }`. */
export interface FlowInput {
  user: FlowUser;
  params: Readonly<Record<string, string>>;
  /** Counts the engine looked up for this user, such as `reviewsDue`; used by the menu. */
  facts: Readonly<Record<string, number>>;
  /** What the flow's registered loader read for this user (its progress, for example); the flow knows its shape. */
  data?: unknown;
}

/** Where to go when a flow ends: another flow (`menu` by default) or nowhere (`null`, nothing stored). */
export interface FlowOutput {
  next: string | null;
  params?: Readonly<Record<string, string>>;
}

/** A menu entry a feature adds to the main menu. */
export interface MenuEntry {
  /** Position in the menu; lower first. */
  order: number;
  /** The label, or a label computed from the user's facts (such as "Review (3 due)"). */
  label: Msg | ((facts: Readonly<Record<string, number>>) => Msg);
  description?: Msg;
  /** Show only when this holds for the user's current facts (for example "reviews due"). */
  visible?: (facts: Readonly<Record<string, number>>) => boolean;
  /** Right after onboarding this entry comes first, with this line above the menu (the placement check). */
  afterOnboarding?: Msg;
}

/** A flow as the engine knows it. */
export interface FlowDefinition {
  id: string;
  /** Raise when a change makes saved snapshots unusable; old ones then go back to the menu. */
  version: number;
  machine: AnyStateMachine;
  menu?: MenuEntry;
  /** Only staff may start it (by menu, command, button or crafted callback data alike). */
  staffOnly?: boolean;
  /**
   * Everything typed is the person's own words (a conversation with a counsellor): besides global
   * words and the visible choices, "hi", "thanks", "yes" and any other text go to the flow as typed,
   * never answered by the engine as small talk or searched.
   */
  takesFreeText?: boolean;
  /**
   * Its steps depend on its saved snapshot and the event (its start on its input) and on nothing that
   * changes while the process runs: not on content staff correct (a service's phone, "closed"), the
   * clock or storage. Each step is then kept for the next person at the same place
   * (src/engine/step-cache.ts). A flow that reads such data, or takes a location or free text, leaves
   * this unset.
   */
  sharesSteps?: boolean;
  /**
   * Its questions show what staff may change while a person looks at them (a service's phone, hours,
   * "closed"). Asked again (a button from an earlier message, "hi", a picture), the question is built
   * as it reads now: the engine sends `nav.repeat`, which the flow's states that show such data answer
   * by entering themselves again. Without it, or where a state ignores `nav.repeat`, the question is
   * repeated as it was stored.
   */
  asksAgainFresh?: boolean;
  /**
   * States a question typed may leave for a search, in a flow that otherwise keeps the person in it
   * (a quiz: its answers live in its conversation until its result is saved).
   */
  searchableStates?: readonly string[];
}

/**
 * A text message from one or more keys.
 *
 * @example
 * emit(() => say(msg("onboarding.welcome")))
 */
export function say(...lines: Line[]): FlowEmitted {
  return { type: "bot.reply", reply: { kind: "text", lines } };
}

/**
 * A question with choices.
 *
 * @example
 * ask([msg("onboarding.consent.question")], [choice("yes", "common.yes")])
 */
export function ask(lines: Line[], choices: ReplyChoice[]): FlowEmitted {
  return { type: "bot.reply", reply: { kind: "choices", lines, choices } };
}

/**
 * An effect for the engine to carry out.
 *
 * @example
 * effect({ kind: "user.update", patch: { city: "lund" } })
 */
export function effect(value: Effect): FlowEmitted {
  return { type: "bot.effect", effect: value };
}

/**
 * The reply frozen through and through but for content texts (objects of strings with an English one:
 * the content pack's own, shared with everything that reads the pack): a reply made once and handed
 * to many people, which nothing may change.
 *
 * @example
 * const page = frozenReply({ kind: "text", lines: [msg("common.raw", { text: lesson.title })] });
 */
export function frozenReply(reply: Reply): Reply {
  return freezeOwn(reply) as Reply;
}

function freezeOwn(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Object.isFrozen(value) || isContentText(value)) return value;
  for (const inner of Object.values(value)) freezeOwn(inner);
  return Object.freeze(value);
}

/**
 * A number of the object's own, the same for it as long as it lives: objects (a machine, a content
 * text) named in a string key.
 *
 * @example
 * objectNumber(lesson.title) === objectNumber(lesson.title); // true
 */
export function objectNumber(value: object): number {
  let n = objectNumbers.get(value);
  if (n === undefined) {
    n = ++objectsNumbered;
    objectNumbers.set(value, n);
  }
  return n;
}

const objectNumbers = new WeakMap<object, number>();
let objectsNumbered = 0;

/**
 * Whether a value is a content text as the pack holds them: a plain object of strings, English among them.
 *
 * @example
 * isContentText({ en: "Scan a paper", de: "Dokumente scannen" }); // true
 */
export function isContentText(value: object): boolean {
  const record = value as Record<string, unknown>;
  if (Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  if (typeof record.en !== "string") return false;
  for (const key in record) if (typeof record[key] !== "string") return false;
  return true;
}

/**
 * A message key with parameters.
 *
 * @example
 * msg("settings.saved", { what: "Deutsch" })
 */
export function msg(key: string, params?: Record<string, MsgParam>): Msg {
  return params ? { key, params } : { key };
}

/**
 * A choice whose label is an i18n key.
 *
 * @example
 * choice("privacy.delete", "privacy.menu.delete")
 */
export function choice(id: string, labelKey: string, params?: Record<string, MsgParam>): ReplyChoice {
  return { id, label: msg(labelKey, params) };
}

/** The id of a choice event, or undefined for other events. */
export function choiceOf(event: FlowEvent): string | undefined {
  return event.type === "user.choice" ? event.choiceId : undefined;
}

/**
 * The machine-level output mapper every flow uses: a flow's top-level final
 * state says where to go next in its own `output`, and this passes it on
 * (XState hands the root output mapper the final state's done event).
 *
 * @example
 * setup({...}).createMachine({ output: exitOutput, states: { done: { type: "final", output: { next: "menu" } } } })
 */
export function exitOutput({ event }: { event: unknown }): FlowOutput {
  const output = (event as { output?: FlowOutput }).output;
  return output ?? { next: "menu" };
}

/**
 * The rest of a choice id after a prefix ("city.lund" -> "lund"), or undefined
 * for other events and other choices.
 *
 * @example
 * choiceAfter({ type: "user.choice", choiceId: "city.lund" }, "city."); // "lund"
 */
export function choiceAfter(event: FlowEvent, prefix: string): string | undefined {
  return event.type === "user.choice" && event.choiceId.startsWith(prefix)
    ? event.choiceId.slice(prefix.length)
    : undefined;
}

/**
 * The guard every flow uses to tell which choice was picked: `{ type: "picked", params: { id } }`.
 *
 * @example
 * setup({ guards: { picked } })
 */
export function picked({ event }: { event: FlowEvent }, params: { id: string }): boolean {
  return event.type === "user.choice" && event.choiceId === params.id;
}

/**
 * The `types` every flow machine declares in `setup()`: its own context, and
 * the input, events, emitted events and output all flows share.
 *
 * @example
 * setup({ types: flowTypes<{ page: number }>(), actions: { ... } })
 */
export function flowTypes<TContext>() {
  return {
    context: {} as TContext,
    input: {} as FlowInput,
    events: {} as FlowEvent,
    emitted: {} as FlowEmitted,
    output: {} as FlowOutput,
  };
}
