/**
 * Regression (issue 15, finding 2): a deaf process that said it was healthy.
 * With the Telegram API unreachable at start, `main()` threw after the HTTP
 * server listened: the process stayed up, `/healthz` answered 200, it never
 * polled, never retried, and printed the bot token. Now the set-up calls and
 * polling retry: when the API comes back, the same process serves.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.ts";
import { freePort } from "../support/lotse-processes.ts";
import { answering, kill, type LotseRun, runLotse } from "./lotse-run.ts";

const token = "1234567:AAH-lotse-platform-down-at-start-0123";

/** The Bot API "coming back" at a fixed port: a TCP relay to the fake, started only now. */
async function relay(port: number, to: number): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = connect(to, "127.0.0.1");
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

describe("the Telegram API down at start", { timeout: 240_000 }, () => {
  let run: LotseRun | undefined;
  let fake: FakeTelegram | undefined;
  let back: Server | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (run) await kill(run);
    back?.close();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves once the API is back, without a restart, and never prints the token", async () => {
    dir = mkdtempSync(join(tmpdir(), "lotse-down-"));
    const [port, apiPort] = [await freePort(), await freePort()];
    run = runLotse({
      PORT: String(port),
      DATA_DIR: dir,
      LOG_LEVEL: "info",
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${apiPort}`,
    });
    await answering(run, `http://127.0.0.1:${port}/healthz`);
    // The API is seen down (the first set-up call failed) before it comes back.
    await run.printed("telegram.setup_failed");

    fake = await startFakeTelegram();
    back = await relay(apiPort, Number(new URL(fake.apiRoot).port));
    fake.queueUpdates([
      {
        update_id: 501,
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 424242, type: "private" },
          from: { id: 424242, is_bot: false, first_name: "Amal", language_code: "en" },
          text: "/start",
        },
      },
    ]);
    // Served: the person answered, and the command menus set by the retried set-up.
    const served = (f: FakeTelegram) =>
      f.sent().some((call) => String(call.params.chat_id) === "424242") &&
      f.calls.some((call) => call.method === "setMyCommands");
    while (!served(fake)) {
      expect(run.child.exitCode).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(run.child.exitCode).toBeNull();
    const printed = [...run.stdout, ...run.stderr].join("\n");
    expect(printed).not.toContain(token.split(":")[1]);
  });
});
