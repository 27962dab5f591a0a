/**
 * What one transaction can do with the core tables: record a message and the person's row, read and
 * save their conversation, queue replies, and find or erase everything stored about an address. The
 * statements every message runs are written as SQL once (`hot-sql.ts`); inside a group-commit batch on
 * SQLite they run straight on the database (`direct-sqlite.ts`).
 */
import { CompiledQuery, type Kysely, type QueryResult, sql, type Transaction } from "kysely";
import type { Address } from "../domain/address.ts";
import { LotseError } from "../domain/errors.ts";
import type { Outbound } from "../domain/outbound.ts";
import type { User, UserPatch } from "../domain/user.ts";
import { laneOf } from "../outbox/lanes.ts";
import { type DirectRun, directFor } from "./direct-sqlite.ts";
import {
  conversationUpsert,
  forDialect,
  outboxInsert,
  personWithConversation,
  recordMessagePostgres,
  userUpdate,
} from "./hot-sql.ts";
import type { Dialect } from "./migrations/helpers.ts";
import { personalKey, personalTables } from "./personal-data.ts";
import type { ConversationsTable, Database, UsersTable } from "./schema.ts";

/** The saved state of a person's current flow. */
export interface ConversationRecord {
  address: Address;
  flowId: string;
  flowVersion: number;
  snapshot: string;
  prompt: string | null;
  misses: number;
  /** When the conversation last moved (read only; set on save). */
  updatedAt?: Date;
}

/** A new message recorded: the person (their row locked until the transaction ends) and where they are. */
export interface RecordedMessage {
  user: User;
  /** Their conversation as it stands, none when they are in no flow. */
  conversation: ConversationRecord | undefined;
}

/** The Postgres row of {@link recordMessagePostgres}: the person's columns and the conversation's. */
type RecordedRow = UsersTable & {
  talk_flow_id: string | null;
  talk_flow_version: number | null;
  talk_snapshot: string | null;
  talk_prompt: string | null;
  talk_misses: number | null;
  talk_updated_at: string | null;
};

/**
 * How far a person's stored `last_inbound_at` may lag their latest message on SQLite (see
 * `StoreTx.readPersonSqlite`): a minute. What reads it asks whether someone wrote in the last 24 hours
 * (WhatsApp's window: it closes at most a minute early, and a template is sent instead of free text)
 * or in the last days (statistics, nudges).
 */
export const lastInboundResolutionMs = 60_000;

/** Everything stored about one address, for "my data". */
export interface PersonalData {
  user: User | undefined;
  /** Rows per table, for every registered personal table. */
  counts: Record<string, number>;
}

/** The stored text of frozen messages (see {@link payloadOf}). */
let payloads = new WeakMap<Outbound, string>();

/**
 * Forgets the stored texts of shared messages (after "delete my data": nothing of a person stays in
 * this process's memory).
 *
 * @example
 * forgetPayloads();
 */
export function forgetPayloads(): void {
  payloads = new WeakMap();
}

/**
 * A message's stored text. A frozen one is a message many people are sent (the renderer shares the
 * message of a page everyone reads, src/engine/render.ts): its text is made once.
 */
function payloadOf(message: Outbound): string {
  let text = payloads.get(message);
  if (text === undefined) {
    text = JSON.stringify(message);
    if (Object.isFrozen(message)) payloads.set(message, text);
  }
  return text;
}

function conversationParameters(record: ConversationRecord, now: Date): unknown[] {
  return [
    record.address,
    record.flowId,
    record.flowVersion,
    record.snapshot,
    record.prompt,
    record.misses,
    now.toISOString(),
  ];
}

/** The operations available inside one transaction. */
export class StoreTx {
  /** Rows this transaction queued; the store tells the sender once they are committed. */
  enqueued = 0;
  /** Inside a group-commit batch on SQLite: runs the hot statements straight on the database. */
  private readonly direct: DirectRun | undefined;

  constructor(
    /** The transaction, for features' own repositories. */
    readonly db: Transaction<Database> | Kysely<Database>,
    readonly dialect: Dialect,
  ) {
    this.direct = directFor(db);
  }

