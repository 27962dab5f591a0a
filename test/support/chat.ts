/**
 * Driving the bot like a person in the terminal chat: say a line, read the
 * printed answer.
 */

import type { App } from "../../src/app.ts";
import { ConsoleSession } from "../../src/channels/console/session.ts";
import { toAddress } from "../../src/domain/address.ts";

/**
 * A chat for one test user.
 *
 * @example
 * const chat = chatWith(app, "amira");
 * expect(await chat.say("hi")).toContain("Which language");
 */
export function chatWith(app: App, user = "tester", channel: "console" | "telegram" | "whatsapp" = "console") {
  const runDue = async (now: Date) => void (await app.scheduler.runDue(now));
  const session = new ConsoleSession(app, toAddress("console", user), channel, runDue);
  return {
    address: session.address,
    say: (text: string) => session.line(text),
    /** Says each line in turn and returns the last answer. */
    async sayAll(...lines: string[]): Promise<string> {
      let last = "";
      for (const line of lines) last = await session.line(line);
      return last;
    },
  };
}
