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

/** The update of a user's columns, by the columns' names joined (a flow changes one to four at a time). */
const userUpdates = new Map<string, string>();

/**
 * The update of these columns of one user; the parameters are their values in this order, then the
 * address. The names come from the code (the users table's columns), never from input.
 *
 * @example
 * userUpdate(["updated_at", "language"]); // "update users set updated_at = ?, language = ? where address = ?"
 */
export function userUpdate(columns: readonly string[]): string {
  const key = columns.join(",");
  let text = userUpdates.get(key);
  if (text === undefined) {
    text = `update users set ${columns.map((column) => `${column} = ?`).join(", ")} where address = ?`;
    userUpdates.set(key, text);
  }
  return text;
}

/** A conversation's upsert; seven parameters: address, flow id, flow version, snapshot, prompt, misses, updated_at. */
export const conversationUpsert = `insert into conversations (address, flow_id, flow_version, snapshot, prompt, misses, updated_at)
  values (?, ?, ?, ?, ?, ?, ?)
  on conflict (address) do update set flow_id = excluded.flow_id, flow_version = excluded.flow_version,
    snapshot = excluded.snapshot, prompt = excluded.prompt, misses = excluded.misses, updated_at = excluded.updated_at`;

/**
 * SQLite: a person's row and their conversation in one read; one parameter, the address. No row when
 * the person is new.
 */
export const personWithConversation = `select u.*, c.flow_id as talk_flow_id, c.flow_version as talk_flow_version,
    c.snapshot as talk_snapshot, c.prompt as talk_prompt, c.misses as talk_misses, c.updated_at as talk_updated_at
  from users u left join conversations c on c.address = u.address
  where u.address = ?`;

/**
 * Postgres: a new message recorded in one statement, with the person's conversation read under a row
 * lock; parameters: message id, seen at, address, time zone, created, updated, last inbound.
 *
 * Nothing comes back for a message id seen before. The conversation is read `for update` and only
 * after the person's row is locked (its join waits for the upsert's row): a conversation another
 * transaction changed meanwhile is read as that transaction left it (Postgres re-reads a row it had
 * to wait for), not as the statement's snapshot had it. A conversation inserted by a transaction that
 * committed while this one waited is not seen at all: an absent one is read again (`talk_flow_id` null).
 */
export const recordMessagePostgres = `with seen as (
    insert into inbound_seen (id, seen_at) values (?, ?) on conflict (id) do nothing returning id
  ), person as (
    insert into users (address, language, city, time_zone, consent, status, created_at, updated_at, last_inbound_at)
    select ?, null, null, ?, 'pending', 'active', ?, ?, ? where exists (select 1 from seen)
    on conflict (address) do update set updated_at = excluded.updated_at, last_inbound_at = excluded.last_inbound_at
    returning *
  ), talk as (
    select c.flow_id, c.flow_version, c.snapshot, c.prompt, c.misses, c.updated_at
    from conversations c join person on c.address = person.address
    for update of c
  )
  select person.*, talk.flow_id as talk_flow_id, talk.flow_version as talk_flow_version,
    talk.snapshot as talk_snapshot, talk.prompt as talk_prompt, talk.misses as talk_misses,
    talk.updated_at as talk_updated_at
  from person left join talk on true`;
