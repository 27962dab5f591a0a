/**
 * Lanes of the outbox: what a message is for decides when it goes. Replies to
 * a person's own message go first, then reminders and notices, then nudges,
 * then broadcasts; bulk (broadcasts) only gets the share of a platform's
 * ceiling that conversation leaves.
 */
import type { Purpose } from "../domain/outbound.ts";

/** A lane number: lower goes first. */
export type Lane = 0 | 1 | 2 | 3;

/** The lanes in the order they are served. */
export const lanes: readonly Lane[] = [0, 1, 2, 3];

/** The bulk lane (broadcasts). */
export const bulkLane: Lane = 3;

const byPurpose: Record<Purpose, Lane> = { reply: 0, reminder: 1, notice: 1, nudge: 2, broadcast: 3 };

/**
 * The lane of a message by its purpose (unset means a reply).
 *
 * @example
 * laneOf("broadcast"); // 3
 */
export function laneOf(purpose: Purpose | undefined): Lane {
  return byPurpose[purpose ?? "reply"];
}
