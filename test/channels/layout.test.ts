import { describe, expect, it } from "vitest";
import { layout } from "../../src/channels/layout.ts";
import { telegramProfile, whatsappProfile } from "../../src/channels/profiles.ts";
import { splitText } from "../../src/channels/split-text.ts";
import type { ChoicesOutbound } from "../../src/domain/outbound.ts";

function choices(n: number, page?: number): ChoicesOutbound {
  return {
    kind: "choices",
    text: "Pick one",
    choices: Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, label: `Choice ${i + 1}` })),
    listButton: "Choose",
    moreLabel: "More",
    ...(page !== undefined ? { page } : {}),
  };
}

describe("laying out for WhatsApp", () => {
  it("shows up to 3 choices as buttons", () => {
    expect(layout(choices(3), whatsappProfile)).toMatchObject([{ kind: "buttons", buttons: [{}, {}, {}] }]);
  });

  it("shows 4 to 10 choices as one list", () => {
    const [list] = layout(choices(10), whatsappProfile);
    expect(list).toMatchObject({ kind: "list", button: "Choose" });
    expect(list?.kind === "list" && list.rows.length).toBe(10);
  });

  it("splits more than 10 choices into pages of 9 with a More row, never over 10 rows", () => {
    const [first] = layout(choices(25), whatsappProfile);
    const [last] = layout(choices(25, 2), whatsappProfile);
    expect(first?.kind === "list" && first.rows.map((r) => r.id)).toEqual([
      ...Array.from({ length: 9 }, (_, i) => `c${i + 1}`),
      "more.1",
    ]);
    expect(last?.kind === "list" && last.rows.map((r) => r.id)).toEqual([
      "c19",
      "c20",
      "c21",
      "c22",
      "c23",
      "c24",
      "c25",
      "more.0",
    ]);
  });

  it("keeps a long question body within 1024 characters by sending the start as text first", () => {
    const long = { ...choices(2), text: `${"word ".repeat(300)}\n\nWhich one?` };
    const parts = layout(long, whatsappProfile);
    expect(parts.map((p) => p.kind)).toEqual(["text", "buttons"]);
    for (const p of parts) expect("text" in p && [...p.text].length).toBeLessThanOrEqual(1024);
  });
});

describe("laying out for Telegram", () => {
  it("keeps every choice as a button", () => {
    expect(layout(choices(12), telegramProfile)).toMatchObject([{ kind: "buttons" }]);
  });
});

describe("splitting long text", () => {
  it("splits at paragraph boundaries when it can", () => {
    const text = `${"a".repeat(3000)}\n\n${"b".repeat(3000)}`;
    expect(splitText(text, 4096)).toEqual(["a".repeat(3000), "b".repeat(3000)]);
  });

  it("never splits inside a word or an emoji, and every part fits", () => {
    const text = "Willkommen 👨‍👩‍👧 ".repeat(800);
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect([...part].length).toBeLessThanOrEqual(4096);
      expect(part.startsWith("Willkommen")).toBe(true);
      expect(part.endsWith("👨‍👩‍👧")).toBe(true);
    }
  });
});

describe("laying out a list", () => {
  const list = {
    kind: "list" as const,
    text: "Services",
    listButton: "Open",
    moreLabel: "More",
    choices: [
      { id: "h1", label: "Doctor", section: "Health" },
      { id: "w1", label: "Job centre", section: "Work" },
    ],
  };

  it("stays a list on WhatsApp even with few rows, keeping sections", () => {
    expect(layout(list, whatsappProfile)).toEqual([
      { kind: "list", text: "Services", button: "Open", rows: list.choices },
    ]);
  });

  it("shows every row as a button on Telegram", () => {
    expect(layout(list, telegramProfile)).toMatchObject([{ kind: "list", rows: [{ id: "h1" }, { id: "w1" }] }]);
  });
});
