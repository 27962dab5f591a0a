/**
 * The path of one message: deduplicate by inbound id, lock and load the user
 * and their conversation, route (global words first, then the active flow),
 * run the transition, and store the new state and the replies, all in one
 * transaction. Channels then deliver what landed in the outbox.
 */
import { msg, type Reply } from "../../flows/kit.ts";
import type { Clock } from "../domain/clock.ts";
import type { LotseError } from "../domain/errors.ts";
import type { Inbound, TextInbound } from "../domain/inbound.ts";
import type { Purpose } from "../domain/outbound.ts";
import type { User } from "../domain/user.ts";
import { guessLanguage } from "../i18n/guess-language.ts";
import type { Translator } from "../i18n/index.ts";
import { hashAddress, type Logger } from "../log.ts";
import type { ConversationRecord, Store, StoreTx } from "../storage/store.ts";
import { isStorageUnavailable, storageCode, storageUnavailable } from "../storage/unavailable.ts";
import { matchChoice } from "./choice-match.ts";
import { choiceForMeaning, createEverydayWords, type EverydayWords } from "./everyday-words.ts";
import { joinLinkPrefix, runGlobalCommand } from "./global-commands.ts";
import { createGlobalWords, type GlobalWords } from "./global-words.ts";
import { KeyedQueue } from "./keyed-queue.ts";
import { PromptCodec } from "./prompt-codec.ts";
import type { FlowRegistry } from "./registry.ts";
import { ReplyRenderer } from "./render.ts";
import { Turn } from "./turn.ts";

/** How the engine is put together. */
export interface EngineOptions {
  store: Store;
  registry: FlowRegistry;
  translator: Translator;
  clock: Clock;
  logger: Logger;
  /** A new user's time zone until they pick a city. */
  defaultTimeZone: string;
  /** Unexpected answers in a row before the menu is offered. */
  maxMisses?: number;
  /** How the last question is stored: the content pack's texts by reference (default: all inline). */
  prompts?: PromptCodec;
  /** Longer texts are not read (platforms allow 4096). */
  maxTextLength?: number;
  /**
   * Told what became of each message (for metrics): handled, a duplicate, or failed (a flow's error,
   * apologised for, or storage that could not keep it).
   */
  onHandled?: (inbound: Inbound, result: "handled" | "duplicate" | "failed") => void;
}

/** What became of one inbound message. */
export interface HandleResult {
  /** True when this message id was handled before (a retried webhook): nothing was done. */
  duplicate: boolean;
}

/** Flows whose place a search would lose (a quiz's answers are in its conversation only). */
const noSearchFlows = new Set(["quiz", "review", "onboarding", "stop"]);

/** Choice ids that channels produce themselves: another page of a long list. */
const morePrefix = "more.";

/**
 * The conversation engine.
 *
 * @example
 * const engine = new Engine({ store, registry, translator, clock: systemClock, logger, defaultTimeZone: "Europe/Berlin" });
 * await engine.handle({ id: "m1", address: "console:local", kind: "text", text: "hi", receivedAt: new Date() });
 */
export class Engine {
  private readonly queue = new KeyedQueue();
  private readonly words: GlobalWords;
  private readonly everyday: EverydayWords;
  readonly renderer: ReplyRenderer;
  private readonly prompts: PromptCodec;

  constructor(private readonly options: EngineOptions) {
    this.words = createGlobalWords(options.translator);
    this.everyday = createEverydayWords(options.translator);
    this.renderer = new ReplyRenderer(options.translator);
    this.prompts = options.prompts ?? PromptCodec.over({}, options.translator.languages);
  }

