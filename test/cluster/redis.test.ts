/**
 * The shared Redis connection: a clear error when it cannot connect at start,
 * and a connection that can be closed twice. (The connected half needs
 * REDIS_URL, which CI sets.)
 */

import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { connectRedis } from "../../src/cluster/redis.ts";
import { isLotseError } from "../../src/domain/errors.ts";
import { createLogger, silentLogger } from "../../src/log.ts";

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("connecting to Redis", () => {
  it("fails at start with redis.unreachable and the cause, without the password", async () => {
    const port = await closedPort();
    const error = await connectRedis({
      url: `redis://:hunter2-password@127.0.0.1:${port}`,
      logger: silentLogger,
      startAttempts: 2,
    }).catch((e: unknown) => e);
    expect(isLotseError(error, "redis.unreachable")).toBe(true);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect((error as Error).message).not.toContain("hunter2");
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe.runIf(process.env.REDIS_URL)("a Redis connection (needs REDIS_URL)", () => {
  it("answers, and closes twice without complaint", async () => {
    const redis = await connectRedis({ url: process.env.REDIS_URL ?? "", logger: silentLogger });
    expect(await redis.client.ping()).toBe("PONG");
    await redis.close();
    await redis.close();
    expect(redis.client.isOpen).toBe(false);
  });

  it("survives its connection being killed: logs it, reconnects, and serves again", async () => {
    const lines: string[] = [];
    const redis = await connectRedis({
      url: process.env.REDIS_URL ?? "",
      logger: createLogger("info", (l) => lines.push(l)),
    });
    const admin = await connectRedis({ url: process.env.REDIS_URL ?? "", logger: silentLogger });
    try {
      const id = await redis.client.clientId();
      await admin.client.sendCommand(["CLIENT", "KILL", "ID", String(id)]);
      let answer: string | undefined;
      for (let i = 0; i < 200 && answer === undefined; i++) {
        answer = await redis.client.ping().catch(() => undefined);
        if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(answer).toBe("PONG");
      expect(await redis.client.clientId()).not.toBe(id);
      expect(lines.map((l) => JSON.parse(l).event)).toContain("redis.connection_lost");
    } finally {
      await redis.close();
      await admin.close();
    }
  });
});
