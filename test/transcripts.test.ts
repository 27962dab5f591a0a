/**
 * Conversation transcripts (test/transcripts/*.yaml): what a person says and
 * what the bot must answer, run through the real engine and the terminal
 * chat's printing. After a deliberate change, regenerate the expected answers
 * with `UPDATE_TRANSCRIPTS=1 npm test -- transcripts` and review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { FakeClock } from "../src/domain/clock.ts";
import { createTestApp, type TestApp } from "./support/app.ts";
import { chatWith } from "./support/chat.ts";

interface Turn {
  /** Who speaks, when a transcript has several people; `tester` by default. */
  as?: string;
  user: string;
  bot: string;
}

interface Transcript {
  description: string;
  channel?: "console" | "telegram" | "whatsapp";
  clock?: string;
  /** `STAFF_ADDRESSES` for this conversation, such as `console:anna=counsellor`. */
  staff?: string;
  turns: Turn[];
}

const dir = join(import.meta.dirname, "transcripts");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const update = process.env.UPDATE_TRANSCRIPTS === "1";

describe("transcripts", () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.dispose();
    app = undefined;
  });

  it.each(files)("%s", async (file) => {
    const path = join(dir, file);
    const transcript = parseDocument(readFileSync(path, "utf8")).toJS() as Transcript;
    app = await createTestApp(undefined, {
      clock: new FakeClock(new Date(transcript.clock ?? "2026-03-02T09:00:00Z")),
      ...(transcript.staff ? { staffAddresses: transcript.staff } : {}),
    });
    const chats = new Map<string, ReturnType<typeof chatWith>>();
    const actual: Turn[] = [];
    for (const turn of transcript.turns) {
      const who = turn.as ?? "tester";
      if (!chats.has(who)) chats.set(who, chatWith(app, who, transcript.channel ?? "console"));
      const answer = await chats.get(who)?.say(turn.user);
      actual.push({ ...(turn.as ? { as: turn.as } : {}), user: turn.user, bot: answer ?? "" });
    }
    if (update) {
      writeFileSync(path, stringify({ ...transcript, turns: actual }, { lineWidth: 0, blockQuote: "literal" }));
      return;
    }
    transcript.turns.forEach((turn, i) => {
      expect(actual[i]?.bot, `turn ${i + 1} (${turn.as ?? "tester"}: ${JSON.stringify(turn.user)}) in ${file}`).toBe(
        turn.bot,
      );
    });
  });
});