  /**
   * Handles one message; messages of one address are handled one at a time, in arrival order.
   *
   * Rejects with a `storage.unavailable` {@link LotseError} (the database's error as its cause) when the
   * database could not store the message: nothing of it was kept, so the caller must not acknowledge
   * it (a webhook answers 503 and the platform sends it again). Any other failure is a bug in a flow:
   * the person gets an apology, the message is marked seen, and the promise resolves.
   */
  handle(inbound: Inbound): Promise<HandleResult> {
    const report = (result: "handled" | "duplicate" | "failed") => this.options.onHandled?.(inbound, result);
    return this.queue.run(inbound.address, async () => {
      try {
        // A turn only reads and writes the database (its replies go to the outbox): on Postgres it may
        // share a transaction with other people's turns, and run again alone when that one fails.
        const result = await this.options.store.transaction((tx) => this.process(tx, inbound), {
          databaseOnly: true,
          lockKey: inbound.address,
        });
        report(result.duplicate ? "duplicate" : "handled");
        return result;
      } catch (error) {
        report("failed");
        if (isStorageUnavailable(error)) throw this.unavailable(inbound, error);
        this.options.logger.error("engine.failed", { who: hashAddress(inbound.address), kind: inbound.kind, error });
        await this.apologise(inbound);
        return { duplicate: false };
      }
    });
  }

  /** Logs a storage failure with the database's own code and makes the error the caller sees. */
  private unavailable(inbound: Inbound, error: unknown): LotseError {
    this.options.logger.error("engine.storage_unavailable", {
      who: hashAddress(inbound.address),
      kind: inbound.kind,
      dbCode: storageCode(error),
      error,
    });
    return storageUnavailable(error, "the database is unavailable: the message was not stored");
  }

  private async process(tx: StoreTx, inbound: Inbound): Promise<HandleResult> {
    const now = this.options.clock.now();
    const recorded = await tx.recordMessage(inbound.id, inbound.address, this.options.defaultTimeZone, now);
    if (!recorded) return { duplicate: true };
    const { user, conversation } = recorded;
    if (user.consent === "given") await this.options.registry.runInboundHooks(tx, user, now);
    const turn = this.turnOver(tx, user, conversation, now);
    await this.route(turn, inbound, now);
    await turn.persist();
    return { duplicate: false };
  }

  /**
   * Starts a flow for a person without a message from them (a nudge, a
   * reminder), inside the caller's transaction. Returns false, doing nothing,
   * when the person is unknown, has not agreed to storage, said stop, or
   * cannot be reached.
   *
   * @example
   * await engine.startProactively(tx, address, "nudge", {}, now);
   */
  async startProactively(
    tx: StoreTx,
    address: Inbound["address"],
    flowId: string,
    params: Record<string, string>,
    now: Date,
    purpose: Purpose = "notice",
  ): Promise<boolean> {
    const existing = await tx.getUser(address);
    if (!existing || existing.consent !== "given" || existing.status !== "active") return false;
    const user = await tx.lockUser(address, this.options.defaultTimeZone, now);
    const turn = await this.turnFor(tx, user, now, purpose);
    await turn.start(flowId, params);
    await turn.persist();
    return true;
  }

  /**
   * Sends a message to a person on the bot's own initiative without changing
   * where they are in a conversation (a notice, a reminder). Same conditions as
   * {@link startProactively}.
   *
   * @example
   * await engine.notify(tx, address, { kind: "text", lines: [msg("learning.nudge.paused")] }, now);
   */
  async notify(
    tx: StoreTx,
    address: Inbound["address"],
    reply: Reply,
    now: Date,
    purpose: Purpose = "notice",
  ): Promise<boolean> {
    const user = await tx.getUser(address);
    if (!user || user.consent !== "given" || user.status !== "active") return false;
    const reader = { language: user.language ?? "en", secondLanguage: user.secondLanguage };
    const outbound = { ...this.renderer.render(reply, reader), purpose };
    await tx.enqueue(address, [outbound], now);
    return true;
  }

  private async turnFor(tx: StoreTx, user: User, now: Date, purpose?: Purpose): Promise<Turn> {
    return this.turnOver(tx, user, await tx.getConversation(user.address), now, purpose);
  }

  private turnOver(
    tx: StoreTx,
    user: User,
    conversation: ConversationRecord | undefined,
    now: Date,
    purpose?: Purpose,
  ): Turn {
    return new Turn(tx, user, conversation, {
      registry: this.options.registry,
      renderer: this.renderer,
      maxMisses: this.options.maxMisses ?? 3,
      prompts: this.prompts,
      now,
      ...(purpose ? { purpose } : {}),
    });
  }

