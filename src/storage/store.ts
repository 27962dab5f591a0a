/**
 * The storage port the engine talks to, implemented once over Kysely for both
 * SQLite and Postgres. Everything one message changes happens inside one
 * {@link Store.transaction} (its operations: `store-tx.ts`); the user's row is
 * locked first on Postgres so messages of one person are processed one at a
 * time across processes.
 */
import { type Kysely, sql } from "kysely";
import { tallyPruned } from "../broadcasts/pruned.ts";
import type { Address } from "../domain/address.ts";
import type { Outbound } from "../domain/outbound.ts";
import { type OpenDatabase, sharedTransactionLanes } from "./database.ts";
import { bindDirect } from "./direct-sqlite.ts";
import { GroupCommit } from "./group-commit.ts";
import type { Dialect } from "./migrations/helpers.ts";
import { PgBatches } from "./pg-batches.ts";
import type { Database } from "./schema.ts";
import { StoreTx } from "./store-tx.ts";

export { type ConversationRecord, type PersonalData, type RecordedMessage, StoreTx } from "./store-tx.ts";

/** An outbox row handed to a channel. */
/** How a transaction may be run. */
export interface TransactionOptions {
  /**
   * The work does nothing but read and write the database (no message sent, no file written, no
   * counter of this process moved): it may run a second time after a rollback. On Postgres such
   * works share transactions, running at the same time: a work that reads a row others may change and
   * writes by what it read takes turns on it first (`takeTurnsOn`, shared-work.ts). A batch that fails
   * is rolled back and each of its works runs again alone. On SQLite they run without a savepoint.
   */
  databaseOnly?: boolean;
  /**
   * Whose rows the work locks first (the person's address): shared transactions run their works in
   * this order, so that two processes lock people's rows in the same order.
   */
  lockKey?: string;
}

/** What the store tells its owner. */
export interface StoreOptions {
  /** A shared transaction on Postgres was rolled back and its works run again alone (for metrics and logs). */
  onSharedRollback?: (error: unknown, works: number) => void;
}

export interface OutboxItem {
  id: number;
  address: Address;
  outbound: Outbound;
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

  /** Postgres: works that touch only the database, waiting at the same time, share a transaction. */
  private readonly batches: PgBatches | undefined;

  constructor(
    private readonly open: OpenDatabase,
    options: StoreOptions = {},
  ) {
    this.commits = open.sqlite ? new GroupCommit(open.db, open.sqlite) : undefined;
    this.batches = open.pipelined
      ? new PgBatches(open.db, open.pipelined, options.onSharedRollback, undefined, sharedTransactionLanes)
      : undefined;
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
   * another transaction (nor a query on `db` outside it): it would wait for its own COMMIT. On
   * Postgres so do works marked `databaseOnly` (see `PgBatches`).
   *
   * @example
   * await store.transaction((tx) => engine.process(tx, inbound), { databaseOnly: true });
   */
  async transaction<T>(work: (tx: StoreTx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
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
      ? await this.commits.run(inTransaction, options.databaseOnly === true)
      : options.databaseOnly && this.batches
        ? await this.batches.run(inTransaction, options.lockKey)
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
