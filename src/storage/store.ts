/**
 * The storage port the engine talks to, implemented once over Kysely for both
 * SQLite and Postgres. Everything one message changes happens inside one
 * {@link Store.transaction}; the user's row is locked first on Postgres so
 * messages of one person are processed one at a time across processes.
 */
import { CompiledQuery, type Kysely, type QueryResult, sql, type Transaction } from "kysely";
import { tallyPruned } from "../broadcasts/pruned.ts";
import type { Address } from "../domain/address.ts";
import { LotseError } from "../domain/errors.ts";
import type { Outbound } from "../domain/outbound.ts";
import type { User, UserPatch } from "../domain/user.ts";
import { laneOf } from "../outbox/lanes.ts";
import type { OpenDatabase } from "./database.ts";
import { bindDirect, type DirectRun, directFor } from "./direct-sqlite.ts";
import { GroupCommit } from "./group-commit.ts";
import { conversationUpsert, forDialect, outboxInsert, recordMessagePostgres } from "./hot-sql.ts";
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

/** An outbox row handed to a channel. */
export interface OutboxItem {
  id: number;
  address: Address;
  outbound: Outbound;
}

/** Everything stored about one address, for "my data". */
export interface PersonalData {
  user: User | undefined;
  /** Rows per table, for every registered personal table. */
  counts: Record<string, number>;
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
      const user = await this.touchUser(address, timeZone, now);
      return { user, conversation: await this.getConversation(address) };
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
    const values: Partial<UsersTable> = { updated_at: now.toISOString() };
    if (patch.language !== undefined) values.language = patch.language;
    if (patch.secondLanguage !== undefined) values.second_language = patch.secondLanguage;
    if (patch.city !== undefined) values.city = patch.city;
    if (patch.timeZone !== undefined) values.time_zone = patch.timeZone;
    if (patch.consent !== undefined) values.consent = patch.consent;
    if (patch.status !== undefined) values.status = patch.status;
    if (patch.lastInboundAt !== undefined) values.last_inbound_at = patch.lastInboundAt.toISOString();
    await this.db.updateTable("users").set(values).where("address", "=", address).execute();
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
      parameters.push(address, channel, JSON.stringify(message), at, at, at, purge ? 1 : 0, laneOf(message.purpose));
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

/**
 * The storage port over an open database.
 *
 * @example
 * const store = new Store(await openDatabase({ sqlitePath: ":memory:" }));
 * await store.transaction((tx) => tx.recordInbound("m1", new Date()));
 */
export class Store {
  private readonly enqueueListeners = new Set<() => void>();

  /** SQLite: transactions waiting at the same time commit together. */
  private readonly commits: GroupCommit | undefined;

  constructor(private readonly open: OpenDatabase) {
    this.commits = open.sqlite ? new GroupCommit(open.db, open.sqlite) : undefined;
  }

  /**
   * Calls `listener` after a transaction that queued outbox rows has committed, so this process's
   * sender looks at once instead of at its next poll. Returns the unsubscribe function.
   */
  onEnqueued(listener: () => void): () => void {
    this.enqueueListeners.add(listener);
    return () => this.enqueueListeners.delete(listener);
  }

  get db(): Kysely<Database> {
    return this.open.db;
  }

  get dialect(): Dialect {
    return this.open.dialect;
  }

  /**
   * Runs `work` in one transaction: all of it is stored, or none of it. On SQLite the transactions
   * waiting at the same time share one COMMIT (see `GroupCommit`), so a work must never wait for
   * another transaction (nor a query on `db` outside it): it would wait for its own COMMIT.
   */
  async transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    let queued = 0;
    const inTransaction = async (trx: Kysely<Database>) => {
      // The batch holds the connection: its statements may run straight on SQLite (`direct-sqlite.ts`).
      if (this.commits && this.open.direct) bindDirect(trx, this.open.direct);
      const tx = new StoreTx(trx, this.open.dialect);
      const value = await work(tx);
      queued = tx.enqueued;
      return value;
    };
    const result = this.commits
      ? await this.commits.run(inTransaction)
      : await this.open.db.transaction().execute(inTransaction);
    if (queued > 0) for (const listener of this.enqueueListeners) listener();
    return result;
  }

  /** Operations outside a transaction, for reads. */
  get reader(): StoreTx {
    return new StoreTx(this.open.db, this.open.dialect);
  }