  /** Records an inbound message id; false if it was seen before (a retried webhook). */
  async recordInbound(id: string, now: Date): Promise<boolean> {
    const result = await this.hot(`insert into inbound_seen (id, seen_at) values (?, ?) on conflict (id) do nothing`, [
      id,
      now.toISOString(),
    ]);
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  /** Loads the user, creating them first if new, and locks the row until the transaction ends. */
  async lockUser(address: Address, timeZone: string, now: Date): Promise<User> {
    const at = now.toISOString();
    await this.db
      .insertInto("users")
      .values({
        address,
        language: null,
        city: null,
        time_zone: timeZone,
        consent: "pending",
        status: "active",
        created_at: at,
        updated_at: at,
        last_inbound_at: null,
      })
      .onConflict((oc) => oc.column("address").doNothing())
      .execute();
    let query = this.db.selectFrom("users").selectAll().where("address", "=", address);
    if (this.dialect === "postgres") query = query.forUpdate();
    return toUser(await query.executeTakeFirstOrThrow());
  }

  /**
   * Records a new message: its id (for deduplication) and the person's row as {@link touchUser} does,
   * and reads their conversation. Undefined, with nothing changed, when the id was seen before (a
   * retried webhook). On Postgres one statement does all three: two round trips less on every message.
   */
  async recordMessage(id: string, address: Address, timeZone: string, now: Date): Promise<RecordedMessage | undefined> {
    if (this.dialect === "sqlite") {
      if (!(await this.recordInbound(id, now))) return undefined;
      return this.readPersonSqlite(address, timeZone, now);
    }
    const at = now.toISOString();
    const { rows } = await this.hot<RecordedRow>(recordMessagePostgres, [id, at, address, timeZone, at, at, at]);
    const row = rows[0];
    if (!row) return undefined;
    // None found may be one a transaction we waited for has just inserted (see recordMessagePostgres):
    // read again, now that the person's row is ours.
    const conversation = row.talk_flow_id === null ? await this.getConversation(address) : conversationOf(address, row);
    return { user: toUser(row), conversation };
  }

  /**
   * SQLite: the person and their conversation in one read, and `last_inbound_at` written only when the
   * stored one is {@link lastInboundResolutionMs} or more away from `now`. Rewriting the person's row
   * on every message was the costliest statement of the message path (an upsert that rewrites the row
   * and returns it); a person in a lesson writes every few seconds. No row lock is needed: a
   * group-commit batch holds SQLite's one write lock from its first statement (the inbound id) on.
   */
  private async readPersonSqlite(address: Address, timeZone: string, now: Date): Promise<RecordedMessage> {
    const { rows } = await this.hot<RecordedRow>(personWithConversation, [address]);
    const row = rows[0];
    if (!row) {
      return { user: await this.touchUser(address, timeZone, now), conversation: await this.getConversation(address) };
    }
    const stored = row.last_inbound_at === null ? Number.NaN : Date.parse(row.last_inbound_at);
    if (!(Math.abs(now.getTime() - stored) < lastInboundResolutionMs)) {
      const at = now.toISOString();
      await this.hot(userUpdate(["updated_at", "last_inbound_at"]), [at, at, address]);
    }
    const conversation = row.talk_flow_id === null ? undefined : conversationOf(address, row);
    return { user: { ...toUser(row), lastInboundAt: now }, conversation };
  }

  /**
   * Records a message from the person: loads the user (creating them first if new) with
   * `last_inbound_at` set to `now`, in one statement, and locks the row until the transaction ends
   * (an upsert that updates takes the row lock on Postgres, as `select ... for update` would).
   */
  async touchUser(address: Address, timeZone: string, now: Date): Promise<User> {
    const at = now.toISOString();
    const { rows } = await this.hot<UsersTable>(
      `insert into users (address, language, city, time_zone, consent, status, created_at, updated_at, last_inbound_at)
       values (?, null, null, ?, 'pending', 'active', ?, ?, ?)
       on conflict (address) do update set updated_at = excluded.updated_at, last_inbound_at = excluded.last_inbound_at
       returning *`,
      [address, timeZone, at, at, at],
    );
    const row = rows[0];
    if (!row) throw new LotseError("storage.failed", "the user upsert returned no row");
    return toUser(row);
  }

  /** The user, if stored. */
  async getUser(address: Address): Promise<User | undefined> {
    const row = await this.db.selectFrom("users").selectAll().where("address", "=", address).executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  /** Applies a flow's or the engine's change to the user. */
  async updateUser(address: Address, patch: UserPatch & { lastInboundAt?: Date }, now: Date): Promise<void> {
    const columns: (keyof UsersTable)[] = ["updated_at"];
    const values: unknown[] = [now.toISOString()];
    const set = (column: keyof UsersTable, value: unknown) => {
      if (value === undefined) return;
      columns.push(column);
      values.push(value);
    };
    set("language", patch.language);
    set("second_language", patch.secondLanguage);
    set("city", patch.city);
    set("time_zone", patch.timeZone);
    set("consent", patch.consent);
    set("status", patch.status);
    set("last_inbound_at", patch.lastInboundAt?.toISOString());
    await this.hot(userUpdate(columns), [...values, address]);
  }

  async getConversation(address: Address): Promise<ConversationRecord | undefined> {
    const { rows } = await this.hot<ConversationsTable>(`select * from conversations where address = ?`, [address]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      address,
      flowId: row.flow_id,
      flowVersion: Number(row.flow_version),
      snapshot: row.snapshot,
      prompt: row.prompt,
      misses: Number(row.misses),
      updatedAt: new Date(row.updated_at),
    };
  }

  async saveConversation(record: ConversationRecord, now: Date): Promise<void> {
    await this.hot(conversationUpsert, conversationParameters(record, now));
  }

  /**
   * The end of a turn: the conversation saved and the replies queued. On Postgres one statement does
   * both (a round trip less on every message, each a tenth of a message's CPU there).
   */
  async saveTurn(
    conversation: ConversationRecord | undefined,
    address: Address,
    messages: readonly { message: Outbound; purge: boolean }[],
    now: Date,
  ): Promise<void> {
    if (this.dialect === "postgres" && conversation && messages.length > 0) {
      const outbox = this.outboxRows(address, messages, now);
      await this.hot(`with saved as (${conversationUpsert} returning 1) ${outboxInsert(messages.length)}`, [
        ...conversationParameters(conversation, now),
        ...outbox,
      ]);
      return;
    }
    if (conversation) await this.saveConversation(conversation, now);
    await this.enqueueEach(address, messages, now);
  }

  async deleteConversation(address: Address): Promise<void> {
    await this.db.deleteFrom("conversations").where("address", "=", address).execute();
  }

  /**
   * Queues replies in order. `purge` rows are deleted once delivered (a goodbye after erasure).
   * `subject` is the address of the person a message to someone else is about (a referral's notice
   * to a counsellor): that person's "delete my data" deletes it too.
   */
  async enqueue(
    address: Address,
    messages: Outbound[],
    now: Date,
    options: { purge?: boolean; subject?: Address } = {},
  ): Promise<void> {
    await this.enqueueEach(
      address,
      messages.map((message) => ({ message, purge: options.purge === true })),
      now,
      options.subject,
    );
  }

  /** Queues replies in order in one statement, each with its own `purge` (see {@link StoreTx.enqueue}). */
  async enqueueEach(
    address: Address,
    messages: readonly { message: Outbound; purge: boolean }[],
    now: Date,
    subject?: Address,
  ): Promise<void> {
    if (messages.length === 0) return;
    await this.hot(outboxInsert(messages.length), this.outboxRows(address, messages, now, subject));
  }

  /** The parameters of outbox rows (see `outboxInsert`), counted as queued by this transaction. */
  private outboxRows(
    address: Address,
    messages: readonly { message: Outbound; purge: boolean }[],
    now: Date,
    subject?: Address,
  ): unknown[] {
    this.enqueued += messages.length;
    const at = now.toISOString();
    const channel = address.slice(0, address.indexOf(":"));
    const parameters: unknown[] = [];
    for (const { message, purge } of messages) {
      parameters.push(address, channel, payloadOf(message), at, at, at, purge ? 1 : 0, laneOf(message.purpose));
      parameters.push(subject ?? null);
    }
    return parameters;
  }

  /**
   * Runs one of the statements every message runs, written as SQL once: building and compiling them
   * with the query builder each time cost more than running them. `?` placeholders, numbered for Postgres.
   */
  private async hot<Row>(text: string, parameters: readonly unknown[]): Promise<QueryResult<Row>> {
    if (this.direct) return this.direct<Row>(text, parameters);
    return this.db.executeQuery<Row>(CompiledQuery.raw(forDialect(text, this.dialect), [...parameters]));
  }

  /** Counts every registered personal table's rows for this address. */
  async exportData(address: Address): Promise<PersonalData> {
    const counts: Record<string, number> = {};
    for (const entry of personalTables()) {
      const { table, column } = entry;
      const row = await sql<{
        n: number | string;
      }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${address}`.execute(this.db);
      counts[personalKey(entry)] = Number(row.rows[0]?.n ?? 0);
    }
    return { user: await this.getUser(address), counts };
  }

  /** Deletes every row of this address from every registered personal table (or clears the column). */
  async eraseAddress(address: Address): Promise<void> {
    for (const { table, column, erase } of personalTables()) {
      if (erase === "clear") {
        await sql`update ${sql.table(table)} set ${sql.ref(column)} = null where ${sql.ref(column)} = ${address}`.execute(
          this.db,
        );
      } else {
        await sql`delete from ${sql.table(table)} where ${sql.ref(column)} = ${address}`.execute(this.db);
      }
    }
  }
}

/** The conversation columns of a {@link RecordedRow} (present: `talk_flow_id` is not null). */
function conversationOf(address: Address, row: RecordedRow): ConversationRecord {
  return {
    address,
    flowId: row.talk_flow_id as string,
    flowVersion: Number(row.talk_flow_version),
    snapshot: row.talk_snapshot as string,
    prompt: row.talk_prompt,
    misses: Number(row.talk_misses),
    updatedAt: new Date(row.talk_updated_at as string),
  };
}

function toUser(row: UsersTable): User {
  return {
    address: row.address as Address,
    language: row.language,
    secondLanguage: row.second_language ?? null,
    city: row.city,
    timeZone: row.time_zone,
    consent: row.consent as User["consent"],
    status: row.status as User["status"],
    createdAt: new Date(row.created_at),
    lastInboundAt: row.last_inbound_at ? new Date(row.last_inbound_at) : null,
  };
}
