/**
 * The features a running bot has: their flows (and menu entries), the
 * effects they handle and the facts their menu entries need. Each feature
 * registers itself in `main.ts`; the menu then lists exactly these.
 */
import type { Effect, FlowDefinition, Msg, Reply } from "../../flows/kit.ts";
import { createMenuFlow } from "../../flows/menu.ts";
import { LotseError } from "../domain/errors.ts";
import type { User } from "../domain/user.ts";
import type { StoreTx } from "../storage/store.ts";

/** Carries out a feature's effect inside the message's transaction; may answer with replies. */
export type EffectHandler = (tx: StoreTx, user: User, effect: Effect, now: Date) => Promise<Reply[] | undefined>;

/** Looks up counts the menu needs, such as the number of reviews due. */
export type FactProvider = (tx: StoreTx, user: User, now: Date) => Promise<Record<string, number>>;

/** Runs inside every inbound message's transaction, before routing (a nudge feature resets its counter here). */
export type InboundHook = (tx: StoreTx, user: User, now: Date) => Promise<void>;

/** Turns the rest of a deep link (`lesson_strong-passwords` -> `strong-passwords`) into a flow to open. */
export type LinkResolver = (value: string) => { flowId: string; params: Record<string, string> } | undefined;

/**
 * One answer to a question typed anywhere ("where is a doctor?"): a service,
 * a lesson, a meeting or a page, how well it matches, and the deep link that opens it.
 */
export interface Answer {
  /** What it is, for its icon: `service`, `lesson`, `meeting`, `return`, `class`. */
  kind: string;
  /** The label in every language it has (a service's short name, a lesson's title). */
  label: Readonly<Record<string, string>>;
  /** The deep link that opens it, such as `service_leipzig-doctor-116117`. */
  link: string;
  score: number;
}

/** Finds answers of one kind for a person's question. */
export type AnswerSource = (tx: StoreTx, user: User, question: string, now: Date) => Promise<Answer[]>;

/**
 * Runs inside the "delete my data" transaction, before the person's rows are
 * deleted: a feature that told others about the person tells them it is gone
 * (the referral feature tells the counsellors).
 */
export type EraseHook = (tx: StoreTx, user: User, now: Date) => Promise<void>;

/**
 * Lines a feature adds to "my data" beyond the counts: what it stores that a count does not show
 * (the names on someone's certificates).
 */
export type ExportHook = (tx: StoreTx, user: User) => Promise<Msg[]>;

/**
 * Reads what a flow needs to start or resume (the person's progress), passed as `input.data`. `params`
 * are the flow's start parameters (a class's join code from a link), empty when it resumes.
 */
export type InputLoader = (
  tx: StoreTx,
  user: User,
  now: Date,
  params: Readonly<Record<string, string>>,
) => Promise<unknown>;

/** The flows, effect handlers and fact providers of the running bot. */
export class FlowRegistry {
  private readonly flows = new Map<string, FlowDefinition>();
  private readonly effects = new Map<string, EffectHandler>();
  private readonly factProviders: FactProvider[] = [];
  private readonly inputLoaders = new Map<string, InputLoader[]>();
  private readonly inboundHooks: InboundHook[] = [];
  private readonly eraseHooks: EraseHook[] = [];
  private readonly exportHooks: ExportHook[] = [];
  private readonly links = new Map<string, LinkResolver>();
  private readonly answerSources: AnswerSource[] = [];
  private staffCheck: (tx: StoreTx, user: User) => Promise<boolean> = async () => false;
  private menu: FlowDefinition | undefined;

  /**
   * Adds a flow; one with a `menu` entry appears in the main menu.
   *
   * @example
   * registry.addFlow(settingsFlow);
   */
  addFlow(flow: FlowDefinition): this {
    if (flow.id === "menu") throw new LotseError("flow.unknown", "the menu is built from the other flows");
    this.flows.set(flow.id, flow);
    this.menu = undefined;
    return this;
  }

  /**
   * Handles effects of kind `kind` (such as `feature.progress`).
   *
   * @example
   * registry.onEffect("feature.progress", saveProgress);
   */
  onEffect(kind: string, handler: EffectHandler): this {
    this.effects.set(kind, handler);
    return this;
  }

  /** Adds a source of menu facts. */
  addFacts(provider: FactProvider): this {
    this.factProviders.push(provider);
    return this;
  }

  /**
   * Gives a flow data from storage each time it starts or resumes.
   *
   * @example
   * registry.onInput("review", (tx, user, now) => dueReviews(tx, user.address, now));
   */
  onInput(flowId: string, loader: InputLoader): this {
    this.inputLoaders.set(flowId, [...(this.inputLoaders.get(flowId) ?? []), loader]);
    return this;
  }

