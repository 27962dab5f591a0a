/**
 * Real Lotse processes (`node --import tsx src/main.ts`) for cluster tests
 * and benchmarks: each on a free port with its own environment, ready once
 * `/healthz` answers, stopped with SIGTERM and, if it lingers, SIGKILL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { projectRoot } from "../../src/app.ts";

/** A running Lotse process. */
export interface LotseProcess {
  port: number;
  child: ChildProcess;
  /** What it wrote to stdout and stderr, last lines first trimmed (the newest 200 kept). */
  output: string[];
}

/** Running processes and how to stop them. */
export interface LotseCluster {
  processes: LotseProcess[];
  /** SIGTERM, then SIGKILL after `graceMs` (5 s by default) for any still running. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A free local TCP port (taken and released at once).
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts one process on `port` with `env` and waits for `/readyz` (database reachable, channels started) (or its exit, which throws). */
async function startOne(port: number, env: Record<string, string>, readyWithinMs: number): Promise<LotseProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: projectRoot,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split("\n").filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const deadline = Date.now() + readyWithinMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`lotse on port ${port} exited:\n${output.join("\n")}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { port, child, output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`lotse on port ${port} not ready within ${readyWithinMs} ms:\n${output.join("\n")}`);
}

function stopOne(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts `count` processes with a shared environment: the first alone (it
 * creates and migrates the database schema), then the others together.
 *
 * @example
 * const cluster = await startLotseProcesses(3, { DATABASE_URL, DATABASE_SCHEMA: "t3_x", REDIS_URL });
 * await cluster.stop();
 */
export async function startLotseProcesses(
  count: number,
  env: Record<string, string> | ((index: number, ports: number[]) => Record<string, string>),
  readyWithinMs = 60_000,
): Promise<LotseCluster> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const envOf = (i: number) => (typeof env === "function" ? env(i, ports) : env);
  const processes: LotseProcess[] = [];
  const cluster: LotseCluster = {
    processes,
    stop: async (graceMs = 5_000) => {
      await Promise.all(processes.map((p) => stopOne(p.child, graceMs)));
    },
  };
  try {
    processes.push(await startOne(ports[0] as number, envOf(0), readyWithinMs));
    const rest = await Promise.allSettled(ports.slice(1).map((port, i) => startOne(port, envOf(i + 1), readyWithinMs)));
    for (const started of rest) if (started.status === "fulfilled") processes.push(started.value);
    const failed = rest.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
