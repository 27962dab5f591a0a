/**
 * Regression (issue 15, finding 9): start-up errors hid their cause. A
 * DATABASE_URL to a closed port, an unknown database or host printed
 * "migration (unknown) failed"; a bad HOST, a PORT in use, a DATA_DIR that is
 * a file or not writable printed stack traces. Each must print one line
 * naming the variable and the cause, no secret, and exit non-zero.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/lotse-processes.ts";
import { kill, type LotseRun, runLotse } from "./lotse-run.ts";

const password = "hunter2-not-for-logs";

/** Runs Lotse with `env` until it exits; returns its exit code and its error output. */
const runs: LotseRun[] = [];

async function failedStart(env: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
  const run = runLotse({ LOG_LEVEL: "silent", WEB_CHAT: "on", PORT: String(await freePort()), ...env });
  runs.push(run);
  const code = await run.exited;
  return { code, lines: [...run.stderr, ...run.stdout] };
}

// Each case starts a real process, which takes seconds on a busy machine: one at a time, with room.
describe("start-up errors name the variable and the cause in one line (they hid it)", { timeout: 240_000 }, () => {
  let dir: string;
  let occupied: Server;
  let occupiedPort: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lotse-startup-"));
    occupiedPort = await freePort();
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(occupiedPort, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await Promise.all(runs.map(kill));
    await new Promise((resolve) => occupied.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("DATABASE_URL to a closed port: 'cannot connect', not 'migration (unknown) failed'", async () => {
    const port = await freePort();
    const { code, lines } = await failedStart({ DATABASE_URL: `postgres://lotse:${password}@127.0.0.1:${port}/lotse` });
    expect(code).toBe(1);
    expect(lines).toEqual([`DATABASE_URL: cannot connect to 127.0.0.1:${port} (ECONNREFUSED)`]);
  });

  it("DATABASE_URL with a host that does not resolve", async () => {
    const { code, lines } = await failedStart({
      DATABASE_URL: `postgres://lotse:${password}@lotse-no-such-host.invalid:5432/lotse`,
    });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^DATABASE_URL: cannot resolve the host "lotse-no-such-host.invalid" \((ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });

  // Needs a reachable Postgres server to name a missing database on; CI sets DATABASE_URL, a fresh clone skips it.
  it.skipIf(!process.env.DATABASE_URL)("DATABASE_URL naming a database that does not exist", async () => {
    const url = new URL(process.env.DATABASE_URL ?? "");
    url.pathname = "/lotse_no_such_database";
    url.password = password;
    const { code, lines } = await failedStart({ DATABASE_URL: url.toString() });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DATABASE_URL: the database "lotse_no_such_database" does not exist on .+ \(3D000\)$/);
    expect(lines[0]).not.toContain(password);
  });

  it("HOST that is not an address", async () => {
    const { code, lines } = await failedStart({ HOST: "256.1.1.1" });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^HOST: cannot resolve "256.1.1.1" to an address \((ENOTFOUND|EAI_AGAIN)\)$/);
  });

  it("PORT already in use", async () => {
    const { code, lines } = await failedStart({ PORT: String(occupiedPort) });
    expect(code).toBe(1);
    expect(lines).toEqual([`PORT: ${occupiedPort} is already in use on 127.0.0.1 (EADDRINUSE)`]);
  });

  it("DATA_DIR that is a file", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const { code, lines } = await failedStart({ DATA_DIR: file });
    expect(code).toBe(1);
    expect(lines).toEqual([`DATA_DIR: ${file} is a file, not a folder`]);
  });

  it("DATA_DIR that cannot be written", async () => {
    // Root ignores file modes: then a folder the kernel refuses to anyone.
    let target = "/sys/lotse-data";
    if (process.getuid?.() !== 0) {
      target = join(dir, "read-only");
      mkdirSync(target);
      chmodSync(target, 0o555);
    }
    const { code, lines } = await failedStart({ DATA_DIR: target });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DATA_DIR: \S+ (is not writable|cannot be created) \((EACCES|EPERM|EROFS)\)$/);
  });

  it("a malformed token is named, its value never printed", async () => {
    const token = "123456:too-short-but-secret";
    const { code, lines } = await failedStart({ TELEGRAM_BOT_TOKEN: token });
    expect(code).toBe(1);
    expect(lines.join("\n")).toContain("TELEGRAM_BOT_TOKEN");
    expect(lines.join("\n")).not.toContain("too-short-but-secret");
  });
});
