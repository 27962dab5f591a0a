/**
 * Global words work in every state and in every supported language, typed or
 * as slash commands: menu, back, help, language, stop, start, my data,
 * delete my data, and join (with a class's code after or before it: "join K7F2Q").
 * They are matched before anything reaches a flow.
 */
import type { Translator } from "../i18n/index.ts";
import { normalizeText } from "./normalize.ts";

/** The global commands. */
export type GlobalCommand =
  | "menu"
  | "back"
  | "help"
  | "language"
  | "stop"
  | "start"
  | "myData"
  | "deleteMyData"
  | "join";

/** A recognised global command with what followed a slash command (a deep-link payload) or the join word (a code). */
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
  join: "join",
};

const commandKeys: GlobalCommand[] = [
  "menu",
  "back",
  "help",
  "language",
  "stop",
  "start",
  "myData",
  "deleteMyData",
  "join",
];

/**
 * What may follow (or precede) the join word to be read as a class's code: a few letters or digits,
 * spaced or dashed as people copy it off a board ("K7F 2Q"). A code of the wrong length still counts,
 * so a mistyped code gets "ask your teacher" rather than a search; longer text ("join the meeting") does not.
 */
const codeLike = /^[\p{L}\p{N}]{4,7}$/u;

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
  // Longest first, so "join class K7F2Q" is read as "join class" and a code, not "join" and "class K7F2Q".
  const joinWords = indexJoinWords(
    [...byWord]
      .filter(([, command]) => command === "join")
      .map(([word]) => word)
      .sort((a, b) => b.length - a.length),
  );
  return {
    match(text) {
      const trimmed = text.trim();
      if (trimmed.startsWith("/")) return matchSlash(trimmed);
      const command = byWord.get(wordKey(trimmed));
      if (command) return { command };
      // "Join: K7F2Q" reads as "join K7F2Q".
      const code = codeBesideJoinWord(normalizeText(trimmed.replace(/[:,;!]+/g, " ")), joinWords);
      return code ? { command: "join", argument: code } : undefined;
    },
  };
}

/**
 * The join words of every language (a hundred and more), by their first and by their last word: a
 * message is compared with the few that could begin or end it, not with all of them (that loop was
 * 2% of a message's CPU, run for every message that is not a global word).
 */
interface JoinWords {
  byFirst: Map<string, JoinWord[]>;
  byLast: Map<string, JoinWord[]>;
}

interface JoinWord {
  word: string;
  /** Its place in the longest-first order: of two that fit, the longer wins. */
  rank: number;
}

function indexJoinWords(longestFirst: readonly string[]): JoinWords {
  const index: JoinWords = { byFirst: new Map(), byLast: new Map() };
  longestFirst.forEach((word, rank) => {
    const words = word.split(" ");
    add(index.byFirst, words[0] ?? word, { word, rank });
    add(index.byLast, words[words.length - 1] ?? word, { word, rank });
  });
  return index;
}

function add(map: Map<string, JoinWord[]>, key: string, entry: JoinWord): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/** The code in "join K7F2Q" or "K7F2Q beitreten" (the verb comes last in some languages), if any. */
function codeBesideJoinWord(normal: string, joinWords: JoinWords): string | undefined {
  const space = normal.indexOf(" ");
  if (space < 0) return undefined;
  const first = joinWords.byFirst.get(normal.slice(0, space)) ?? [];
  const last = joinWords.byLast.get(normal.slice(normal.lastIndexOf(" ") + 1)) ?? [];
  if (first.length === 0 && last.length === 0) return undefined;
  const candidates = [...first, ...last].sort((a, b) => a.rank - b.rank);
  for (const { word } of candidates) {
    const rest = normal.startsWith(`${word} `)
      ? normal.slice(word.length + 1)
      : normal.endsWith(` ${word}`)
        ? normal.slice(0, -word.length - 1)
        : undefined;
    if (rest !== undefined && codeLike.test(rest.replace(/[\s\-_.]/g, ""))) return rest.trim();
  }
  return undefined;
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