  /**
   * Runs `hook` for every message a person sends, in its transaction. A hook must not change the
   * person's conversation: the engine read it with the message, before the hooks run.
   *
   * @example
   * registry.onInbound((tx, user, now) => resetUnansweredNudges(tx, user, now));
   */
  onInbound(hook: InboundHook): this {
    this.inboundHooks.push(hook);
    return this;
  }

  /** Runs every inbound hook in order. */
  async runInboundHooks(tx: StoreTx, user: User, now: Date): Promise<void> {
    for (const hook of this.inboundHooks) await hook(tx, user, now);
  }

  /**
   * Runs `hook` when a person deletes their data, before their rows go.
   *
   * @example
   * registry.onErase((tx, user, now) => tellCounsellorsOfErasure(tx, user, now));
   */
  onErase(hook: EraseHook): this {
    this.eraseHooks.push(hook);
    return this;
  }

  /** Runs every erase hook in order. */
  async runEraseHooks(tx: StoreTx, user: User, now: Date): Promise<void> {
    for (const hook of this.eraseHooks) await hook(tx, user, now);
  }

  /**
   * Adds lines to "my data" (shown after the counts).
   *
   * @example
   * registry.onExport(async (tx, user) => [msg("certificates.myData", { names: "Mariam" })]);
   */
  onExport(hook: ExportHook): this {
    this.exportHooks.push(hook);
    return this;
  }

  /** Every export hook's lines, in order. */
  async exportLines(tx: StoreTx, user: User): Promise<Msg[]> {
    const lines: Msg[] = [];
    for (const hook of this.exportHooks) lines.push(...(await hook(tx, user)));
    return lines;
  }

  /**
   * Opens deep links such as Telegram's `/start lesson_strong-passwords`: the
   * part before the first "_" picks the resolver, the rest is its value.
   *
   * @example
   * registry.onLink("lesson", (id) => ({ flowId: "lessons", params: { lesson: id } }));
   */
  onLink(prefix: string, resolve: LinkResolver): this {
    this.links.set(prefix, resolve);
    return this;
  }

  /**
   * Adds a kind of answer to questions typed anywhere.
   *
   * @example
   * registry.onQuestion(async (tx, user, question) => searchLessons(question));
   */
  onQuestion(source: AnswerSource): this {
    this.answerSources.push(source);
    return this;
  }

  /**
   * The best answers of every kind to a question, best first: only those
   * near the best score, so a stray word match does not bury the answer.
   */
  async answers(tx: StoreTx, user: User, question: string, now: Date, max = 5): Promise<Answer[]> {
    const all = (await Promise.all(this.answerSources.map((source) => source(tx, user, question, now)))).flat();
    const best = Math.max(0, ...all.map((a) => a.score));
    return all
      .filter((a) => a.score > 0 && a.score >= best * 0.5)
      .sort((a, b) => b.score - a.score)
      .slice(0, max);
  }

  /** Sets how to tell staff from everyone else (staff-only flows ask it). */
  setStaffCheck(check: (tx: StoreTx, user: User) => Promise<boolean>): this {
    this.staffCheck = check;
    return this;
  }

  /** Whether this user is staff. */
  isStaff(tx: StoreTx, user: User): Promise<boolean> {
    return this.staffCheck(tx, user);
  }

  /** The flow a deep link opens, if any resolver knows it. */
  resolveLink(link: string): { flowId: string; params: Record<string, string> } | undefined {
    const at = link.indexOf("_");
    if (at < 1) return undefined;
    return this.links.get(link.slice(0, at))?.(link.slice(at + 1));
  }

  /** The data for a flow, or undefined when it has no loader. */
  async inputData(
    flowId: string,
    tx: StoreTx,
    user: User,
    now: Date,
    params: Readonly<Record<string, string>> = {},
  ): Promise<unknown> {
    const loaders = this.inputLoaders.get(flowId) ?? [];
    if (loaders.length === 0) return undefined;
    const parts = await Promise.all(loaders.map((load) => load(tx, user, now, params)));
    // Several features may each give a flow part of its data (settings: reminders and news).
    return parts.length === 1 ? parts[0] : Object.assign({}, ...parts);
  }

  /** The flow with this id (the menu included), if registered. */
  flow(id: string): FlowDefinition | undefined {
    if (id === "menu") return this.menuFlow();
    return this.flows.get(id);
  }

  effectHandler(kind: string): EffectHandler | undefined {
    return this.effects.get(kind);
  }

  /** Every fact for one user, merged. */
  async facts(tx: StoreTx, user: User, now: Date): Promise<Record<string, number>> {
    const all = await Promise.all(this.factProviders.map((p) => p(tx, user, now)));
    return Object.assign({}, ...all) as Record<string, number>;
  }

  private menuFlow(): FlowDefinition {
    this.menu ??= createMenuFlow([...this.flows.values()]);
    return this.menu;
  }
}
