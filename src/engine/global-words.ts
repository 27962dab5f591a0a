/**
 * Global words work in every state and in every supported language, typed or
 * as slash commands: menu, back, help, language, stop, start, my data,
 * delete my data. They are matched before anything reaches a flow.
 */
import type { Translator } from "../i18n/index.ts";
import { normalizeText } from "./normalize.ts";

/** The global commands. */
export type GlobalCommand = "menu" | "back" | "help" | "language" | "stop" | "start" | "myData" | "deleteMyData";

/** A recognised global command with what followed a slash command (a deep-link payload). */
export interface GlobalMatch {
  command: GlobalCommand;
  argument?: string;
}

const slashCommands: Record<string, GlobalCommand> = {
  menu: "menu",
  back: "back",
  help: "help",
  language: "language",
  lang: "language",
  stop: "stop",
  start: "start",
  mydata: "myData",
  delete: "deleteMyData",
  deletemydata: "deleteMyData",
};

const commandKeys: GlobalCommand[] = ["menu", "back", "help", "language", "stop", "start", "myData", "deleteMyData"];

/** Recognises global words and slash commands. */
export interface GlobalWords {
  /** The command in `text`, `"unknown"` for an unknown slash command, or undefined. */
  match(text: string): GlobalMatch | "unknown" | undefined;
}

/**
 * Builds the matcher from the `global.*` word lists of every loaded language.
 *
 * @example
 * const words = createGlobalWords(translator);
 * words.match("Menü"); // { command: "menu" }
 * words.match("/start meeting-12"); // { command: "start", argument: "meeting-12" }
 */
export function createGlobalWords(translator: Translator): GlobalWords {
  const byWord = new Map<string, GlobalCommand>();
  for (const language of translator.languages) {
    for (const command of commandKeys) {
      for (const word of translator.words(language, `global.${command}`)) byWord.set(wordKey(word), command);
    }
  }
  return {
    match(text) {
      const trimmed = text.trim();
      if (trimmed.startsWith("/")) return matchSlash(trimmed);
      const command = byWord.get(wordKey(trimmed));
      return command ? { command } : undefined;
    },
  };
}

/** The normalised word, or the word itself when it is only punctuation ("?") or emoji. */
function wordKey(word: string): string {
  return normalizeText(word) || word.trim();
}

function matchSlash(text: string): GlobalMatch | "unknown" {
  const [head = "", ...rest] = text.slice(1).split(/\s+/);
  // Telegram appends the bot's name in groups: /start@LotseBot
  const name = head.split("@")[0]?.toLowerCase().replace(/[_-]/g, "") ?? "";
  const command = slashCommands[name];
  if (!command) return "unknown";
  const argument = rest.join(" ").trim();
  return argument ? { command, argument } : { command };
}
