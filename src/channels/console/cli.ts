/**
 * `npm run chat`: a terminal chat with the same engine and database as the
 * server. Interactive in a terminal; with piped input it reads one message a
 * line, prints every reply, and exits 0 at the end of input.
 */
import { createInterface } from "node:readline";
import { createApp } from "../../app.ts";
import { loadConfig, sqlitePathFor } from "../../config.ts";
import { toAddress } from "../../domain/address.ts";
import { FakeClock, systemClock } from "../../domain/clock.ts";
import { isLotseError } from "../../domain/errors.ts";
import { createLogger } from "../../log.ts";
import { loadEnvFile } from "../../startup/env-file.ts";
import { parseChatArgs } from "./args.ts";
import { ConsoleSession } from "./session.ts";

async function main(): Promise<void> {
  // The same `.env` as `npm start`, so the terminal chat opens the same database.
  loadEnvFile();
  const config = loadConfig(process.env);
  const args = parseChatArgs(process.argv.slice(2));
  const clock = args.fakeClock ? new FakeClock(args.fakeClock) : systemClock;
  const app = await createApp({
    databaseUrl: args.db ? undefined : config.DATABASE_URL,
    sqlitePath: args.db ?? sqlitePathFor(config),
    clock,
    logger: createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL),
    defaultTimeZone: config.DEFAULT_TIME_ZONE,
    quietHours: config.QUIET_HOURS,
    staffAddresses: config.STAFF_ADDRESSES,
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    orgName: config.ORG_NAME,
    telegramBotUsername: config.TELEGRAM_BOT_USERNAME,
    whatsappNumber: config.WHATSAPP_NUMBER,
  });
  const runDue = async (now: Date) => void (await app.scheduler.runDue(now));
  const session = new ConsoleSession(app, toAddress("console", args.user), args.channel, runDue);
  const interactive = process.stdin.isTTY === true;
  const lines = createInterface({ input: process.stdin, terminal: interactive });
  const write = (text: string) => {
    if (text) process.stdout.write(`${text}\n\n`);
  };
  if (interactive) {
    write(
      `Lotse terminal chat as ${session.address}${args.fakeClock ? ` (fake clock at ${clock.now().toISOString()}; /tick 1h moves it)` : ""}. Type "hi" to begin, Ctrl-D to leave.`,
    );
    write(await session.drain());
    lines.setPrompt("> ");
    lines.prompt();
  }
  for await (const line of lines) {
    if (!interactive) write(`> ${line}`);
    write(await session.line(line));
    if (interactive) lines.prompt();
  }
  await app.close();
}

main().catch((error: unknown) => {
  console.error(isLotseError(error) ? error.message : error);
  process.exitCode = 1;
});