  private async route(turn: Turn, inbound: Inbound, now: Date): Promise<void> {
    // Whatever a new person writes first ("hi", a sticker, "menu"), they are greeted with onboarding.
    if (turn.isNew && turn.user.consent === "pending") return this.welcome(turn, inbound);
    switch (inbound.kind) {
      case "text":
        return this.routeText(turn, inbound, now);
      case "choice":
        return this.routeChoice(turn, inbound.choiceId);
      case "location": {
        const event = { type: "user.location", latitude: inbound.latitude, longitude: inbound.longitude } as const;
        if (turn.activeFlowId && (await turn.send(event))) return;
        // A location shared anywhere asks for what is near: the services flow answers it.
        if (turn.user.consent === "given" && this.options.registry.flow("services")) {
          return turn.start("services", { lat: String(inbound.latitude), lon: String(inbound.longitude) });
        }
        turn.say(msg("engine.location"));
        return turn.reprompt();
      }
      case "media":
        return this.orExplain(turn, { type: "user.media", mediaKind: inbound.mediaKind }, "engine.media");
      case "unsupported":
        turn.say(msg("engine.unsupported"));
        return turn.reprompt();
    }
  }

  /**
   * Greets a new person with onboarding, in the language their app or their
   * first message suggests (the language question then offers it first).
   */
  private async welcome(turn: Turn, inbound: Inbound): Promise<void> {
    const params = this.deepLink(inbound);
    const guess = turn.user.language
      ? undefined
      : guessLanguage({ tag: inbound.languageHint, text: inbound.kind === "text" ? inbound.text : undefined });
    if (guess) await turn.applyUserPatch({ language: guess });
    return turn.start("onboarding", guess ? { ...params, suggest: guess } : params);
  }

  /**
   * `{ link }` when the message is `/start <payload>` (a deep link) or "join <code>" (WhatsApp's
   * click-to-chat link carries a class's code as the first message), else nothing.
   */
  private deepLink(inbound: Inbound): Record<string, string> {
    if (inbound.kind !== "text") return {};
    const global = this.words.match(inbound.text);
    if (global === "unknown" || !global?.argument) return {};
    if (global.command === "start") return { link: global.argument };
    return global.command === "join" ? { link: `${joinLinkPrefix}_${global.argument}` } : {};
  }

  private async routeText(turn: Turn, inbound: TextInbound, now: Date): Promise<void> {
    const text = inbound.text;
    if (text.trim().length === 0) {
      turn.say(msg("engine.empty"));
      return turn.reprompt();
    }
    if ([...text].length > (this.options.maxTextLength ?? 4096)) {
      turn.say(msg("engine.tooLong"));
      return turn.reprompt();
    }
    const global = this.words.match(text);
    if (global === "unknown") {
      turn.say(msg("engine.unknownCommand", { command: text.trim().split(/\s/)[0] ?? "" }));
      return turn.reprompt();
    }
    const prompt = turn.lastPrompt;
    const choices = prompt?.kind === "choices" ? prompt.choices : [];
    const everyday = this.everyday.match(text);
    // A choice the person can see wins over a global word that is one of its words ("عودة" picks
    // "العودة الطوعية"); a slash command is always a command, and neither a typo nor a label inside a
    // longer command ("My data" in "delete my data") beats a global word.
    const picked =
      choices.length > 0 && !text.trim().startsWith("/")
        ? matchChoice(text, this.renderer.matchable(choices), {
            numbers: prompt?.kind === "choices" && prompt.numbersAreAnswers !== true,
            // "далі" (next) must not become "дані" (data) by a typo: an everyday word is matched exactly.
            strict: global !== undefined || everyday !== undefined,
          })
        : undefined;
    if (picked) return this.sendOrMiss(turn, { type: "user.choice", choiceId: picked });
    const freeText = this.options.registry.flow(turn.activeFlowId ?? "")?.takesFreeText === true;
    // "Join us on Thursday" typed as a class message, a class name or to a counsellor is their text, not
    // a join code (the review found drafts lost to "I do not know this code").
    if (global && !(freeText && global.command === "join")) return runGlobalCommand(turn, global, this.options);
    // In a conversation with a person (a counsellor), "thanks" is for them, not for the bot.
    if (freeText) return this.sendOrMiss(turn, { type: "user.text", text });
    if (everyday === "greeting" || everyday === "thanks") return this.answerSmallTalk(turn, everyday);
    const byMeaning = everyday ? choiceForMeaning(everyday, choices) : undefined;
    if (byMeaning) return this.sendOrMiss(turn, { type: "user.choice", choiceId: byMeaning });
    if (await turn.send({ type: "user.text", text })) return;
    // "yes" where nothing means yes is a miss, not a search for the word "yes".
    if (!everyday && (await this.answerQuestion(turn, text, now))) return;
    turn.miss();
  }

