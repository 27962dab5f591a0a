/**
 * Lotse on the quiz workload, in a process of its own (run by `bench/speed/run.ts`): people go from
 * `/start` through onboarding, one real lesson of the content pack and its quiz, each message a
 * Telegram update through the real path (parse, engine, outbox rows in the database). Prints one
 * JSON line of figures on stdout.
 *
 * Arguments (environment): BENCH_PEOPLE (1000), BENCH_IN_FLIGHT (people with a message in flight at
 * once, 100), BENCH_DB (`sqlite` or `postgres`; Postgres needs DATABASE_URL).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Api } from "grammy";
import type { Update } from "grammy/types";
import pg from "pg";
import { createApp } from "../../src/app.ts";
import { handleTelegramUpdate } from "../../src/channels/telegram/channel.ts";
import type { CallbackIds } from "../../src/channels/telegram/render.ts";
import { toAddress } from "../../src/domain/address.ts";
import { driveRoundRobin, type Figures, measure } from "./drive.ts";
import { lotseQuizScript, lotseQuizScriptFor } from "./script.ts";

const people = Number(process.env.BENCH_PEOPLE ?? 1000);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 100);
const db = process.env.BENCH_DB === "postgres" ? "postgres" : "sqlite";

/** Text messages only: no button token to decode (the ids store is never asked). */
const ids: CallbackIds = {
  encode: async (id) => id,
  decode: async (token) => token,
};

let updateId = 1;
/** The Telegram chat of person number `person`. */
const chatId = (person: number) => 100_000 + person;

function textUpdate(person: number, text: string): Update {
  const id = chatId(person);
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id, type: "private", first_name: "P" },
      from: { id, is_bot: false, first_name: "P", language_code: "en" },
      text,
      ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}),
    },
  } as Update;
}

const dir = mkdtempSync(join(tmpdir(), "lotse-speed-"));
const schema = `speed_${Date.now().toString(36)}_${process.pid}`;
try {
  const app = await createApp(
    db === "postgres"
      ? { databaseUrl: process.env.DATABASE_URL, sqlitePath: ":memory:", pgSchema: schema }
      : { sqlitePath: join(dir, "speed.db") },
  );
  const api = new Api("0:bench");
  // Each person's lines, the quiz answered right in the order they see its options (worked out before
  // the clock starts).
  const scripts = Array.from({ length: people }, (_, person) =>
    lotseQuizScriptFor(app.content, toAddress("telegram", String(chatId(person)))),
  );
  const figures: Figures = await measure(`lotse-${db}`, async () =>
    driveRoundRobin(people, lotseQuizScript.length, inFlight, (person, step) =>
      handleTelegramUpdate(app, api, ids, textUpdate(person, scripts[person]?.[step] as string)),
    ),
  );
  const outbox = await app.store.transaction(async (tx) => {
    const row = await tx.db
      .selectFrom("outbox")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
  // Every person must have reached the end of the quiz, or the figures measure something else.
  const finished = await app.store.transaction(async (tx) => {
    const row = await tx.db
      .selectFrom("quiz_results")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
  // And passed it (the lesson counts as done only at the pass mark): the script answers right.
  const passed = await app.store.transaction(async (tx) => {
    const row = await tx.db
      .selectFrom("lesson_progress")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("completed_at", "is not", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
  if (finished !== people) console.error(`lotse-quiz: only ${finished} of ${people} people finished the quiz`);
  if (passed !== people) console.error(`lotse-quiz: only ${passed} of ${people} people passed the quiz`);
  console.log(JSON.stringify({ ...figures, outbox_rows: outbox, finished }));
  if (finished !== people || passed !== people) process.exitCode = 1;
  await app.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (db === "postgres") {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}
