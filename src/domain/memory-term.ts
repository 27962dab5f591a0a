/**
 * How long what people typed may stay in a process's memory (parsed prompts, live snapshots, kept
 * steps, remembered search words): they are all forgotten at least every ten minutes. A clock set
 * back (a time correction, or a test's clock) must not keep them longer: a start that lies in the
 * future is over too.
 */

/**
 * True when memory kept since `since` (milliseconds, as `Date.now()`) must be forgotten: more than
 * `forMs` ago, or later than `now`.
 *
 * @example
 * if (memoryTermOver(keptSince, 10 * 60_000)) forgetAll();
 */
export function memoryTermOver(since: number, forMs: number, now = Date.now()): boolean {
  const held = now - since;
  return held > forMs || held < 0;
}
