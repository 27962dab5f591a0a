/**
 * Postgres connections in pipeline mode, each lent whole to one shared transaction (`PgBatches`).
 *
 * A statement's round trip costs this process about 40 microseconds of CPU, most of it the system
 * calls that send the statement and read its answer, and a message's turn runs about five. The works
 * of a shared transaction belong to different people and do not wait for each other, so they run at
 * the same time; on a connection in pipeline mode (pg's `pipeline` option) their statements go out
 * without waiting for the answers to those before, and the answers come back together: the same
 * statements for about half the CPU (measured: 39 against 18 microseconds a statement, 50 works of
 * five statements each).
 *
 * Kysely's own way to hold one connection (`db.connection()`) sends one statement at a time, so each
 * lending gets a Kysely instance of its own whose every query goes to that one client. It also closes
 * the door behind a batch: a statement a work sends after its batch ended (a branch it did not await)
 * is refused instead of running outside any transaction, or in the next batch on the same connection.
 */
import type { Writable } from "node:stream";
import { Kysely, type Logger, type PostgresPool, type PostgresPoolClient } from "kysely";
import pg from "pg";
import { LotseError } from "../domain/errors.ts";
import { PostgresDialectKeepingCause } from "./rollback-keeps-cause.ts";
import type { Database } from "./schema.ts";

/** One pipelined connection, lent to one shared transaction. */
export interface LentConnection {
  /**
   * The works' Kysely: every query goes to the lent connection, without waiting for the ones before,
   * until {@link closeWorks}. It carries no plugins (`asSharedWork` relies on it).
   */
  db: Kysely<Database>;
  /** The batch has ended: statements sent through `db` from now on are refused (`storage.failed`). */
  closeWorks(): void;
  /** The connection's own Kysely, never closed: the transaction's BEGIN, COMMIT and ROLLBACK. */
  control: Kysely<Database>;
  /** Gives the connection back; `broken` (a failed ROLLBACK) closes it instead. */
  giveBack(broken?: boolean): void;
}

/** Where the pipelined connections come from. */
export interface PipelinedConnections {
  /** A connection of its own for one shared transaction; waits while all are lent. */
  lend(): Promise<LentConnection>;
  /** Closes every connection (after the last transaction was given back). */
  end(): Promise<void>;
}

/** What a pipelined pool needs to reach the database as the main pool does. */
export interface PipelinedOptions {
  url: string;
  /** The `-c search_path=...` option, when a schema was given. */
  options?: string | undefined;
  /** Connections at most: one per lane of `PgBatches`. */
  max: number;
  /** Kysely's log hook (failed queries reach the database errors metric from here too). */
  log: Logger;
  /** Told when an idle connection drops; the pool replaces it. */
  onConnectionLost?: ((error: Error) => void) | undefined;
}

/**
 * A pool of pipelined connections.
 *
 * @example
 * const pipelined = pipelinedConnections({ url, max: 2, log });
 * const lent = await pipelined.lend();
 * await Promise.all([a(lent.db), b(lent.db)]); // a's and b's statements share round trips
 * lent.giveBack();
 */
export function pipelinedConnections(options: PipelinedOptions): PipelinedConnections {
  // `pipeline` is pg's (8.23); its type declarations do not list it yet.
  const config: pg.PoolConfig & { pipeline: boolean } = {
    connectionString: options.url,
    max: options.max,
    pipeline: true,
    ...(options.options ? { options: options.options } : {}),
  };
  const pool = new pg.Pool(config);
  pool.on("error", (error) => options.onConnectionLost?.(error));
  pool.on("connect", keepAliveOnError);
  /** Per connection, made once as the pool keeps its connections: its own Kysely and its write gathering. */
  const made = new WeakMap<pg.PoolClient, { control: Kysely<Database>; gather: () => void }>();
  const kyselyOver = (pool: PostgresPool) =>
    new Kysely<Database>({ dialect: new PostgresDialectKeepingCause({ pool }), log: options.log });
  return {
    async lend() {
      const client = await pool.connect();
      let own = made.get(client);
      if (own === undefined) {
        const gather = writesOfATickTogether(client);
        own = { control: kyselyOver(onlyThis(client, gather, { open: true })), gather };
        made.set(client, own);
      }
      const door = { open: true };
      return {
        db: kyselyOver(onlyThis(client, own.gather, door)),
        closeWorks: () => {
          door.open = false;
        },
        control: own.control,
        giveBack: (broken = false) => client.release(broken),
      };
    },
    end: () => pool.end(),
  };
}

/**
 * A "pool" that always hands out the one client, never giving it back: Kysely acquires a connection
 * for each query and releases it after, and the lent client must stay lent until the transaction ends.
 * Once `door` is closed its statements are refused.
 */
function onlyThis(client: pg.PoolClient, gather: () => void, door: { open: boolean }): PostgresPool {
  const query = client.query.bind(client) as PostgresPoolClient["query"];
  const pinned: PostgresPoolClient = {
    query: ((...args: Parameters<typeof query>) => {
      // A work's statement after its batch's COMMIT or ROLLBACK would run outside any transaction.
      if (!door.open) throw new LotseError("storage.failed", "a statement came after its shared transaction had ended");
      gather();
      return query(...args);
    }) as PostgresPoolClient["query"],
    release: () => undefined,
  };
  return { connect: async () => pinned, end: async () => undefined };
}

/**
 * Holds the connection's writes from the first statement of a tick until the tick ends, so that the
 * statements the works send at the same time leave in one system call. pg writes each statement on
 * its own (it corks and uncorks the socket around the statement's messages): in the Postgres quiz
 * bench these `writev` calls were 13% of the main thread's CPU.
 */
function writesOfATickTogether(client: pg.PoolClient): () => void {
  // pg's socket is not in its type declarations; without one (another pg), statements go out one by one.
  const stream = (client as unknown as { connection?: { stream?: Partial<Writable> } }).connection?.stream;
  if (typeof stream?.cork !== "function" || typeof stream.uncork !== "function") return () => undefined;
  let held = false;
  const release = () => {
    held = false;
    stream.uncork?.();
  };
  return () => {
    if (held) return;
    held = true;
    stream.cork?.();
    process.nextTick(release);
  };
}

/**
 * A connection that drops while lent out (Postgres restarted under a running turn) emits `error` with
 * no listener of the pool's on it, which ends the process. Its query fails with the same error and
 * the pool drops it when it comes back: nothing more to do here. (Idle ones are the pool's `error`.)
 *
 * @example
 * pool.on("connect", keepAliveOnError);
 */
export function keepAliveOnError(client: pg.PoolClient): void {
  client.on("error", () => undefined);
}
