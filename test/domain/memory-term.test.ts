/** What people typed is kept in memory ten minutes at most (src/domain/memory-term.ts). */
import { describe, expect, it } from "vitest";
import { memoryTermOver } from "../../src/domain/memory-term.ts";

const tenMinutes = 10 * 60_000;
const since = Date.parse("2026-12-01T10:00:00Z");

describe("memory kept for ten minutes", () => {
  it.each([
    ["just kept", since, false],
    ["ten minutes later", since + tenMinutes, false],
    ["a millisecond past ten minutes", since + tenMinutes + 1, true],
    ["the clock set back by a millisecond", since - 1, true],
    ["the clock set back by an hour", since - 3_600_000, true],
  ])("%s: over is %s", (_, now, over) => {
    expect(memoryTermOver(since, tenMinutes, now)).toBe(over);
  });
});
