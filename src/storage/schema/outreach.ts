/** The tables of what staff send out: information meetings and answers to them, news subscriptions and broadcasts. (See `../schema.ts` for how times and booleans are stored.) */
import type { Generated } from "kysely";

/** An information meeting. Title and description are maps of language to text (JSON). */
export interface MeetingsTable {
  id: Generated<number>;
  title: string;
  description: string;
  starts_at: string;
  ends_at: string;
  /** The zone the meeting's local time is in (where it happens, or the organiser's). */
  time_zone: string;
  place: string | null;
  map_url: string | null;
  online_url: string | null;
  /** A city id, or null for an online meeting open to everyone. */
  city: string | null;
  /** Language codes spoken, JSON array. */
  languages: string;
  capacity: number | null;
  /** planned, moved, cancelled */
  status: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** The broadcast that announced it to people who asked for news, if it was announced. */
  announcement_id: Generated<number | null>;
  /** A class session: only that class's learners see it, and it is never announced to the city. */
  class_id: Generated<number | null>;
}

/** A person's answer to a meeting: yes, maybe or no; `waiting` when yes but the meeting is full. */
export interface RsvpsTable {
  meeting_id: number;
  address: string;
  answer: string;
  waiting: number;
  updated_at: string;
  /** 1 when ticked at the door (console check-in). */
  attended: Generated<number>;
  /** A short random reference naming the guest in the console, exports and the API instead of the address. */
  ref: Generated<string | null>;
}

/** People who want news and announcements. */
export interface NewsSubscriptionsTable {
  address: string;
  created_at: string;
}

/** A message from staff to an audience. */
export interface BroadcastsTable {
  id: Generated<number>;
  /** Map of language to text (JSON). */
  text: string;
  /** The audience (JSON), such as {"kind":"city","city":"leipzig"}. */
  audience: string;
  /** scheduled, queuing (people being put into the outbox), sending, cancelled; "sent" is derived when nothing waits */
  status: string;
  send_at: string;
  /** People queued so far: grows while queuing, so progress shows as it goes. */
  recipients: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Outbox rows of this broadcast deleted by pruning, by their last status, so counts survive pruning. */
  pruned_sent: Generated<number>;
  pruned_delivered: Generated<number>;
  pruned_read: Generated<number>;
  /** Includes rows pruned while still "sending" (never confirmed). */
  pruned_failed: Generated<number>;
  /** The last address queued (address order): a fan-out that stopped continues after it. */
  queued_through: Generated<string | null>;
  /** The language people get when the broadcast has neither theirs nor their second (migration 014; null: English). */
  default_language: Generated<string | null>;
  /** The zone a scheduled time was entered in, to show it the same way (migration 014). */
  time_zone: Generated<string | null>;
  /** Why it was cancelled, when not by staff pressing "cancel" (its creator lost the staff role). */
  cancel_reason: Generated<string | null>;
}

/** Delivery counts of a broadcast's pruned outbox rows, per channel, last status and error (migration 014). */
export interface BroadcastPrunedTable {
  broadcast_id: number;
  /** The channel; empty for counts pruned before migration 014. */
  channel: string;
  /** sent, delivered, read or failed (a row pruned while still sending counts as failed). */
  status: string;
  /** The error, cut to 200 characters; empty unless failed. */
  error: string;
  n: number;
}
