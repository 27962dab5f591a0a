/**
 * The global commands (menu, back, help, language, stop, start, my data, delete my data, join): what
 * each does wherever the person is. The engine matches them (`global-words.ts`) before anything
 * reaches a flow and hands them here.
 */
import { msg } from "../../flows/kit.ts";
import { learningFlowIds } from "../../flows/learning/nudge.ts";
import type { Translator } from "../i18n/index.ts";
import type { GlobalMatch } from "./global-words.ts";
import type { FlowRegistry } from "./registry.ts";
import type { Turn } from "./turn.ts";

/** The deep link a class's code opens (`class_K7F2Q`, registered by the classes feature); typed "join" opens it too. */
export const joinLinkPrefix = "class";

/** What the commands need besides the turn. */
export interface CommandContext {
  translator: Translator;
  registry: FlowRegistry;
}

/**
 * Runs a global command for the person in `turn`.
 *
 * @example
 * await runGlobalCommand(turn, { command: "menu" }, { translator, registry });
 */
export async function runGlobalCommand(turn: Turn, global: GlobalMatch, context: CommandContext): Promise<void> {
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
    case "help": {
      // Every flow has its help text; one added without it gets the menu's rather than a raw key.
      const own = `help.${turn.activeFlowId ?? "menu"}`;
      turn.say(msg("help.general"), msg(context.translator.has("en", own) ? own : "help.menu"));
      return turn.reprompt();
    }
    case "language":
      return turn.start(consented ? "settings" : "onboarding", { start: "language" });
    case "stop": {
      const from = turn.activeFlowId;
      if (from && learningFlowIds.has(from) && context.registry.flow("stop")) return turn.start("stop", { from });
      await turn.applyUserPatch({ status: "stopped" });
      return turn.say(msg("engine.stopped"));
    }
    case "start":
      return restart(turn, global.argument);
    case "myData":
      return turn.start("privacy", { start: "export" });
    case "deleteMyData":
      return turn.start("privacy", { start: "delete" });
    case "join":
      return join(turn, global.argument);
  }
}

/**
 * "join K7F2Q": the class's join step, as its deep link opens it. Someone still setting up starts
 * over with the code kept, so the join follows onboarding as it does for a new person.
 */
function join(turn: Turn, code: string | undefined): Promise<void> {
  const link = `${joinLinkPrefix}_${code ?? ""}`;
  if (turn.user.consent === "pending") {
    const params: Record<string, string> = code ? { link } : {};
    if (turn.user.language) params.suggest = turn.user.language;
    return turn.start("onboarding", params);
  }
  return turn.start("menu", { link });
}

async function restart(turn: Turn, argument: string | undefined): Promise<void> {
  if (turn.user.status === "stopped") {
    await turn.applyUserPatch({ status: "active" });
    turn.say(msg("engine.restarted"));
  }
  if (turn.user.consent === "pending" && turn.lastPrompt) return turn.reprompt();
  // Their language list led by the language they chose before saying no.
  if (turn.user.consent === "refused") {
    return turn.start("onboarding", turn.user.language ? { suggest: turn.user.language } : {});
  }
  return turn.start("menu", argument ? { link: argument } : {});
}
