/**
 * The path of one message: deduplicate by inbound id, lock and load the user
 * and their conversation, route (global words first, then the active flow),
 * run the transition, and store the new state and the replies, all in one
 * transaction. Channels then deliver what landed in the outbox.
 */
import { msg, type Reply } from "../../flows/kit.ts";
import type { Clock } from "../domain/clock.ts";
import type { Inbound, TextInbound } from "../domain/inbound.ts";
import type { Purpose } from "../domain/outbound.ts";
import type { Translator } from "../i18n/index.ts";
import { hashAddress, type Logger } from "../log.ts";
import type { Store, StoreTx } from "../storage/store.ts";
import { matchChoice } from "./choice-match.ts";
import { createGlobalWords, type GlobalMatch, type GlobalWords } from "./global-words.ts";
import { KeyedQueue } from "./keyed-queue.ts";
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
  /** Longer texts are not read (platforms allow 4096). */
  maxTextLength?: number;
}

/** What became of one inbound message. */
export interface HandleResult {
  /** True when this message id was handled before (a retried webhook): nothing was done. */
  duplicate: boolean;
}

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
  readonly renderer: ReplyRenderer;

  constructor(private readonly options: EngineOptions) {
    this.words = createGlobalWords(options.translator);
    this.renderer = new ReplyRenderer(options.translator);
  }

  /** Handles one message; messages of one address are handled one at a time, in arrival order. */
  handle(inbound: Inbound): Promise<HandleResult> {
    return this.queue.run(inbound.address, async () => {
      try {
        return await this.options.store.transaction((tx) => this.process(tx, inbound));
      } catch (error) {
        this.options.logger.error("engine.failed", { who: hashAddress(inbound.address), kind: inbound.kind, error });
        await this.apologise(inbound);
        return { duplicate: false };
      }
    });
  }

  private async process(tx: StoreTx, inbound: Inbound): Promise<HandleResult> {
    const now = this.options.clock.now();
    if (!(await tx.recordInbound(inbound.id, now))) return { duplicate: true };
    const user = await tx.lockUser(inbound.address, this.options.defaultTimeZone, now);
    await tx.updateUser(inbound.address, { lastInboundAt: now }, now);
    if (user.consent === "given") await this.options.registry.runInboundHooks(tx, user, now);
    const turn = await this.turnFor(tx, user, now);
    await this.route(turn, inbound);
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
    const outbound = { ...this.renderer.render(reply, user.language ?? "en"), purpose };
    await tx.enqueue(address, [outbound], now);
    return true;
  }

  private async turnFor(
    tx: StoreTx,
    user: Awaited<ReturnType<StoreTx["lockUser"]>>,
    now: Date,
    purpose?: Purpose,
  ): Promise<Turn> {
    return new Turn(tx, user, await tx.getConversation(user.address), {
      registry: this.options.registry,
      renderer: this.renderer,
      maxMisses: this.options.maxMisses ?? 3,
      now,
      ...(purpose ? { purpose } : {}),
    });
  }

  private async route(turn: Turn, inbound: Inbound): Promise<void> {
    // Whatever a new person writes first ("hi", a sticker, "menu"), they are greeted with onboarding.
    if (turn.isNew && turn.user.consent === "pending") return turn.start("onboarding", this.deepLink(inbound));
    switch (inbound.kind) {
      case "text":
        return this.routeText(turn, inbound);
      case "choice":
        return this.routeChoice(turn, inbound.choiceId);
      case "location":
        return this.orExplain(
          turn,
          { type: "user.location", latitude: inbound.latitude, longitude: inbound.longitude },
          "engine.location",
        );
      case "media":
        return this.orExplain(turn, { type: "user.media", mediaKind: inbound.mediaKind }, "engine.media");
      case "unsupported":
        turn.say(msg("engine.unsupported"));
        turn.reprompt();
    }
  }

  /** `{ link }` when the message is `/start <payload>` (a deep link), else nothing. */
  private deepLink(inbound: Inbound): Record<string, string> {
    if (inbound.kind !== "text") return {};
    const global = this.words.match(inbound.text);
    return global !== "unknown" && global?.command === "start" && global.argument ? { link: global.argument } : {};
  }

  private async routeText(turn: Turn, inbound: TextInbound): Promise<void> {
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
    if (global) return this.runGlobal(turn, global);
    const prompt = turn.lastPrompt;
    const picked =
      prompt?.kind === "choices"
        ? matchChoice(text, this.renderer.matchable(prompt.choices), { numbers: prompt.numbersAreAnswers !== true })
        : undefined;
    const event = picked
      ? ({ type: "user.choice", choiceId: picked } as const)
      : ({ type: "user.text", text } as const);
    if (!(await turn.send(event))) turn.miss();
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
    turn.reprompt();
  }

  private async runGlobal(turn: Turn, global: GlobalMatch): Promise<void> {
    const consented = turn.user.consent === "given";
    switch (global.command) {
      case "menu":
        if (turn.user.consent === "pending" && turn.lastPrompt) {
          turn.say(msg("engine.finishSetupFirst"));
          return turn.reprompt();
        }
        return turn.start("menu");
      case "back":
        if (turn.activeFlowId && (await turn.send({ type: "nav.back" }))) return;
        return turn.start("menu");
      case "help":
        turn.say(msg("help.general"), msg(`help.${turn.activeFlowId ?? "menu"}`));
        return turn.reprompt();
      case "language":
        return turn.start(consented ? "settings" : "onboarding", { start: "language" });
      case "stop":
        await this.setStatus(turn, "stopped");
        return turn.say(msg("engine.stopped"));
      case "start":
        return this.restart(turn, global.argument);
      case "myData":
        return turn.start("privacy", { start: "export" });
      case "deleteMyData":
        return turn.start("privacy", { start: "delete" });
    }
  }

  private async restart(turn: Turn, argument: string | undefined): Promise<void> {
    if (turn.user.status === "stopped") {
      await this.setStatus(turn, "active");
      turn.say(msg("engine.restarted"));
    }
    if (turn.user.consent === "pending" && turn.lastPrompt) return turn.reprompt();
    if (turn.user.consent === "refused") return turn.start("onboarding");
    return turn.start("menu", argument ? { link: argument } : {});
  }

  private async setStatus(turn: Turn, status: "active" | "stopped"): Promise<void> {
    await turn.applyUserPatch({ status });
  }

  /** After an unexpected failure: tell the person, and mark the message seen so retries do not loop. */
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
      this.options.logger.error("engine.apology_failed", { who: hashAddress(inbound.address), error });
    }
  }
}
