/**
 * The peer on the quiz workload, in a process of its own (run by `bench/speed/run.ts`): a grammY bot
 * with the conversations plugin (v2, its in-memory storage) and grammY's in-memory `session()` for the
 * score. `/start` enters one conversation whose steps match `lotseQuizScript` one for one, and it sends
 * as many replies as Lotse does (22 a person). Prints one JSON line of figures on stdout, and exits
 * non-zero when not every person reached the end of the quiz.
 *
 * Arguments (environment): BENCH_PEOPLE (1000), BENCH_IN_FLIGHT (people with a message in flight at
 * once, 100).
 *
 * Every Bot API call is answered in this process through the client's `fetch` option: the plugin
 * builds each conversation's `Api` afresh from the token and client options, so a transformer on
 * `bot.api` never sees the calls made inside a conversation (they would go to the network). Below the
 * plugin's own transformer, the calls are recorded for replays as they would be against Telegram.
 */
import { readFileSync } from "node:fs";
import { type Conversation, type ConversationFlavor, conversations, createConversation } from "@grammyjs/conversations";
import {
  type ApiClientOptions,
  Bot,
  type Context,
  InlineKeyboard,
  MemorySessionStorage,
  type SessionFlavor,
  session,
} from "grammy";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { driveRoundRobin, type Figures, measure } from "./drive.ts";
import { lotseQuizScript } from "./script.ts";

const people = Number(process.env.BENCH_PEOPLE ?? 1000);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 100);

/** A message with its buttons. */
interface Screen {
  text: string;
  buttons: string[];
}

/** The bot's texts (`peer-quiz.json`), of about the length of Lotse's. */
interface PeerTexts {
  welcome: Screen;
  city: Screen;
  consent: Screen;
  news: Screen;
  allSet: string;
  menu: Screen;
  courses: Screen;
  lessons: Screen;
  pages: Screen[];
  quiz: {
    title: string;
    questions: { question: string; options: string[]; right: number; explanation: string; tip: string }[];
    done: string;
    doneButtons: string[];
  };
}

const texts = JSON.parse(readFileSync(new URL("./peer-quiz.json", import.meta.url), "utf8")) as PeerTexts;

interface SessionData {
  quizzesDone: number;
  lastScore: number;
}
type OutsideContext = ConversationFlavor<Context & SessionFlavor<SessionData>>;
type QuizConversation = Conversation<OutsideContext, Context>;

const botInfo: UserFromGetMe = {
  id: 424_242,
  is_bot: true,
  first_name: "Compass",
  username: "compass_bench_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

let sentMessages = 0;
let sentMessageId = 1;

/**
 * Telegram, answered locally: the sent message as Telegram returns it. The body is parsed as Telegram
 * would, and the answer stands in for the response grammY would otherwise parse.
 */
async function answerLocally(url: string | URL | Request, init?: { body?: unknown }) {
  const method = String(url).slice(String(url).lastIndexOf("/") + 1);
  const payload = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : {};
  if (method !== "sendMessage") {
    return { json: async () => ({ ok: true, result: true }) };
  }
  sentMessages++;
  const chatId = Number(payload.chat_id);
  const message = {
    message_id: sentMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: "private", first_name: "P" },
    from: { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username },
    text: payload.text,
    ...(payload.reply_markup === undefined ? {} : { reply_markup: payload.reply_markup }),
  } as Message.TextMessage;
  return { json: async () => ({ ok: true, result: message }) };
}

function keyboard(buttons: readonly string[]): InlineKeyboard {
  const board = new InlineKeyboard();
  buttons.forEach((label, i) => {
    board.text(label, `choice:${i}`);
    if (i % 2 === 1) board.row();
  });
  return board;
}

/** The button a typed text means: its number, or the start of its label ("yes" for "Yes, I agree"). */
function chosen(text: string, buttons: readonly string[]): number {
  const typed = text.trim().toLowerCase();
  const byNumber = Number(typed);
  if (Number.isInteger(byNumber) && byNumber >= 1 && byNumber <= buttons.length) return byNumber - 1;
  return buttons.findIndex((label) => label.toLowerCase().startsWith(typed));
}

