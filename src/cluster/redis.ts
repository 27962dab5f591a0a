/**
 * The Redis connection several processes share (`REDIS_URL`): short-lived
 * maps such as callback tokens live there, and the outbox's rate limits.
 *
 * A Redis that is down at start stops the start with `redis.unreachable`; a
 * connection that drops later never ends the process: it is logged once per
 * outage and the client reconnects with back-off. While it is away, commands
 * fail at once instead of waiting in an offline queue, so callers (a rate
 * limiter, the callback map) can fall back or retry instead of hanging.
 */
import { createClient } from "redis";
import { LotseError } from "../domain/errors.ts";
import type { Logger } from "../log.ts";

/** A node-redis v5 client (what rate-limiter-flexible takes with `useRedisPackage: true`). */
export type RedisClient = ReturnType<typeof createClient>;

/** An open Redis connection and how to close it. */
export interface RedisConnection {
  client: RedisClient;
  /** Closes the connection (pending replies are awaited); safe to call twice. */
  close(): Promise<void>;
}

/** How to reach Redis. */
export interface RedisOptions {
  /** `redis://` or `rediss://`, with a password if the server needs one. */
  url: string;
  logger: Logger;
  /** How long one connection attempt may take; 5 s by default. */
  connectTimeoutMs?: number;
  /** Attempts at start before giving up; 3 by default. */
  startAttempts?: number;
}

/** Back-off between reconnections after a drop: 100 ms doubling, at most 5 s. */
const reconnectDelayMs = (retries: number) => Math.min(100 * 2 ** retries, 5_000);

/**
 * Connects to Redis; throws `redis.unreachable` (with the cause) if it cannot at start.
 *
 * @example
 * const redis = await connectRedis({ url: config.REDIS_URL, logger });
 * const limiter = new RateLimiterRedis({ storeClient: redis.client, useRedisPackage: true, points: 30, duration: 1 });
 * await redis.close();
 */
export async function connectRedis(options: RedisOptions): Promise<RedisConnection> {
  const startAttempts = options.startAttempts ?? 3;
  let connected = false;
  let outage = false;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      reconnectStrategy: (retries, cause) => {
        // At start, a few attempts then a clear error; once it has worked, keep trying for as long as it takes.
        if (!connected && retries >= startAttempts - 1) return cause;
        return reconnectDelayMs(retries);
      },
    },
  });
  // Without a listener, an 'error' event would end the process.
  client.on("error", (error: unknown) => {
    if (!connected || outage) return;
    outage = true;
    options.logger.warn("redis.connection_lost", { error });
  });
  client.on("ready", () => {
    if (outage) options.logger.info("redis.reconnected");
    outage = false;
  });
  try {
    await client.connect();
  } catch (cause) {
    if (client.isOpen) client.destroy();
    throw new LotseError("redis.unreachable", `cannot connect to Redis (REDIS_URL): ${messageOf(cause)}`, {
      cause,
    });
  }
  connected = true;
  return {
    client,
    async close() {
      if (!client.isOpen) return;
      try {
        await client.close();
      } catch {
        // Closing while disconnected: nothing is left to flush.
        if (client.isOpen) client.destroy();
      }
    },
  };
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}
