/**
 * "One process at a time" for work that must not run twice: registering the
 * Telegram webhook and command menus, long polling, and the outbox sender
 * when there is no Redis to share rate limits through.
 *
 * On Postgres the leader holds a session-level advisory lock on a connection
 * of its own (not the pool, whose connections come and go). The others try
 * again every `retryMs`; when the leader dies, its connection closes, Postgres
 * releases the lock, and the next try takes it. A leader whose connection
 * drops (or stops answering) gives up leadership at once, since it can no
 * longer prove it holds the lock. On SQLite there is one process, so it
 * always leads.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import type { Logger } from "../log.ts";

/** What to hold and what to do when it is won or lost. */
export interface LeadershipOptions {
  /** Postgres URL; without one (SQLite) this process always leads. */
  databaseUrl: string | undefined;
  /** The Postgres schema the app uses, part of the lock's identity (tests run side by side in schemas). */
  pgSchema?: string | undefined;
  /** What is led, such as `telegram:123456`; processes with the same name compete. */
  name: string;
  logger: Logger;
  /** How often a follower tries to take over, and a leader checks its connection; 5 s by default. */
  retryMs?: number;
  /** Called when this process becomes the leader; runs before the next try or `stop()` goes on. */
  onGain?: () => void | Promise<void>;
  /** Called when leadership is lost (connection dropped) or given up (`stop()`). */
  onLose?: () => void | Promise<void>;
}

/** Leadership being held or sought. */
export interface Leadership {
  isLeader(): boolean;
  /** Settles once the first try is over (and `onGain` has run, if it won). */
  ready: Promise<void>;
  /** Stops trying; a leader runs `onLose` and then releases the lock. */
  stop(): Promise<void>;
}

/**
 * The advisory lock key for a name: 64 bits of a hash, as Postgres' signed bigint.
 *
 * @example
 * lockKeyFor("telegram:123456"); // "-4236476366434910715"
 */
export function lockKeyFor(name: string, pgSchema?: string): string {
  return createHash("sha256")
    .update(`lotse/${pgSchema ?? "public"}/${name}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/**
 * Competes for leadership of `name` until stopped.
 *
 * @example
 * const polling = holdLeadership({
 *   databaseUrl: config.DATABASE_URL,
 *   name: "telegram:123456",
 *   logger,
 *   onGain: () => startPolling(),
 *   onLose: () => stopPolling(),
 * });
 * await polling.ready;
 * // ... at shutdown:
 * await polling.stop();
 */
export function holdLeadership(options: LeadershipOptions): Leadership {
  const { logger, name } = options;
  const run = async (what: "onGain" | "onLose") => {
    try {
      await options[what]?.();
    } catch (error) {
      logger.error("leadership.callback_failed", { name, callback: what, error });
    }
  };
  if (!options.databaseUrl) {
    let leader = true;
    return {
      isLeader: () => leader,
      ready: run("onGain"),
      async stop() {
        if (!leader) return;
        leader = false;
        await run("onLose");
      },
    };
  }
  return new PostgresLeadership(options.databaseUrl, options, run);
}

/** The Postgres side: one loop makes every change, so gain and loss never overlap. */
class PostgresLeadership implements Leadership {
  readonly ready: Promise<void>;
  private leader = false;
  private stopped = false;
  private client: pg.Client | undefined;
  /** Set by the connection's events; the loop acts on it. */
  private broken = false;
  private wake: () => void = () => {};
  private readonly loop: Promise<void>;
  private readonly key: string;
  private readonly retryMs: number;

  constructor(
    private readonly databaseUrl: string,
    private readonly options: LeadershipOptions,
    private readonly run: (what: "onGain" | "onLose") => Promise<void>,
  ) {
    this.key = lockKeyFor(options.name, options.pgSchema);
    this.retryMs = options.retryMs ?? 5_000;
    let firstTryDone: () => void = () => {};
    this.ready = new Promise((resolve) => {
      firstTryDone = resolve;
    });
    this.loop = this.runLoop(firstTryDone);
  }

  isLeader(): boolean {
    return this.leader;
  }

  async stop(): Promise<void> {
    if (this.stopped) return this.loop;
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private async runLoop(firstTryDone: () => void): Promise<void> {
    while (!this.stopped) {
      await this.step();
      firstTryDone();
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.retryMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    firstTryDone();
    await this.release();
  }

  /** One try: reconnect if needed, then check the lock (leader) or try to take it (follower). */
  private async step(): Promise<void> {
    const { logger, name } = this.options;
    if (this.broken) await this.dropConnection("connection lost");
    try {
      const client = this.client ?? (await this.connect());
      if (this.leader) {
        await client.query("select 1");
        return;
      }
      const result = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1::bigint) as locked", [
        this.key,
      ]);
      if (result.rows[0]?.locked && !this.broken) {
        this.leader = true;
        logger.info("leadership.gained", { name });
        await this.run("onGain");
      }
    } catch (error) {
      logger.warn("leadership.try_failed", { name, error });
      await this.dropConnection("query failed");
    }
  }

  private async connect(): Promise<pg.Client> {
    const timeoutMs = Math.max(this.retryMs, 5_000);
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      keepAlive: true,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      application_name: `lotse leadership ${this.options.name}`.slice(0, 63),
    });
    // A dropped connection emits 'error' (a crash without a listener) or just 'end': either way the lock is gone.
    const onDrop = () => {
      if (this.client !== client) return;
      this.broken = true;
      this.wake();
    };
    client.on("error", onDrop);
    client.on("end", onDrop);
    this.broken = false;
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    return client;
  }

  /** Forgets the connection; a leader without it is no leader. */
  private async dropConnection(why: string): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.broken = false;
    if (this.leader) {
      this.leader = false;
      this.options.logger.warn("leadership.lost", { name: this.options.name, why });
      await this.run("onLose");
    }
    await client?.end().catch(() => {});
  }

  /** At stop: the work ends first, then closing the session releases the lock for the next process. */
  private async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (this.leader) {
      this.leader = false;
      this.options.logger.info("leadership.released", { name: this.options.name });
      await this.run("onLose");
    }
    await client?.end().catch(() => {});
  }
}
