/**
 * Options of `npm run chat -- ...`.
 */
import { LotseError } from "../../domain/errors.ts";

/** Parsed command-line options. */
export interface ChatArgs {
  user: string;
  channel: "console" | "telegram" | "whatsapp";
  db: string | undefined;
  /** Set when `--fake-clock` was given: the start time. */
  fakeClock: Date | undefined;
}

const usage =
  "usage: npm run chat -- [--user ID] [--channel console|telegram|whatsapp] [--db PATH|:memory:] [--fake-clock [ISO-TIME]]";

/**
 * Parses the chat's arguments; throws `config.invalid` with the usage on a bad one.
 *
 * @example
 * parseChatArgs(["--user", "amira", "--fake-clock", "2026-03-01T07:00:00Z"]);
 */
export function parseChatArgs(argv: string[], now: Date = new Date()): ChatArgs {
  const args: ChatArgs = { user: "local", channel: "console", db: undefined, fakeClock: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const takeValue = (): string => {
      if (value === undefined || value.startsWith("--"))
        throw new LotseError("config.invalid", `${flag} needs a value\n${usage}`);
      i++;
      return value;
    };
    if (flag === "--user") args.user = takeValue();
    else if (flag === "--db") args.db = takeValue();
    else if (flag === "--channel") args.channel = parseChannel(takeValue());
    else if (flag === "--fake-clock") {
      const hasTime = value !== undefined && !value.startsWith("--");
      if (hasTime) i++;
      const start = hasTime ? new Date(value) : now;
      if (Number.isNaN(start.getTime()))
        throw new LotseError("config.invalid", `--fake-clock needs an ISO time such as 2026-03-01T07:00:00Z\n${usage}`);
      args.fakeClock = start;
    } else throw new LotseError("config.invalid", `unknown option ${flag}\n${usage}`);
  }
  return args;
}

function parseChannel(value: string): ChatArgs["channel"] {
  if (value === "console" || value === "telegram" || value === "whatsapp") return value;
  throw new LotseError("config.invalid", `--channel must be console, telegram or whatsapp\n${usage}`);
}