  private async sendOrMiss(turn: Turn, event: Parameters<Turn["send"]>[0]): Promise<void> {
    if (!(await turn.send(event))) turn.miss();
  }

  /** "hi" or "thanks" anywhere: a short answer and where the person was. */
  private async answerSmallTalk(turn: Turn, meaning: "greeting" | "thanks"): Promise<void> {
    // The welcome says hello itself: asked again as it is, not after "Hello again!".
    if (meaning === "greeting" && turn.lastPrompt?.greets) return turn.reprompt();
    turn.say(msg(meaning === "greeting" ? "engine.hello" : "engine.thanks"));
    if (turn.lastPrompt) return turn.reprompt();
    return turn.start("menu");
  }

  /**
   * A question typed where no choice, command or flow takes it ("where is a
   * doctor?"): one search over services, lessons, meetings and return
   * information. False when nothing matched, so the caller says so.
   */
  private async answerQuestion(turn: Turn, text: string, now: Date): Promise<boolean> {
    if (turn.user.consent !== "given" || !this.options.registry.flow("ask")) return false;
    // A quiz or review in progress lives only in its conversation: leaving it would lose the answers.
    // Its result screen loses nothing (a trial in Dari and one in Arabic were refused a doctor there).
    const active = turn.activeFlowId ?? "";
    const keepsPlace = noSearchFlows.has(active);
    if (keepsPlace && !this.options.registry.flow(active)?.searchableStates?.includes(turn.activeState ?? "")) {
      return false;
    }
    const found = await this.options.registry.answers(turn.tx, turn.user, text.slice(0, 500), now);
    if (found.length === 0) return false;
    // Back from the answers goes to the flow the person was in, where it can resume; a quiz's result
    // cannot be opened again (its "back" led to the list of courses): the answers offer the menu.
    const from = keepsPlace ? undefined : turn.activeFlowId;
    await turn.start("ask", {
      q: text,
      found: JSON.stringify(found.map(({ kind, label, link }) => ({ kind, label, link }))),
      ...(from && from !== "ask" ? { from } : {}),
    });
    return true;
  }

  private async routeChoice(turn: Turn, choiceId: string): Promise<void> {
    const prompt = turn.lastPrompt;
    if (choiceId.startsWith(morePrefix) && prompt?.kind === "choices") {
      return turn.reprompt(Number(choiceId.slice(morePrefix.length)) || 0);
    }
    const current = prompt?.kind === "choices" && prompt.choices.some((c) => c.id === choiceId);
    if (!current) {
      turn.say(msg("engine.staleButton"));
      if (turn.lastPrompt) return turn.reprompt();
      return turn.start("menu");
    }
    if (!(await turn.send({ type: "user.choice", choiceId }))) turn.miss();
  }

  private async orExplain(turn: Turn, event: Parameters<Turn["send"]>[0], key: string): Promise<void> {
    if (turn.activeFlowId && (await turn.send(event))) return;
    turn.say(msg(key));
    return turn.reprompt();
  }

  /**
   * After a flow's bug: tell the person, and mark the message seen so retries do not loop. When the
   * database fails on the apology itself nothing was kept, so the caller is told as for any storage
   * failure: the platform's retry then runs the message (and, if the bug is still there, the apology) again.
   */
  private async apologise(inbound: Inbound): Promise<void> {
    try {
      await this.options.store.transaction(async (tx) => {
        const now = this.options.clock.now();
        await tx.recordInbound(inbound.id, now);
        const user = await tx.getUser(inbound.address);
        const text = this.options.translator.t(user?.language ?? "en", "engine.error");
        await tx.enqueue(inbound.address, [{ kind: "text", text }], now);
      });
    } catch (error) {
      if (isStorageUnavailable(error)) throw this.unavailable(inbound, error);
      this.options.logger.error("engine.apology_failed", { who: hashAddress(inbound.address), error });
    }
  }
}
