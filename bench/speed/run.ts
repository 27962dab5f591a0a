/**
 * `npm run bench`: Lotse side by side with a peer (grammY + @grammyjs/conversations) on the same quiz
 * workload. Each run is a child process of its own, one after the other (never two at once: they would
 * share the cores), alternating for BENCH_ROUNDS rounds: Lotse on SQLite, the peer, Lotse on Postgres
 * (when DATABASE_URL is set). Prints each child's JSON line as it comes, then one `ratio` line per
 * database (medians over the rounds), then the lines of `webhook-load.ts` when that file exists.
 *
 * Both systems run as Lotse runs in production: compiled to JavaScript by tsc first (`tsconfig.bench.json`,
 * into `dist-bench/`) and run by plain `node --enable-source-maps`, as the Docker image runs `dist/`.
 * Run through tsx instead, each process carried tsx's loader (its own thread and a transpiled copy of
 * every module): 60 MB more resident memory for Lotse's few hundred modules, 20 MB for the peer's few.
 *
 * Arguments (environment): BENCH_ROUNDS (3), BENCH_WEBHOOK (`off` skips the webhook load), BENCH_SOURCE
 * (`tsx` runs the TypeScript source through tsx, no build), and those the children read (BENCH_PEOPLE,
 * BENCH_IN_FLIGHT, DATABASE_URL). Exits non-zero when the build or a child failed.
 *
 * @example
 * BENCH_PEOPLE=1000 BENCH_ROUNDS=3 npm run bench
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, rmSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** The project's root, where the children run (Lotse finds its content pack there). */
const root = here("../..");
/** tsx by its file address, so that it is found whatever the directory `npm run bench` was started in. */
const tsx = import.meta.resolve("tsx");
const fromSource = process.env.BENCH_SOURCE === "tsx";
/** Where the compiled bench lives (tsconfig.bench.json's outDir). */
const built = `${root}/dist-bench`;

/**
 * Compiles src/, flows/ and bench/speed/ to `dist-bench/` and copies the files read beside the code
 * (the web chat's page, the peer's quiz), as `npm run build` does for dist/.
 */
function build(): void {
  rmSync(built, { recursive: true, force: true });
  const tsc = fileURLToPath(import.meta.resolve("typescript/bin/tsc"));
  try {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.bench.json"], { cwd: root, stdio: "inherit" });
  } catch {
    console.error("bench: tsc -p tsconfig.bench.json failed (see above)");
    process.exit(1);
  }
  const besideCode = (from: string) => statSync(from).isDirectory() || /\.(html|json)$/.test(from);
  cpSync(`${root}/src`, `${built}/src`, { recursive: true, filter: besideCode });
  cpSync(`${root}/bench/speed`, `${built}/bench/speed`, { recursive: true, filter: besideCode });
}

/** How to start one bench script: the compiled file with plain node, or the source through tsx. */
function command(script: string): string[] {
  if (fromSource) return ["--import", tsx, "--expose-gc", here(`./${script}.ts`)];
  return ["--enable-source-maps", "--expose-gc", `${built}/bench/speed/${script}.js`];
}

/** The child running now: stopped with this process (Ctrl-C reaches it anyway, `kill` does not). */
let running: ChildProcess | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    running?.kill(signal);
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

/** What a child printed and how it ended. */
interface ChildRun {
  lines: Record<string, unknown>[];
  ok: boolean;
}

/**
 * Runs one script (`lotse-quiz`, `peer-grammy`, `webhook-load`) with the same Node flags as every other
 * (`--expose-gc` lets each take its fresh memory figure after a collection), passing its stdout through
 * line by line as it comes.
 */
function runChild(script: string, env: Record<string, string> = {}): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, command(script), {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    running = child;
    const lines: Record<string, unknown>[] = [];
    const stderr: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    createInterface({ input: child.stdout }).on("line", (line) => {
      console.log(line);
      const parsed = parseLine(line);
      if (parsed !== undefined) lines.push(parsed);
    });
    let ended = false;
    const fail = (why: string) => {
      if (ended) return;
      ended = true;
      process.stderr.write(`bench: ${script} ${why}\n${Buffer.concat(stderr).toString()}`);
      resolve({ lines, ok: false });
    };
    child.on("error", (error) => fail(`did not start: ${error.message}`));
    child.on("close", (code, signal) => {
      running = undefined;
      if (code === 0 && !ended) resolve({ lines, ok: true });
      else fail(signal === null ? `exited with ${code}` : `was killed by ${signal}`);
    });
  });
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const databases: readonly ("sqlite" | "postgres")[] = process.env.DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];
/** messages_per_cpu_second of every run that succeeded, by system. */
const perCpuSecond = new Map<string, number[]>();
let failed = false;

function record(run: ChildRun): void {
  if (!run.ok) failed = true;
  // A failed run's figures (for the peer: not everyone finished) are not comparable: left out.
  for (const line of run.ok ? run.lines : []) {
    if (typeof line.system === "string" && typeof line.messages_per_cpu_second === "number") {
      const values = perCpuSecond.get(line.system) ?? [];
      values.push(line.messages_per_cpu_second);
      perCpuSecond.set(line.system, values);
    }
  }
}

if (!fromSource) build();
for (let round = 0; round < rounds; round++) {
  record(await runChild("lotse-quiz", { BENCH_DB: "sqlite" }));
  record(await runChild("peer-grammy"));
  if (databases.includes("postgres")) record(await runChild("lotse-quiz", { BENCH_DB: "postgres" }));
}

const peer = perCpuSecond.get("peer-grammy") ?? [];
for (const db of databases) {
  const lotse = perCpuSecond.get(`lotse-${db}`) ?? [];
  if (lotse.length === 0 || peer.length === 0) continue;
  const lotseMedian = median(lotse);
  const peerMedian = median(peer);
  console.log(
    JSON.stringify({
      system: "ratio",
      db,
      node: process.version,
      lotse_per_peer: Math.round((lotseMedian / peerMedian) * 100) / 100,
      lotse_messages_per_cpu_second: lotseMedian,
      peer_messages_per_cpu_second: peerMedian,
      rounds: Math.min(lotse.length, peer.length),
    }),
  );
}

if (existsSync(here("./webhook-load.ts")) && process.env.BENCH_WEBHOOK !== "off") {
  if (!(await runChild("webhook-load")).ok) failed = true;
}

if (failed) {
  console.error("bench: at least one run failed (see above)");
  process.exitCode = 1;
}
