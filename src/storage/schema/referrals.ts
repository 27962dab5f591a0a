/** The return-counselling tables: a referral, the counsellor's notes and the messages passed through Lotse. (See `../schema.ts` for how times and booleans are stored.) */
import type { Generated } from "kysely";

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
