/**
 * Lotse's Telegram webhook under an open-loop load: the real server (`src/main.ts` in a child process, SQLite,
 * webhook mode) replying into a local fake Bot API, and this process posting updates to
 * `/webhooks/telegram` at a fixed rate whatever the answers, as Telegram would. Prints one JSON line per rate.
 *
 * Run: `node --import tsx bench/speed/webhook-load.ts`. Arguments (environment): BENCH_RATES (updates a
 * second, "250,500,1000"), BENCH_LOAD_SECONDS (per rate, 10), BENCH_LOAD_PEOPLE (chats, 2000),
 * BENCH_SOCKETS (connections at most, 100: Telegram's ceiling for `max_connections`), BENCH_TELEGRAM_RATE
 * (the server's TELEGRAM_RATE for its replies, 30 as in production), BENCH_WARMUP_SECONDS (3), BENCH_WARMUP_RATE
 * (the rate measured) and BENCH_WARMUP_PEOPLE (as many chats as the load, of their own): the warm-up, not
 * counted; BENCH_COLD_RATES ("500"): rates run once more on a server given no warm-up, what a restart under full
 * load sees.
 *
 * Each line has the p99 of every second of the period too (`p99_ms_by_second`, by when a request was sent), so
 * a tail that comes from the first seconds of a fresh process is told apart from one that lasts.
 *
 * A fresh server and database for each rate: the replies the previous rate queued (the outbox sends 30 a
 * second) would otherwise still be going out and take CPU, the database would be bigger and people part-way
 * through the script, so a line would depend on the rates run before it. Each line stands alone.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type FakeTelegram, startFakeTelegram } from "../../test/support/fake-telegram.ts";
import { freePort } from "../../test/support/lotse-processes.ts";
import { cpuSecondsOf } from "./proc-cpu.ts";
import { lotseQuizScript } from "./script.ts";

const rates = (process.env.BENCH_RATES ?? "250,500,1000")
  .split(",")
  .map(Number)
  .filter((r) => r > 0);
const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const loadPeople = Number(process.env.BENCH_LOAD_PEOPLE ?? 2000);
const sockets = Number(process.env.BENCH_SOCKETS ?? 100);
const telegramRate = process.env.BENCH_TELEGRAM_RATE ?? "30";
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
/**
 * The warm-up is the load itself on chats of its own. A process just started runs its code unoptimised until
 * V8 has seen it run often enough, and compiles it on the other core meanwhile; 2,000 people starting at once
 * take the paths of a first message all together. After 300 updates on 20 chats (the warm-up before 2 December
 * 2026), or 900 on 200, the first one or two seconds of the load at 500 a second had p99s of 100 ms to 1.8 s
 * (requests waiting while the server's one thread caught up; its own time per request stayed under 30 ms),
 * and the seconds after them 10 to 30 ms. Warmed up at 500 a second on 2,000 chats the whole period stays
 * there. The cold line keeps that first burst in sight.
 */
const warmupRate = process.env.BENCH_WARMUP_RATE ? Number(process.env.BENCH_WARMUP_RATE) : undefined;
const warmupPeople = Number(process.env.BENCH_WARMUP_PEOPLE ?? loadPeople);
const coldRates = (process.env.BENCH_COLD_RATES ?? "500")
  .split(",")
  .map(Number)
  .filter((r) => r > 0);
/** Each request ends after this long; the run stops waiting at the period plus this. */
const timeoutMs = 10_000;
/** How often the generator wakes to send what is due: small batches, so the rate is even within a second. */
const tickMs = 5;
const token = "123456789:AAbenchbenchbenchbenchbenchbenchbench";
const secret = "lotse-bench-webhook-secret";
/** The project's root, also when this file runs compiled from dist-bench/bench/speed/. */
const projectRoot = new URL(import.meta.url.endsWith(".js") ? "../../../" : "../../", import.meta.url).pathname;

/** The real server, its log file and data folder. */
interface Server {
  child: ChildProcess;
  port: number;
  dataDir: string;
  log: string;
}

