/** The tables of teachers' classes and their learners. (See `../schema.ts` for how times and booleans are stored.) */
import type { Generated } from "kysely";

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
