/**
 * Time comes from a clock port, so tests and the terminal chat's
 * `--fake-clock` can move it forward instead of waiting.
 */

/** Where "now" comes from. */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that only moves when told to.
 *
 * @example
 * const clock = new FakeClock(new Date("2026-03-01T07:00:00Z"));
 * clock.advance(parseDuration("25h"));
 */
export class FakeClock implements Clock {
  private current: number;
  constructor(start: Date) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): Date {
    this.current += Math.max(0, ms);
    return this.now();
  }
}

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `90s`, `15m`, `25h`, `2d` or `1h30m` into milliseconds.
 *
 * @example
 * parseDuration("1h30m"); // 5_400_000
 */
export function parseDuration(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+)\s*([smhd])/g)];
  const joined = parts.map((p) => p[0]).join("");
  if (parts.length === 0 || joined !== text.trim().replace(/\s+/g, "")) return undefined;
  return parts.reduce((total, p) => total + Number(p[1]) * (units[p[2] ?? "s"] ?? 0), 0);
}
