/**
 * One message's turn inside its transaction: start or resume flows, apply
 * their effects, collect replies, and persist the conversation and the
 * outbox. The engine decides *what* happens (routing); a turn carries it out.
 */
import type { Effect, FlowDefinition, FlowEvent, FlowInput, Line, Reply } from "../../flows/kit.ts";
import { msg } from "../../flows/kit.ts";
import { isLotseError, LotseError } from "../domain/errors.ts";
import type { Purpose } from "../domain/outbound.ts";
import type { User, UserPatch } from "../domain/user.ts";
import { forgetTypedWords } from "../services/term-index.ts";
import type { ConversationRecord, StoreTx } from "../storage/store.ts";
import { forgetPayloads } from "../storage/store-tx.ts";
import { type FlowStep, forgetLiveSnapshots, resumeFlow, startFlow } from "./flow-runner.ts";
import { exportReply } from "./privacy-export.ts";
import type { PromptCodec } from "./prompt-codec.ts";
import type { FlowRegistry } from "./registry.ts";
import type { ReplyRenderer } from "./render.ts";

/** Flows open to someone who has not (yet) agreed to storage. */
const openWithoutConsent = new Set(["onboarding", "privacy", "refused"]);

/** A flow that ends by starting another may chain at most this far (a guard against loops). */
const maxChain = 5;

/** Settings a turn needs from the engine. */
export interface TurnOptions {
  registry: FlowRegistry;
  renderer: ReplyRenderer;
  maxMisses: number;
  /** How the last question is stored with the conversation. */
  prompts: PromptCodec;
  now: Date;
  /** Set when the bot writes on its own initiative (a nudge, a reminder). */
  purpose?: Purpose;
}

/** The active flow after the turn: unchanged, a new snapshot, or none. */
type FlowState =
  | { kind: "unchanged" }
  | { kind: "running"; flowId: string; version: number; snapshot: string }
  | { kind: "ended" };

export class Turn {
  /**
   * The turn's replies, each an object of one shape (page and ephemeral always set): `persist` reads
   * them in one large optimized function, which a reply item of another shape sent back to be compiled
   * again, several times a run.
   */
  private readonly replies: { reply: Reply; page: number | undefined; ephemeral: boolean }[] = [];
  private flowState: FlowState = { kind: "unchanged" };
  /** The last question: as stored, or asked in this turn (stored form made once, when saved). */
  private prompt: { stored: string | null } | { asked: Reply };
  private misses: number;
  private erased = false;
  private chain = 0;

  constructor(
    readonly tx: StoreTx,
    public user: User,
    private readonly conversation: ConversationRecord | undefined,
    private readonly options: TurnOptions,
  ) {
    this.prompt = { stored: conversation?.prompt ?? null };
    this.misses = conversation?.misses ?? 0;
  }

  /** The language replies are written in. */
  get language(): string {
    return this.user.language ?? "en";
  }

  /** The id of the flow the person is in, if any. */
  get activeFlowId(): string | undefined {
    if (this.flowState.kind === "running") return this.flowState.flowId;
    if (this.flowState.kind === "ended") return undefined;
    return this.conversation?.flowId;
  }