/** Shows a screen and waits until the person picks one of its buttons (asking again otherwise). */
async function ask(
  conversation: QuizConversation,
  ctx: Context,
  screen: Screen,
  before?: string,
): Promise<{ ctx: Context; choice: number }> {
  if (before !== undefined) await ctx.reply(before);
  await ctx.reply(screen.text, { reply_markup: keyboard(screen.buttons) });
  for (;;) {
    const answer = await conversation.waitFor("message:text");
    const choice = chosen(answer.message.text, screen.buttons);
    if (choice >= 0) return { ctx: answer, choice };
    await answer.reply("Please tap one of the buttons, or type its number.");
  }
}

/** Onboarding, the menu, a course, a lesson of five pages and its five-question quiz: 18 messages. */
async function quizConversation(conversation: QuizConversation, start: Context): Promise<void> {
  let step = await ask(conversation, start, texts.welcome);
  step = await ask(conversation, step.ctx, texts.city);
  step = await ask(conversation, step.ctx, texts.consent);
  step = await ask(conversation, step.ctx, texts.news);
  step = await ask(conversation, step.ctx, texts.menu, texts.allSet);
  step = await ask(conversation, step.ctx, texts.courses);
  step = await ask(conversation, step.ctx, texts.lessons);
  for (const page of texts.pages) step = await ask(conversation, step.ctx, page);

  const { title, questions } = texts.quiz;
  let score = 0;
  let feedback: string | undefined;
  for (const [i, q] of questions.entries()) {
    const options = q.options.map((option, n) => `${n + 1}) ${option}`).join("\n");
    const screen = {
      text: `${title} · question ${i + 1} of ${questions.length}\n\n${q.question}\n\n${options}`,
      buttons: q.options.map((_, n) => String(n + 1)),
    };
    step = await ask(conversation, step.ctx, screen, feedback);
    const right = step.choice === q.right;
    if (right) score++;
    feedback = right
      ? `✓ Right!\n\n${q.explanation}\n\n💡 ${q.tip}`
      : `✗ Not quite. The right answer is ${q.right + 1}) ${q.options[q.right]}\n\n${q.explanation}\n\n💡 ${q.tip}`;
  }
  await conversation.external((ctx) => {
    ctx.session.quizzesDone++;
    ctx.session.lastScore = score;
  });
  if (feedback !== undefined) await step.ctx.reply(feedback);
  const done = texts.quiz.done.replace("{score}", String(score)).replace("{total}", String(questions.length));
  await step.ctx.reply(done, { reply_markup: keyboard(texts.quiz.doneButtons) });
}

/** The same Telegram update lotse-quiz.ts feeds Lotse. */
let updateId = 1;
function textUpdate(person: number, text: string): Update {
  const id = 100_000 + person;
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

const sessions = new MemorySessionStorage<SessionData>();
const bot = new Bot<OutsideContext>("0:bench", {
  botInfo,
  client: { fetch: answerLocally as unknown as ApiClientOptions["fetch"] },
});
bot.use(session({ initial: (): SessionData => ({ quizzesDone: 0, lastScore: 0 }), storage: sessions }));
bot.use(conversations());
bot.use(createConversation(quizConversation, "quiz"));
bot.command("start", (ctx) => ctx.conversation.enter("quiz"));

const figures: Figures = await measure("peer-grammy", async () =>
  driveRoundRobin(people, lotseQuizScript.length, inFlight, (person, step) =>
    bot.handleUpdate(textUpdate(person, lotseQuizScript[step] as string)),
  ),
);
const finished = sessions.readAllValues().filter((s) => s.quizzesDone === 1).length;
console.log(JSON.stringify({ ...figures, finished, replies: sentMessages }));
if (finished !== people) {
  console.error(`peer-grammy: only ${finished} of ${people} people finished the quiz; the figures are not comparable`);
  process.exitCode = 1;
}