/**
 * The server as this file runs: compiled (`npm run bench` builds to dist-bench/), the compiled main with
 * plain node as the Docker image runs it; as TypeScript, the source through tsx.
 */
const serverEntry = import.meta.url.endsWith(".js")
  ? ["--enable-source-maps", fileURLToPath(new URL("../../src/main.js", import.meta.url))]
  : ["--import", "tsx", "src/main.ts"];

/** Starts `src/main.ts` on a free port with a fresh SQLite file, and waits for `/readyz`. */
async function startServer(apiRoot: string, rate: number): Promise<Server> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "lotse-webhook-load-"));
  const log = join(tmpdir(), `lotse-webhook-load-${process.pid}-${rate}.log`);
  const out = openSync(log, "w");
  // Empty counts as unset, and a variable already set wins over a `.env` file: nothing leaks in from either.
  const unset = ["DATABASE_URL", "DATABASE_SCHEMA", "REDIS_URL", "WHATSAPP_TOKEN", "STAFF_ADDRESSES", "ADMIN_TOKEN"];
  // BENCH_SERVER_ARGS: extra Node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const extra = (process.env.BENCH_SERVER_ARGS ?? "").split(/\s+/).filter((a) => a.length > 0);
  const child = spawn(process.execPath, [...extra, ...serverEntry], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...Object.fromEntries(unset.map((name) => [name, ""])),
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      WEB_CHAT: "off",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_RATE: telegramRate,
    },
    stdio: ["ignore", out, out],
  });
  closeSync(out);
  const server = { child, port, dataDir, log };
  killOnExit(server);
  /** Ends a start that failed: nothing left running or behind, and the log's last lines said. */
  const fail = async (why: string): Promise<never> => {
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
    const tail = readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n  ");
    throw new Error(`webhook-load: lotse ${why} (log ${log}):\n  ${tail}`);
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return fail(`exited at start with code ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return server;
    await sleep(100);
  }
  return fail("was not ready within 60 s");
}

/** A crash or Ctrl-C of this script must not leave the server running (nor its data folder behind). */
function killOnExit({ child, dataDir }: Server): void {
  const kill = () => {
    child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("exit", kill);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      kill();
      process.exit(130);
    });
}

/** SIGTERM (it drains within 8 s), SIGKILL if it lingers. */
async function stopServer(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** User plus system CPU seconds of a process. */
function cpuSeconds(pid: number): number {
  return cpuSecondsOf(`/proc/${pid}/stat`);
}

/** A memory figure of /proc/<pid>/status (VmRSS now, VmHWM the peak) in MB. */
function memoryMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return round(Number(kb) / 1024, 1);
}

/** What became of one request. */
type Outcome = { kind: "ok" | "error"; ms: number } | { kind: "connection_error" | "timeout" };

/** Posts one update, answering within `timeoutMs` whatever the server does (the wait for a socket included). */
function post(agent: Agent, port: number, body: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/webhooks/telegram",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-telegram-bot-api-secret-token": secret,
        },
      },
      (res) => {
        res.resume();
        const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
        res.once("end", () => settle({ kind: ok ? "ok" : "error", ms: performance.now() - started }));
        res.once("error", () => settle({ kind: "connection_error" }));
      },
    );
    const timer = setTimeout(() => {
      settle({ kind: "timeout" });
      req.destroy();
    }, timeoutMs);
    req.once("error", () => settle({ kind: "connection_error" }));
    req.end(body);
  });
}

const countOf = { ok: "ok", error: "errors", connection_error: "connection_errors", timeout: "timeouts" } as const;

/** One person's place in the script; `generation` moves on to a new chat once the script is done. */
interface Person {
  step: number;
  generation: number;
  busy: boolean;
}

let updateId = 1;
function textUpdate(chatId: number, text: string): string {
  const id = updateId++;
  return JSON.stringify({
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "P" },
      from: { id: chatId, is_bot: false, first_name: "P", language_code: "en" },
      text,
      ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}),
    },
  });
}

/** A load to run: `people` chats from `firstChat` on, `rate` updates a second for `seconds`. */
interface Load {
  rate: number;
  seconds: number;
  people: number;
  firstChat: number;
}

/** One load against a running server: counts, latencies of the ok answers, timing. */
async function load(port: number, { rate, seconds, people: peopleCount, firstChat }: Load) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const people: Person[] = Array.from({ length: peopleCount }, () => ({ step: 0, generation: 0, busy: false }));
  const started = performance.now();
  const counts = { sent: 0, ok: 0, errors: 0, connection_errors: 0, timeouts: 0, skipped: 0 };
  const latencies: number[] = [];
  /** The ok answers' times by the second of the period in which their request was sent. */
  const bySecond: number[][] = [];
  const open = new Set<Promise<void>>();
  let cursor = 0;
  let lagMax = 0;
  let lastOk = 0;
  /** The next person round-robin with no request open; undefined when all have one. */
  const nextFree = (): number | undefined => {
    for (let i = 0; i < peopleCount; i++) {
      const p = (cursor + i) % peopleCount;
      if (!people[p]?.busy) {
        cursor = (p + 1) % peopleCount;
        return p;
      }
    }
    return undefined;
  };
  const send = (p: number) => {
    const person = people[p] as Person;
    person.busy = true;
    const chatId = firstChat + person.generation * peopleCount + p;
    const body = textUpdate(chatId, lotseQuizScript[person.step] as string);
    counts.sent++;
    const second = Math.floor((performance.now() - started) / 1000);
    const done = post(agent, port, body).then((outcome) => {
      if (outcome.kind === "ok") {
        latencies.push(outcome.ms);
        const ofSecond = bySecond[second] ?? [];
        ofSecond.push(outcome.ms);
        bySecond[second] = ofSecond;
        lastOk = performance.now();
      }
      counts[countOf[outcome.kind]]++;
      // Answered or given up on: the person's next message may go (a new chat after the last step).
      person.step++;
      if (person.step >= lotseQuizScript.length) Object.assign(person, { step: 0, generation: person.generation + 1 });
      person.busy = false;
      open.delete(done);
    });
    open.add(done);
  };
  const total = Math.round(rate * seconds);
  let issued = 0;
  while (issued < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - started) * rate) / 1000));
    if (due > issued) lagMax = Math.max(lagMax, now - (started + (issued * 1000) / rate));
    while (issued < due) {
      const p = nextFree();
      // Everyone has a message open: what is due now is not sent (open loop: never caught up in a burst later).
      if (p === undefined) {
        counts.skipped += due - issued;
        issued = due;
        break;
      }
      issued++;
      send(p);
    }
    await sleep(tickMs);
  }
  const periodEnd = performance.now();
  await Promise.race([Promise.all(open), sleep(timeoutMs + 1_000)]);
  const windowEnd = performance.now();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0, 1);
  return {
    counts,
    // Ok answers a second from the first request to the last ok answer (or the period's end, if later): the
    // rate asked for when the server keeps up, what it manages when it does not.
    achievedRate: round(counts.ok / ((Math.max(lastOk, periodEnd) - started) / 1000), 1),
    /** From the first request until every request was answered or given up on: the CPU figures' window. */
    windowSeconds: round((windowEnd - started) / 1000, 2),
    p50: at(0.5),
    p99: at(0.99),
    max: round(latencies.at(-1) ?? 0, 1),
    p99BySecond: Array.from(bySecond, (times) => p99Of(times ?? [])),
    lagMax: round(lagMax, 1),
  };
}

/**
 * Rows the server wrote, readable while it runs (WAL): updates taken in (their deduplication ids), and replies
 * not sent yet (outbox rows queued or being sent: the backlog behind TELEGRAM_RATE).
 */
function countRows(dataDir: string): { inbound: number | null; pending: number | null } {
  try {
    const db = new Database(join(dataDir, "lotse.db"), { readonly: true });
    try {
      const count = (query: string) => (db.prepare(`select count(*) as n from ${query}`).get() as { n: number }).n;
      return { inbound: count("inbound_seen"), pending: count("outbox where status in ('queued', 'sending')") };
    } finally {
      db.close();
    }
  } catch {
    // A server killed mid-write may leave a file a read-only handle cannot open: the line says unknown.
    return { inbound: null, pending: null };
  }
}

/** The 99th percentile of some times in ms (0 for none). */
function p99Of(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? 0, 1);
}

/** One rate against a fresh server: warmed up first unless `cold`. */
async function measureRate(rate: number, cold = false): Promise<void> {
  const fake: FakeTelegram = await startFakeTelegram();
  let server: Server | undefined;
  try {
    server = await startServer(fake.apiRoot, rate);
    console.error(`webhook-load: rate ${rate}, server log ${server.log}`);
    const pid = server.child.pid as number;
    // A fresh process compiles its paths on the first requests (and so does this one): warmed up first, on
    // chats of their own (every step of the script), so the figures are of the load, not of the start
    // (see warmupRate); a cold line measures the start on purpose.
    const warmup = { rate: warmupRate ?? rate, seconds: warmupSeconds, people: warmupPeople, firstChat: 400_000_000 };
    if (!cold) await load(server.port, warmup);
    const sentBefore = fake.sent().length;
    const rowsBefore = countRows(server.dataDir);
    const cpuBefore = cpuSeconds(pid);
    const benchCpu = process.cpuUsage();
    const result = await load(server.port, { rate, seconds: loadSeconds, people: loadPeople, firstChat: 500_000_000 });
    const serverCpu = cpuSeconds(pid) - cpuBefore;
    const rowsAtEnd = countRows(server.dataDir);
    const benchUsed = process.cpuUsage(benchCpu);
    const rss = memoryMb(pid, "VmRSS");
    const peakRss = memoryMb(pid, "VmHWM");
    const repliesSent = fake.sent().length - sentBefore;
    await stopServer(server);
    const rows = countRows(server.dataDir);
    console.log(
      JSON.stringify({
        system: "lotse-webhook",
        db: "sqlite",
        rate,
        warmup: cold ? "none" : `${warmup.seconds} s at ${warmup.rate}/s on ${warmup.people} chats`,
        seconds: loadSeconds,
        people: loadPeople,
        ...result.counts,
        achieved_rate: result.achievedRate,
        p50_ms: result.p50,
        p99_ms: result.p99,
        max_ms: result.max,
        p99_ms_by_second: result.p99BySecond,
        server_cpu_seconds: round(serverCpu, 2),
        // Per update stored within the window (the outbox sender's work included): comparable across rates, even
        // when the server was overloaded.
        server_cpu_ms_per_update: perUpdate(serverCpu, difference(rowsAtEnd.inbound, rowsBefore.inbound)),
        window_seconds: result.windowSeconds,
        server_rss_mb: rss,
        server_peak_rss_mb: peakRss,
        bench_cpu_seconds: round((benchUsed.user + benchUsed.system) / 1e6, 2),
        generator_lag_max_ms: result.lagMax,
        replies_sent: repliesSent,
        telegram_rate: Number(telegramRate),
        // Of the measured load only (the warm-up's taken off), counted after the server stopped: updates taken
        // in, the ones given up on here included when the server finished them.
        updates_stored: difference(rows.inbound, rowsBefore.inbound),
        // The whole outbox backlog when the server stopped (a few of the warm-up's among them).
        replies_pending: rows.pending,
      }),
    );
  } finally {
    if (server) {
      await stopServer(server);
      rmSync(server.dataDir, { recursive: true, force: true });
    }
    await fake.close();
  }
}

function difference(after: number | null, before: number | null): number | null {
  return after === null || before === null ? null : after - before;
}

function perUpdate(cpuSeconds: number, updates: number | null): number | null {
  return updates === null || updates === 0 ? null : round((cpuSeconds * 1000) / updates, 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

for (const rate of rates) await measureRate(rate);
for (const rate of coldRates) await measureRate(rate, true);