  /**
   * Takes the queued messages of one address in order and marks them sent: how
   * pull channels (the terminal and web chats) receive what the engine wrote.
   */
  async takeOutboxFor(address: Address, now: Date): Promise<OutboxItem[]> {
    return this.transaction(async (tx) => {
      const rows = await tx.db
        .selectFrom("outbox")
        .select(["id", "payload", "purge"])
        .where("address", "=", address)
        .where("status", "=", "queued")
        .orderBy("id")
        .execute();
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      const purge = rows.filter((r) => Number(r.purge) === 1).map((r) => r.id);
      if (purge.length > 0) await tx.db.deleteFrom("outbox").where("id", "in", purge).execute();
      await tx.db
        .updateTable("outbox")
        .set({ status: "sent", sent_at: now.toISOString(), updated_at: now.toISOString() })
        .where("id", "in", ids)
        .execute();
      return rows.map((r) => ({ id: Number(r.id), address, outbound: JSON.parse(r.payload) as Outbound }));
    });
  }

  /**
   * Records a platform's delivery status for a sent message (`delivered`,
   * `read`, `failed`). A status never goes backwards: a late "delivered" does
   * not undo "read".
   */
  async recordDeliveryStatus(
    platformId: string,
    status: "delivered" | "read" | "failed",
    at: Date,
    error?: string,
  ): Promise<boolean> {
    const earlier = { delivered: ["sent"], read: ["sent", "delivered"], failed: ["sent", "delivered"] }[status];
    const result = await this.open.db
      .updateTable("outbox")
      .set({ status, updated_at: at.toISOString(), ...(error ? { error: error.slice(0, 500) } : {}) })
      .where("platform_id", "=", platformId)
      .where("status", "in", earlier)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Deletes inbound ids older than `before`; they only guard against retries, which stop after days. */
  async pruneInbound(before: Date): Promise<number> {
    const result = await this.open.db
      .deleteFrom("inbound_seen")
      .where("seen_at", "<", before.toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * Deletes messages delivered (or given up) before `before`; queued ones are
   * never touched. A broadcast's rows are first added to its pruned counts, in
   * the same transaction, so its figures stay what they were.
   */
  async pruneOutbox(before: Date): Promise<number> {
    const until = before.toISOString();
    // Pruned by their last status; a row still "sending" after all this time was never confirmed: failed.
    const tally = sql`sum(case when status = 'sent' then 1 else 0 end) as sent,
      sum(case when status = 'delivered' then 1 else 0 end) as delivered,
      sum(case when status = 'read' then 1 else 0 end) as read,
      sum(case when status not in ('sent', 'delivered', 'read') then 1 else 0 end) as failed`;
    const add = sql`pruned_sent = pruned_sent + gone.sent, pruned_delivered = pruned_delivered + gone.delivered,
      pruned_read = pruned_read + gone.read, pruned_failed = pruned_failed + gone.failed`;
    if (this.open.dialect === "postgres") {
      // One statement: the counted rows are exactly the deleted ones, even if a status changes meanwhile.
      const result = await sql<{ n: string }>`with deleted as (
          delete from outbox where status <> 'queued' and updated_at < ${until}
          returning broadcast_id, status, channel, error
        ), detailed as (
          ${tallyPruned(sql`deleted`)} returning 1
        ), gone as (
          select broadcast_id, ${tally} from deleted where broadcast_id is not null group by broadcast_id
        ), counted as (
          update broadcasts set ${add} from gone where broadcasts.id = gone.broadcast_id returning broadcasts.id
        )
        select (select count(*) from deleted) as n`.execute(this.open.db);
      return Number(result.rows[0]?.n ?? 0);
    }
    // SQLite: one writer at a time, so counting then deleting in one transaction sees the same rows.
    return this.transaction(async (tx) => {
      await tallyPruned(
        sql`(select * from outbox where status <> 'queued' and updated_at < ${until}) as pruning`,
      ).execute(tx.db);
      await sql`update broadcasts set ${add}
        from (select broadcast_id, ${tally} from outbox
              where status <> 'queued' and updated_at < ${until} and broadcast_id is not null
              group by broadcast_id) as gone
        where broadcasts.id = gone.broadcast_id`.execute(tx.db);
      const result = await tx.db
        .deleteFrom("outbox")
        .where("status", "!=", "queued")
        .where("updated_at", "<", until)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  /** Checks the database answers, for the health check. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.open.db);
  }

  close(): Promise<void> {
    return this.open.close();
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
