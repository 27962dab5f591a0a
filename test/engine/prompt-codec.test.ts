/**
 * The stored prompt (src/engine/prompt-codec.ts): the content pack's texts by reference, so a lesson
 * page's question is stored in a few hundred bytes instead of its texts in every language.
 */
import { describe, expect, it, vi } from "vitest";
import type { Reply } from "../../flows/kit.ts";
import { PromptCodec } from "../../src/engine/prompt-codec.ts";
import { createTestApp } from "../support/app.ts";

const title = { en: "Scan a paper", de: "Dokumente scannen", ar: "مسح الأوراق ضوئيًا" };
const option = { en: "On a dark table near a window", de: "Auf einen dunklen Tisch am Fenster" };
const pack = { lessons: [{ id: "scan", title, quiz: [{ id: "q1", options: [option] }] }] };

const question: Reply = {
  kind: "choices",
  lines: [{ key: "learning.stepHeader", params: { title, n: 1, total: 5 } }],
  choices: [
    { id: "a", label: { key: "common.raw", params: { text: option } } },
    { id: "b", label: { key: "common.raw", params: { text: { en: "Typed by staff", de: "Vom Team" } } } },
  ],
};

describe("stored prompts", () => {
  it("reads back the reply it just stored as that reply, when its text would read back the same", () => {
    const codec = PromptCodec.over(pack);
    // As a flow emits it: a new object, with the pack's own texts in it.
    const asked: Reply = {
      kind: "choices",
      lines: [{ key: "learning.stepHeader", params: { title, n: 2, total: 5 } }],
      choices: [],
    };
    const stored = codec.encode(asked);
    expect(codec.decode(stored)).toBe(asked);
    expect(Object.isFrozen(asked)).toBe(true);
    expect(Object.isFrozen(title)).toBe(false);
    // A member JSON would drop (undefined) reads back without it: parsed from the text, not kept as it is.
    const withHole = { kind: "text", lines: [{ key: "menu.title" }], compact: undefined } as unknown as Reply;
    const text = codec.encode(withHole);
    expect(codec.decode(text)).not.toBe(withHole);
    expect(codec.decode(text)).toEqual({ kind: "text", lines: [{ key: "menu.title" }] });
  });

  it("stores the pack's texts as references and reads them back as the pack's own objects", () => {
    const codec = PromptCodec.over(pack);
    const stored = codec.encode(question);
    expect(stored).toContain('"$p":"lessons/scan/quiz/q1/options/0"');
    expect(stored).not.toContain("Scan a paper");
    expect(stored).not.toContain("dark table");
    // A text not in the pack stays as it is.
    expect(stored).toContain("Typed by staff");
    const read = codec.decode(stored);
    expect(read).toEqual(question);
    if (read?.kind !== "choices") throw new Error("not a choice");
    expect(read.choices[0]?.label.params?.text).toBe(option);
    // Shared and frozen: no turn can change what another reads; the pack's texts stay the pack's.
    expect(Object.isFrozen(read.choices)).toBe(true);
    expect(Object.isFrozen(option)).toBe(false);
    expect(codec.decode(stored)).toBe(read);
  });

  it("finds a text again when its file lists the languages in another order", () => {
    const stored = PromptCodec.over(pack).encode(question);
    const reordered = { other: [{ title: { ar: title.ar, de: title.de, en: title.en } }], option };
    const read = PromptCodec.over(reordered).decode(stored);
    if (read?.kind !== "choices") throw new Error("not a choice");
    expect(read.lines[0]).toEqual(question.lines[0]);
  });

  it("after a content update shows the text as it reads now, and '…' in every language only when it is gone", () => {
    const stored = PromptCodec.over(pack).encode(question);
    // The option was corrected: the same place holds the new words, as a fresh question would show.
    const corrected = { ...option, en: "On a dark table, near a window" };
    const updated = { lessons: [{ id: "scan", title, quiz: [{ id: "q1", options: [corrected] }] }] };
    const afterUpdate = PromptCodec.over(updated, ["en", "de"]).decode(stored);
    if (afterUpdate?.kind !== "choices") throw new Error("not a choice");
    expect(afterUpdate.choices[0]?.label.params?.text).toBe(corrected);
    // The lesson was removed: the choices' ids still work, the text is "…" in the reader's language too.
    const removed = PromptCodec.over({ lessons: [] }, ["en", "de", "ar"]).decode(stored);
    if (removed?.kind !== "choices") throw new Error("not a choice");
    expect(removed.choices.map((c) => c.id)).toEqual(["a", "b"]);
    expect(removed.choices[0]?.label.params?.text).toEqual({ en: "…", de: "…", ar: "…" });
  });

  it("reads what is not a stored reply as no prompt", () => {
    expect(PromptCodec.over(pack).decode("{not json")).toBeUndefined();
  });

  it("keeps a lesson page's prompt small with the real content pack", async () => {
    const app = await createTestApp("sqlite");
    try {
      const lesson = app.content.lessonsOf(app.content.courses[0]?.id ?? "")[0];
      const step = lesson?.steps[0];
      if (!lesson || !step) throw new Error("no lesson");
      const page: Reply = {
        kind: "choices",
        lines: [
          { key: "learning.stepHeader", params: { title: lesson.title, n: 1, total: lesson.steps.length } },
          { key: "common.raw", params: { text: step.text } },
        ],
        choices: [{ id: "next", label: { key: "learning.next" } }],
      };
      const inline = JSON.stringify(page).length;
      const lessons = app.content.courses.flatMap((c) => app.content.lessonsOf(c.id));
      const stored = PromptCodec.over({ lessons }).encode(page);
      expect(inline).toBeGreaterThan(1500);
      expect(stored.length).toBeLessThan(400);
    } finally {
      await app.dispose();
    }
  });
});

describe("the stored text of a frozen reply (a kept step's, the same object for everyone at that step)", () => {
  it("is made once, and each time for a reply that may still change", () => {
    const codec = PromptCodec.over(pack);
    const shared = Object.freeze({ ...question });
    const text = codec.encode(shared);
    const stringify = vi.spyOn(JSON, "stringify");
    try {
      expect(codec.encode(shared)).toBe(text);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    // Not frozen (one that would not read back the same, so the codec keeps and freezes nothing): the
    // same object, changed in between, is stored as it is now.
    const open = { kind: "text", lines: [{ key: "learning.next", params: { odd: { $c: "x" } } }] } as unknown as Reply;
    const before = codec.encode(open);
    expect(Object.isFrozen(open)).toBe(false);
    (open as { lines: unknown[] }).lines = [{ key: "menu.title", params: { odd: { $c: "x" } } }];
    expect(codec.encode(open)).not.toBe(before);
    expect(codec.encode(open)).toContain("menu.title");
  });
});

describe("stored prompts after delete my data", () => {
  it("forgets what it parsed, so a typed name does not stay in memory", () => {
    const codec = PromptCodec.over(pack);
    const confirm: Reply = {
      kind: "text",
      lines: [{ key: "certificates.confirmName", params: { name: "Mariam Ahmadi" } }],
    };
    const stored = codec.encode(confirm);
    const first = codec.decode(stored);
    expect(codec.decode(stored)).toBe(first);
    codec.forgetParsed();
    const again = codec.decode(stored);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });
});
