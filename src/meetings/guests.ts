/**
 * Who answered a meeting, as staff may see them: a short pseudonymous label (the channel and the
 * last three characters of the chat id, never the whole address), the person's language, their
 * answer, their place on the waiting list and whether they came. The console's guest list and door
 * list, the CSV export and the API all read this.
 */
import type { Kysely, Transaction } from "kysely";
import type { Address } from "../domain/address.ts";
import type { Database } from "../storage/schema.ts";
import type { Answer } from "./repository.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** One guest as staff see them. */
export interface Guest {
  /** A random reference for this guest at this meeting (check-in, exports, API). */
  ref: string;
  /** Channel and the end of the chat id: `telegram …123`. */
  label: string;
  /** The language code the person uses Lotse in, if known. */
  language: string | null;
  answer: Answer;
  /** Said yes but the meeting is full: on the waiting list. */
  waiting: boolean;
  /** Their number on the waiting list, or null with a place (or without a "yes"). */
  waitingPosition: number | null;
  attended: boolean;
}

/** A meeting's figures. */
export interface GuestCounts {
  /** Yes with a place. */
  yes: number;
  maybe: number;
  no: number;
  waiting: number;
  attended: number;
}

/**
 * The label staff see for an address: the channel and the last three characters of the id. Enough
 * to tell guests apart at the door ("the WhatsApp number ending 123"), not enough to contact anyone.
 *
 * @example
 * guestLabel("whatsapp:4915112345123"); // "whatsapp …123"
 */
export function guestLabel(address: Address | string): string {
  const colon = address.indexOf(":");
  const channel = colon > 0 ? address.slice(0, colon) : "?";
  const id = [...address.slice(colon + 1)];
  return `${channel} …${id.slice(-3).join("")}`;
}

/**
 * Every guest of a meeting who did not say no, confirmed places first, then the waiting list in
 * order, then the maybes; `includeNo` adds those who said no at the end.
 *
 * @example
 * const guests = await guestsOf(app.store.db, meeting.id);
 */
export async function guestsOf(db: Db, meetingId: number, options: { includeNo?: boolean } = {}): Promise<Guest[]> {
  const rows = await db
    .selectFrom("rsvps")
    .leftJoin("users", "users.address", "rsvps.address")
    .select([
      "rsvps.address",
      "rsvps.answer",
      "rsvps.waiting",
      "rsvps.attended",
      "rsvps.ref",
      "rsvps.updated_at",
      "users.language",
    ])
    .where("rsvps.meeting_id", "=", meetingId)
    .orderBy("rsvps.waiting")
    .orderBy("rsvps.updated_at")
    .orderBy("rsvps.address")
    .execute();
  const rank: Record<string, number> = { yes: 0, maybe: 1, no: 2 };
  let position = 0;
  const guests = rows.map((row): Guest => {
    const waiting = Number(row.waiting) === 1;
    if (waiting) position += 1;
    return {
      ref: row.ref ?? "",
      label: guestLabel(row.address),
      language: row.language ?? null,
      answer: row.answer as Answer,
      waiting,
      waitingPosition: waiting ? position : null,
      attended: Number(row.attended) === 1,
    };
  });
  // Stable sort: within an answer the order above (places, then the waiting list by time) stays.
  return guests
    .filter((g) => options.includeNo || g.answer !== "no")
    .sort((a, b) => (rank[a.answer] ?? 3) - (rank[b.answer] ?? 3));
}

/**
 * The figures of a guest list (which must include those who said no for `no` to count).
 *
 * @example
 * guestCounts(await guestsOf(db, id, { includeNo: true })); // { yes: 12, maybe: 3, no: 1, waiting: 2, attended: 9 }
 */
export function guestCounts(guests: readonly Guest[]): GuestCounts {
  const count = (f: (g: Guest) => boolean) => guests.filter(f).length;
  return {
    yes: count((g) => g.answer === "yes" && !g.waiting),
    maybe: count((g) => g.answer === "maybe"),
    no: count((g) => g.answer === "no"),
    waiting: count((g) => g.waiting),
    attended: count((g) => g.attended),
  };
}