  /** The state the active flow is in (its top-level state's name), if it is in one. */
  get activeState(): string | undefined {
    const snapshot = this.flowState.kind === "running" ? this.flowState.snapshot : this.conversation?.snapshot;
    if (this.flowState.kind === "ended" || snapshot === undefined) return undefined;
    try {
      const value = (JSON.parse(snapshot) as { value?: unknown }).value;
      return typeof value === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** The question the person was last asked, if it offered choices or input. */
  get lastPrompt(): Reply | undefined {
    if ("asked" in this.prompt) return this.prompt.asked;
    // Asked several times a turn (routing, matching, the miss counter): the codec parses a text once.
    return this.prompt.stored ? this.options.prompts.decode(this.prompt.stored) : undefined;
  }

  /** True when the person has no conversation yet (a first message, or the first after erasure). */
  get isNew(): boolean {
    return this.conversation === undefined && this.flowState.kind === "unchanged";
  }

  /** Changes the user (status, language ...) the same way a flow's effect does. */
  applyUserPatch(patch: UserPatch): Promise<void> {
    return this.applyEffect({ kind: "user.update", patch });
  }

  /** Adds an engine reply (not from a flow; it does not become the prompt). */
  say(...lines: Line[]): void {
    this.add({ kind: "text", lines });
  }

  private add(reply: Reply, page?: number): void {
    this.replies.push({ reply, page, ephemeral: reply.ephemeral === true });
  }

  /**
   * Asks the last question again, optionally at a page of its choices. A flow whose questions show
   * what staff may change (`asksAgainFresh`: a service's card) builds it again as it reads now; any
   * other is repeated as it was stored.
   */
  async reprompt(page?: number): Promise<void> {
    if (page === undefined && (await this.askAgainFresh())) return;
    this.repeatStored(page);
  }

  /** The last question as it was stored. */
  private repeatStored(page?: number): void {
    const prompt = this.lastPrompt;
    if (prompt) this.add(prompt, page);
  }

  /**
   * True when the active flow asked its question again, built fresh (a person shown a service's card
   * before staff marked it closed was shown the old card again after a button from an earlier message).
   */
  private async askAgainFresh(): Promise<boolean> {
    if (this.flowState.kind !== "unchanged" || !this.conversation) return false;
    if (this.options.registry.flow(this.conversation.flowId)?.asksAgainFresh !== true) return false;
    return this.send({ type: "nav.repeat" });
  }

  /**
   * Counts an answer the flow could not use and asks again briefly: the same
   * choices under one short line (a long lesson step is not sent twice), or
   * the whole question where its text carries the options (a quiz). At the
   * menu it says what the person can ask; elsewhere, after a few misses in a
   * row, it offers the menu.
   */
  miss(): void {
    this.misses += 1;
    const prompt = this.lastPrompt;
    const atMenu = this.activeFlowId === "menu";
    // Someone typing "my daughter fell, she is bleeding" must not read only "nothing found".
    if (atMenu) this.say(msg("engine.nothingFound"), msg("engine.emergencyHint"));
    if (prompt?.kind === "choices" && !prompt.reaskWhole) {
      this.add({ ...prompt, lines: [atMenu ? msg("engine.pickBelow") : msg("engine.notUnderstood")] });
    } else {
      if (!atMenu) this.say(msg("engine.notUnderstood"));
      this.repeatStored();
    }
    if (this.misses >= this.options.maxMisses && !atMenu) this.say(msg("engine.offerMenu"));
  }

  /** Starts a flow by id, redirecting to onboarding or the refusal flow when consent is missing. */
  async start(flowId: string, params: Record<string, string> = {}): Promise<void> {
    // A deep link waits through onboarding and opens when the menu would.
    const linked = flowId === "menu" && params.link ? this.options.registry.resolveLink(params.link) : undefined;
    if (linked && this.user.consent === "given") return this.start(linked.flowId, linked.params);
    const id = this.gate(flowId);
    const flow = this.options.registry.flow(id);
    if (!flow) throw new LotseError("flow.unknown", `no flow "${id}" is registered`);
    if (flow.staffOnly && !(await this.options.registry.isStaff(this.tx, this.user))) return this.start("menu");
    await this.absorb(flow, startFlow(flow, await this.input(id === flowId ? params : {}, id)));
  }

  /**
   * Sends an event to the active flow. Returns false when the flow ignored it
   * (nothing emitted). A saved snapshot that no longer fits sends the person
   * to the menu with an apology.
   */
  async send(event: FlowEvent): Promise<boolean> {
    const saved = this.conversation;
    if (!saved || this.flowState.kind !== "unchanged") {
      // No flow to resume (a new person, or one whose flow ended): the menu, or onboarding first.
      await this.start("menu");
      return true;
    }
    const flow = this.options.registry.flow(saved.flowId);
    if (!flow || flow.version !== saved.flowVersion) return this.recover();
    let step: FlowStep;
    try {
      step = resumeFlow(flow, saved.snapshot, event);
    } catch (error) {
      if (isLotseError(error, "snapshot.corrupt")) return this.recover();
      throw error;
    }
    if (step.emitted.length === 0 && !step.output) return false;
    await this.absorb(flow, step);
    return true;
  }

  /** Writes everything to the database: conversation, replies, or the erasure. */
  async persist(): Promise<void> {
    const { tx, user, options } = this;
    const purpose = options.purpose;
    const reader = { language: this.language, secondLanguage: this.user.secondLanguage };
    const outbound = options.renderer
      .renderTurn(this.replies, reader)
      .map((rendered) => (purpose ? { ...rendered, purpose } : rendered));
    if (this.erased) {
      // Features first tell whom they told about the person (counsellors), while the rows still exist.
      await options.registry.runEraseHooks(tx, user, options.now);
      await tx.eraseAddress(user.address);
      // Nothing of theirs stays in this process's memory either: parsed prompts, translations, matchers,
      // the words a search remembers.
      options.prompts.forgetParsed();
      forgetLiveSnapshots();
      forgetTypedWords();
      options.renderer.forget();
      forgetPayloads();
      await tx.enqueue(user.address, outbound, options.now, { purge: true });
      return;
    }
    if (this.flowState.kind === "ended") await tx.deleteConversation(user.address);
    // Before consent (or after a refusal) even the bot's own replies are not kept once delivered.
    const keepNone = this.user.consent !== "given";
    await tx.saveTurn(
      this.conversationToSave(),
      user.address,
      outbound.map((message, i) => ({ message, purge: keepNone || this.replies[i]?.ephemeral === true })),
      options.now,
    );
  }

  /** The conversation as it stands after the turn; none when the flow ended (or there never was one). */
  private conversationToSave(): ConversationRecord | undefined {
    const state = this.flowState;
    if (state.kind === "ended") return undefined;
    const base =
      state.kind === "running"
        ? { flowId: state.flowId, flowVersion: state.version, snapshot: state.snapshot }
        : this.conversation;
    if (!base) return undefined;
    return {
      address: this.user.address,
      flowId: base.flowId,
      flowVersion: base.flowVersion,
      snapshot: base.snapshot,
      prompt: "asked" in this.prompt ? this.options.prompts.encode(this.prompt.asked) : this.prompt.stored,
      misses: this.misses,
    };
  }

  private async recover(): Promise<boolean> {
    this.say(msg("engine.lostTrack"));
    await this.start("menu");
    return true;
  }

  private gate(flowId: string): string {
    if (this.user.consent === "given" || openWithoutConsent.has(flowId)) return flowId;
    return this.user.consent === "refused" ? "refused" : "onboarding";
  }

  private async input(params: Record<string, string>, flowId: string): Promise<FlowInput> {
    const { registry, now } = this.options;
    const facts = flowId === "menu" ? await registry.facts(this.tx, this.user, now) : {};
    const data = await registry.inputData(flowId, this.tx, this.user, now, params);
    const { language, city, timeZone, consent } = this.user;
    return { user: { language: language ?? "en", city, timeZone, consent }, params, facts, data };
  }

  private async absorb(flow: FlowDefinition, step: FlowStep): Promise<void> {
    let flowReplied = false;
    for (const item of step.emitted) {
      if (item.type === "bot.reply") {
        this.add(item.reply);
        // Encoded when the conversation is saved: flows never change a reply after emitting it.
        this.prompt = { asked: item.reply.ephemeral ? withoutDescriptions(item.reply) : item.reply };
        flowReplied = true;
      } else {
        await this.applyEffect(item.effect);
      }
    }
    if (flowReplied) this.misses = 0;
    if (step.snapshot) {
      this.flowState = { kind: "running", flowId: flow.id, version: flow.version, snapshot: step.snapshot };
      return;
    }
    this.flowState = { kind: "ended" };
    this.prompt = { stored: null };
    const next = step.output?.next;
    if (next && !this.erased && this.chain++ < maxChain) await this.start(next, { ...step.output?.params });
  }

  private async applyEffect(effect: Effect): Promise<void> {
    const { tx, options } = this;
    switch (effect.kind) {
      case "user.update":
        await tx.updateUser(this.user.address, effect.patch, options.now);
        this.user = { ...this.user, ...definedOnly(effect.patch) };
        return;
      case "privacy.export": {
        // The research consent lives on the profile row (migration 015): "my data" says what they chose.
        const research = await tx.db
          .selectFrom("users")
          .select("research_consent")
          .where("address", "=", this.user.address)
          .executeTakeFirst();
        this.add(
          exportReply(
            this.user,
            await tx.exportData(this.user.address),
            Number(research?.research_consent ?? 0) === 1,
            await options.registry.exportLines(tx, this.user),
          ),
        );
        return;
      }
      case "privacy.erase":
        this.erased = true;
        return;
      default: {
        const handler = options.registry.effectHandler(effect.kind);
        if (!handler) throw new LotseError("flow.unknown", `no handler for effect ${effect.kind}`);
        for (const reply of (await handler(tx, this.user, effect, options.now)) ?? []) this.add(reply);
      }
    }
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** An ephemeral reply kept as the prompt without what it must not keep (its choices' second lines). */
function withoutDescriptions(reply: Reply): Reply {
  if (reply.kind !== "choices") return reply;
  return { ...reply, choices: reply.choices.map(({ description: _dropped, ...rest }) => rest) };
}
