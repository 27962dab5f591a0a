/**
 * The SQL of the statements every message runs (the inbound id, the person, the conversation, the
 * replies), written once: building and compiling them with Kysely's query builder on every message
 * cost more CPU than SQLite running them. Written in the SQL both databases read, with `?`
 * placeholders that Postgres gets numbered.
 */
import type { Dialect } from "./migrations/helpers.ts";

/** The SQL of the hot statements by dialect: Postgres numbers its placeholders. */
const postgresTexts = new Map<string, string>();

/**
 * The text for the dialect.
 *
 * @example
 * forDialect("select * from users where address = ?", "postgres"); // "... address = $1"
 */
export function forDialect(text: string, dialect: Dialect): string {
  if (dialect === "sqlite") return text;
  let numbered = postgresTexts.get(text);
  if (numbered === undefined) {
    let n = 0;
    numbered = text.replace(/\?/g, () => `$${++n}`);
    postgresTexts.set(text, numbered);
  }
  return numbered;
}

/** The outbox insert for `count` rows (a turn queues one to a handful). */
const outboxInserts = new Map<number, string>();

/**
 * The insert of `count` outbox rows; each row takes nine parameters: address, channel, payload,
 * not_before, created_at, updated_at, purge, lane, subject.
 *
 * @example
 * outboxInsert(2); // "insert into outbox (...) values (...), (...)"
 */
export function outboxInsert(count: number): string {
  let text = outboxInserts.get(count);
  if (text === undefined) {
    const row = `(?, ?, ?, 'queued', 0, ?, ?, ?, null, null, ?, ?, ?)`;
    text = `insert into outbox (address, channel, payload, status, attempts, not_before, created_at, updated_at,
      sent_at, error, purge, lane, subject) values ${Array.from({ length: count }, () => row).join(", ")}`;
    outboxInserts.set(count, text);
  }
  return text;
}

/** A conversation's upsert; seven parameters: address, flow id, flow version, snapshot, prompt, misses, updated_at. */
export const conversationUpsert = `insert into conversations (address, flow_id, flow_version, snapshot, prompt, misses, updated_at)
  values (?, ?, ?, ?, ?, ?, ?)
  on conflict (address) do update set flow_id = excluded.flow_id, flow_version = excluded.flow_version,
    snapshot = excluded.snapshot, prompt = excluded.prompt, misses = excluded.misses, updated_at = excluded.updated_at`;
