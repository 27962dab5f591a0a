/**
 * The database tables as Kysely sees them. Times are ISO 8601 strings in UTC
 * (`Date#toISOString`), which sort correctly as text in both SQLite and
 * Postgres, so one query works on both. Booleans are 0 and 1.
 */
import type { Generated } from "kysely";

export interface UsersTable {
  address: string;
  language: string | null;
  second_language?: string | null;
  city: string | null;
  time_zone: string;
  consent: string;
  status: string;
  created_at: string;
  updated_at: string;
  last_inbound_at: string | null;
  /** 1 when the person agreed that their pseudonymised answers may be used for research (default 0, migration 015). */
  research_consent?: number;
  /** When they last answered the research question (or were asked it); null if never. */
  research_consent_at?: string | null;
}

export interface ConversationsTable {
  address: string;
  flow_id: string;
  flow_version: number;
  /** The XState persisted snapshot, JSON. */
  snapshot: string;
  /** The last question asked (reply descriptors, JSON), for matching typed answers and re-asking. */
  prompt: string | null;
  /** Unexpected answers in a row; after a few, the menu is offered. */
  misses: number;
  updated_at: string;
}

export interface InboundSeenTable {
  /** The channel's unique message id; no address, so nothing personal is kept. */
  id: string;
  seen_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  address: string;
  /** The channel-neutral Outbound, JSON. */
  payload: string;
  status: string;
  attempts: number;
  not_before: string;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  error: string | null;
  /** 1 when the row goes away once delivered (a goodbye after erasure). */
  purge: number;
  /** The address's channel (`telegram`, `whatsapp` ...), for rate limits and claiming. */
  channel: string | null;
  /** The platform's id of the sent message, to match delivery and read statuses. */
  platform_id: string | null;
  /** While being sent: after this time a crashed send may be tried again. */
  lease_until: string | null;
  /** The broadcast this row belongs to: one row per person and broadcast, never two. */
  broadcast_id: number | null;
  /** 0 replies, 1 reminders and notices, 2 nudges, 3 broadcasts: lower goes first (see outbox/lanes.ts). */
  lane: Generated<number>;
  /** Parts of a multi-part message already accepted by the platform; a retry resumes after them. */
  parts_sent: Generated<number>;
  /**
   * The address this row is about when it goes to someone else (a referral's notice to a
   * counsellor): "delete my data" deletes these rows too (migration 011).
   */
  subject: Generated<string | null>;
}

/** Where a person is in a lesson, and whether they finished it (its quiz). */
export interface LessonProgressTable {
  address: string;
  lesson_id: string;
  step: number;
  completed_at: string | null;
  updated_at: string;
}

/** One finished quiz. */
export interface QuizResultsTable {
  id: Generated<number>;
  address: string;
  lesson_id: string;
  score: number;
  total: number;
  taken_at: string;
}

/** One answer to a quiz or review question, for item statistics and the research export (migration 015). */
export interface QuizAnswersTable {
  id: Generated<number>;
  address: string;
  lesson_id: string;
  question_id: string;
  /** 1 right, 0 wrong. */
  correct: number;
  /** `quiz` (the quiz after a lesson) or `review` (spaced repetition). */
  source: Generated<string>;
  answered_at: string;
}

/** A question answered wrongly, in its Leitner box, due again at `due_at`. */
export interface ReviewItemsTable {
  address: string;
  lesson_id: string;
  question_id: string;
  box: number;
  due_at: string;
  updated_at: string;
}

/** A local calendar day (YYYY-MM-DD, the person's time zone) with learning activity, for streaks. */
export interface LearningDaysTable {
  address: string;
  day: string;
}

/** A job due at a time: claimed with a lease, run and marked done in one transaction. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  address: string | null;
  due_at: string;
  /** JSON. */
  payload: string;
  /** The same reminder is never scheduled twice: a second insert with this key is ignored. */
  unique_key: string;
  /** pending, running, done, failed, cancelled */
  status: string;
  attempts: number;
  /** While running: after this time, a crashed run's job may be claimed again. */
  lease_until: string | null;
  last_error: string | null;
  /**
   * When the job may next be claimed: `due_at` while pending, `lease_until` while running, null once
   * done or failed. The claim is one range scan of its index (migration 010).
   */
  claim_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A learner's daily nudge: the local hour (null = off) and the pause after unanswered nudges. */
export interface NudgeSettingsTable {
  address: string;
  hour: number | null;
  unanswered: number;
  paused: number;
  /** The local day (YYYY-MM-DD) the last nudge went out, so never twice a day. */
  last_sent_day: string | null;
  updated_at: string;
}

/** A request to be contacted by a return counsellor: only what the person agreed to share. */
export interface ReferralsTable {
  id: Generated<number>;
  address: string;
  language: string;
  city: string | null;
  /** The person's own short message, if they wrote one; never a reason we asked for. */
  message: string | null;
  created_at: string;
  /** new, contacted, closed (migration 012). */
  status: Generated<string>;
  /** The counsellor it is assigned to (their address), or null. */
  assigned_to: Generated<string | null>;
  /** The name the person chose for the counsellor to use; null shows "Person <id>". */
  display_name: Generated<string | null>;
  /** 1 when the person chose to show the counsellor their chat address (phone number, chat id). */
  share_contact: Generated<number>;
  /** 1 while a conversation through Lotse is open. */
  conversation_open: Generated<number>;
  /** Who ended the last conversation: `counsellor` or `person`; null if none ended. */
  conversation_ended_by: Generated<string | null>;
}

