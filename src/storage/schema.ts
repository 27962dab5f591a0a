/**
 * The database tables as Kysely sees them. Times are ISO 8601 strings in UTC
 * (`Date#toISOString`), which sort correctly as text in both SQLite and
 * Postgres, so one query works on both. Booleans are 0 and 1. The core tables
 * (people, conversations, the outbox, jobs) are here, each feature's in `schema/`.
 */
import type { Generated } from "kysely";
import type { ClassesTable, ClassMembersTable } from "./schema/classes.ts";
import type {
  CertificatesTable,
  IssuerKeysTable,
  LearningDaysTable,
  LessonProgressTable,
  NudgeSettingsTable,
  QuizAnswersTable,
  QuizResultsTable,
  ReviewItemsTable,
} from "./schema/learning.ts";
import type {
  BroadcastPrunedTable,
  BroadcastsTable,
  MeetingsTable,
  NewsSubscriptionsTable,
  RsvpsTable,
} from "./schema/outreach.ts";
import type { ReferralMessagesTable, ReferralNotesTable, ReferralsTable } from "./schema/referrals.ts";
import type {
  AuditLogTable,
  ServiceOverridesTable,
  StaffLoginCodesTable,
  StaffMembersTable,
  StaffSessionsTable,
} from "./schema/staff.ts";

// Every table's row type, from here as before the feature tables had files of their own.
export type * from "./schema/classes.ts";
export type * from "./schema/learning.ts";
export type * from "./schema/outreach.ts";
export type * from "./schema/referrals.ts";
export type * from "./schema/staff.ts";

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

/** All tables. */
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
