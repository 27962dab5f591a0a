/**
 * Versioned migrations, applied in order at start. A migration is never
 * edited once released: a change is a new file with the next number.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import { LotseError } from "../../domain/errors.ts";
import * as foundation from "./001-foundation.ts";
import * as learning from "./002-learning.ts";
import * as scheduler from "./003-scheduler.ts";
import * as outboxDelivery from "./004-outbox-delivery.ts";
import * as referrals from "./005-referrals.ts";
import * as meetings from "./006-meetings.ts";
import * as secondLanguage from "./007-second-language.ts";
import * as outboxLanes from "./008-outbox-lanes.ts";
import * as broadcastCounts from "./009-broadcast-counts.ts";
import * as schedulerClaim from "./010-scheduler-claim.ts";
import * as outboxSubject from "./011-outbox-subject.ts";
import * as referralInbox from "./012-referral-inbox.ts";
import * as meetingAttendance from "./013-meeting-attendance.ts";
import * as broadcastConsole from "./014-broadcast-console.ts";
import * as quizAnswersResearch from "./015-quiz-answers-research.ts";
import * as staffConsole from "./016-staff-console.ts";
import * as auditSubject from "./017-audit-subject.ts";
import * as classes from "./018-classes.ts";
import * as outboxPartialIndexes from "./019-outbox-partial-indexes.ts";
import * as serviceOverrides from "./020-service-overrides.ts";
import * as certificates from "./021-certificates.ts";
import * as outboxFewerIndexes from "./022-outbox-fewer-indexes.ts";
import type { Dialect } from "./helpers.ts";

type DialectMigration = { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> };

/** Every migration by name; names sort in the order they apply. */
const all: Record<string, DialectMigration> = {
  "001-foundation": foundation,
  "002-learning": learning,
  "003-scheduler": scheduler,
  "004-outbox-delivery": outboxDelivery,
  "005-referrals": referrals,
  "006-meetings": meetings,
  "007-second-language": secondLanguage,
  "008-outbox-lanes": outboxLanes,
  "009-broadcast-counts": broadcastCounts,
  "010-scheduler-claim": schedulerClaim,
  "011-outbox-subject": outboxSubject,
  "012-referral-inbox": referralInbox,
  "013-meeting-attendance": meetingAttendance,
  "014-broadcast-console": broadcastConsole,
  "015-quiz-answers-research": quizAnswersResearch,
  "016-staff-console": staffConsole,
  "017-audit-subject": auditSubject,
  "018-classes": classes,
  "019-outbox-partial-indexes": outboxPartialIndexes,
  "020-service-overrides": serviceOverrides,
  "021-certificates": certificates,
  "022-outbox-fewer-indexes": outboxFewerIndexes,
};

function provider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const entries = Object.entries(all);
      return Object.fromEntries(
        entries.map(([name, m]): [string, Migration] => [name, { up: (db) => m.up(db, dialect) }]),
      );
    },
  };
}

/**
 * Brings the database to the newest schema; throws `storage.failed` with the failing migration named.
 *
 * @example
 * await migrateToLatest(db, "sqlite");
 * await migrateToLatest(db, "postgres", "lotse");
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, schema?: string): Promise<string[]> {
  // On Postgres the migrator must look for its own tables in our schema only, or it may find
  // another schema's (a parallel test run, another app) and skip creating them here.
  const migrator = new Migrator({
    db,
    provider: provider(dialect),
    ...(dialect === "postgres" ? { migrationTableSchema: schema ?? "public" } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    // No failed migration: the migrator could not reach the database at all (closed port, unknown host or
    // database, wrong password); the cause says which.
    const what = failed ? `migration ${failed.migrationName} failed` : "cannot reach the database to migrate it";
    throw new LotseError("storage.failed", `${what}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