/** A counsellor's private note on a referral (migration 012); `address` is the person's, for erasure. */
export interface ReferralNotesTable {
  id: Generated<number>;
  referral_id: number;
  address: string;
  /** The counsellor who wrote it; cleared if they delete their own data. */
  author: string | null;
  text: string;
  created_at: string;
}

/** One message of the conversation through Lotse (migration 012); `address` is the person's, for erasure. */
export interface ReferralMessagesTable {
  id: Generated<number>;
  referral_id: number;
  address: string;
  /** `counsellor` or `person`. */
  sender: string;
  /** The counsellor who wrote it (null for the person's own messages). */
  author: string | null;
  text: string;
  created_at: string;
  /** When a counsellor first saw a person's message in the console; null while unread. */
  read_at: string | null;
}

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

/** Staff added by an admin (beside STAFF_ADDRESSES). */
export interface StaffMembersTable {
  address: string;
  /** Roles joined by "+". */
  roles: string;
  created_at: string;
  /** How colleagues know them in the console (optional). */
  name?: string | null;
}

/** A sign-in code sent to a staff member's chat: one per address, 10 minutes, 5 tries, then a lock. */
export interface StaffLoginCodesTable {
  address: string;
  code_hash: string | null;
  expires_at: string | null;
  tries: number;
  locked_until: string | null;
  updated_at: string;
}

/** A signed-in browser: the cookie's hash, who, the form token and the console language. */
export interface StaffSessionsTable {
  id_hash: string;
  address: string;
  csrf: string;
  language: string;
  created_at: string;
  expires_at: string;
}

/** Every staff action: who, what, when (detail is JSON without anyone's chat address or words). */
export interface AuditLogTable {
  id: Generated<number>;
  actor: string | null;
  /** The staff member the action was done to, if any. */
  subject?: string | null;
  action: string;
  detail: string;
  created_at: string;
}

/** A staff correction of a city service; null columns keep the content pack's value. */
export interface ServiceOverridesTable {
  service_id: string;
  phone: string | null;
  website: string | null;
  hours: string | null;
  closed: number;
  note: string | null;
  updated_by: string | null;
  updated_at: string;
}

/** A course certificate (migration 021); `address` is null once its holder deleted their data and kept it valid. */
export interface CertificatesTable {
  id: string;
  address: string | null;
  course_id: string;
  course_version: number;
  name: string;
  language: string;
  issued_at: string;
  credential: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  new_allowed: number;
}

/** The organisation's signing key for certificates (migration 021). */
export interface IssuerKeysTable {
  id: string;
  key_pair: string;
  created_at: string;
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

/** All tables. */
/** A teacher's class (migration 018). Languages and courses are JSON. */
export interface ClassesTable {
  id: Generated<number>;
  name: string;
  city: string | null;
  /** JSON array of language codes. */
  languages: string;
  /** JSON array of { course, startsOn, endsOn } in the order the class follows them. */
  courses: string;
  /** The join code, upper case ("K7F2Q"). */
  code: string;
  /** After this the code no longer lets anyone join; null: it does not expire. */
  code_expires_at: string | null;
  capacity: number | null;
  /** The teacher's address; null once they deleted their data. */
  teacher: string | null;
  /** active, archived */
  status: Generated<string>;
  archived_at: string | null;
  /** JSON counts (learners, finished per course and programme) kept when an archived class's learners were unlinked. */
  totals: Generated<string | null>;
  created_at: string;
  updated_at: string;
}

/** A learner in a class. */
export interface ClassMembersTable {
  class_id: number;
  address: string;
  /** The name the learner chose for the class, if any: the only name the teacher sees. */
  display_name: string | null;
  /** A random reference naming the learner in the console, the CSV and the API. */
  ref: string;
  joined_at: string;
}

export interface Database {
  users: UsersTable;
  conversations: ConversationsTable;
  inbound_seen: InboundSeenTable;
  outbox: OutboxTable;
  lesson_progress: LessonProgressTable;
  quiz_results: QuizResultsTable;
  quiz_answers: QuizAnswersTable;
  review_items: ReviewItemsTable;
  learning_days: LearningDaysTable;
  jobs: JobsTable;
  nudge_settings: NudgeSettingsTable;
  referrals: ReferralsTable;
  referral_notes: ReferralNotesTable;
  referral_messages: ReferralMessagesTable;
  meetings: MeetingsTable;
  rsvps: RsvpsTable;
  staff_members: StaffMembersTable;
  news_subscriptions: NewsSubscriptionsTable;
  broadcasts: BroadcastsTable;
  broadcast_pruned: BroadcastPrunedTable;
  staff_login_codes: StaffLoginCodesTable;
  staff_sessions: StaffSessionsTable;
  audit_log: AuditLogTable;
  classes: ClassesTable;
  class_members: ClassMembersTable;
  service_overrides: ServiceOverridesTable;
  certificates: CertificatesTable;
  issuer_keys: IssuerKeysTable;
}
