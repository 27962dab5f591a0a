/**
 * "menu" and "back" work from every state of every core flow, and the person
 * is never left without a question.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

/** Answers that reach each state from the main menu (English), with the question it asks. */
const states: [string, string[], string][] = [
  ["settings", ["settings"], "What do you want to change?"],
  ["settings: language", ["settings", "language"], "Which language do you want to use?"],
  ["settings: city", ["settings", "city"], "Where do you live?"],
  ["settings: time zone", ["settings", "time zone"], "Which time zone are you in?"],
  ["privacy", ["my data"], "Your data. What would you like to do?"],
  ["privacy: confirm deletion", ["my data", "delete my data"], "Do you really want to delete"],
  ["menu", [], "Main menu"],
];

describe("global words from every state", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  async function reach(path: string[], question: string) {
    const chat = chatWith(app);
    await chat.sayAll("hi", "English", "Lund", "yes", "no news");
    const last = path.length > 0 ? await chat.sayAll(...path) : await chat.say("menu");
    expect(last).toContain(question);
    return chat;
  }

  it.each(states)("menu from %s shows the main menu", async (_name, path, question) => {
    const chat = await reach(path, question);
    expect(await chat.say("menu")).toMatch(/^Main menu/);
  });

  it.each(states)(
    "back from %s asks a question and never says it did not understand",
    async (_name, path, question) => {
      const chat = await reach(path, question);
      const answer = await chat.say("back");
      expect(answer).not.toContain("did not understand");
      expect(answer).toMatch(/\n {2}1\) /);
    },
  );

  // "help" alone picks a visible choice with that word ("Find help nearby" at the menu); "?" and /help never do.
  it.each(states)("help from %s explains and repeats the question", async (_name, path, question) => {
    const chat = await reach(path, question);
    const answer = await chat.say("?");
    expect(answer).toContain("Words that always work");
    expect(answer).toContain(question);
  });
});
