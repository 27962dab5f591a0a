/**
 * Global words (src/engine/global-words.ts) over the real word lists: the join word with a class's
 * code before or after it in several languages, the longer join word winning, and text that only
 * looks like a join. Table-driven: one line per message.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/app.ts";
import { createGlobalWords } from "../../src/engine/global-words.ts";
import { createTranslator, readLocales } from "../../src/i18n/index.ts";

const words = createGlobalWords(createTranslator(readLocales(join(projectRoot, "locales"))));

const cases: [string, ReturnType<typeof words.match>][] = [
  ["join K7F2Q", { command: "join", argument: "k7f2q" }],
  ["Join: K7F2Q", { command: "join", argument: "k7f2q" }],
  ["join class K7F 2Q", { command: "join", argument: "k7f 2q" }],
  ["join the class K7F2Q", { command: "join", argument: "k7f2q" }],
  ["K7F2Q beitreten", { command: "join", argument: "k7f2q" }],
  ["der Klasse beitreten K7F2Q", { command: "join", argument: "k7f2q" }],
  ["sınıfa katıl K7F2Q", { command: "join", argument: "k7f2q" }],
  ["انضم إلى الصف K7F2Q", { command: "join", argument: "k7f2q" }],
  ["عضویت در کلاس K7F2Q", { command: "join", argument: "k7f2q" }],
  ["ናብ ክፍሊ ተጸንበር K7F2Q", { command: "join", argument: "k7f2q" }],
  ["join", { command: "join" }],
  ["join the meeting tomorrow", undefined],
  ["where is a doctor", undefined],
  ["K7F2Q", undefined],
  ["menu", { command: "menu" }],
  ["/start meeting-12", { command: "start", argument: "meeting-12" }],
];

describe("global words", () => {
  it.each(cases)("%s", (text, expected) => {
    expect(words.match(text)).toEqual(expected);
  });
});

describe("the join example each language shows", () => {
  const translator = createTranslator(readLocales(join(projectRoot, "locales")));
  // "Ask your teacher ... for example: <join word> K7F2Q": what a learner copies must work as typed.
  it.each(translator.languages)("%s: the example after the last colon joins", (language) => {
    const text = translator.t(language, "classes.join.askTeacher");
    const example = text.slice(text.lastIndexOf(":") + 1).trim();
    expect(words.match(example)).toEqual({ command: "join", argument: "k7f2q" });
  });
});
