/**
 * The driver both systems share: people take turns round-robin, each with at most one message in
 * flight (a person's next message is sent only after the last one was handled), and at most
 * `inFlight` people at once, as a webhook server sees a crowd. Plus the figures each run reports.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpuSecondsOf } from "./proc-cpu.ts";

/** One system's figures for one run, printed as one JSON line. */
export interface Figures {
  system: string;
  /** The Node version that ran it: the same code and peer compare very differently on Node 20 and 24. */
  node: string;
  messages: number;
  cpu_seconds: number;
  messages_per_cpu_second: number;
  wall_seconds: number;
  wall_messages_per_second: number;
  /** Resident memory of the process just before the workload (a freshly started server). */
  fresh_rss_mb: number;
  peak_rss_mb: number;
  /**
   * Of `cpu_seconds`, the main thread's and the other threads' (V8's optimizing compiler, the garbage
   * collector's helpers, libuv's pool), read from /proc on Linux; absent elsewhere. They tell a system
   * that pays for compiling its code from one that pays for collecting its garbage.
   */
  main_thread_cpu_seconds?: number;
  other_threads_cpu_seconds?: number;
}

/**
 * Sends step `s` of every person before step `s + 1` of anyone, `inFlight` people at a time.
 *
 * @example
 * await driveRoundRobin(1000, 17, 100, (person, step) => handle(person, script[step]));
 */
export async function driveRoundRobin(
  people: number,
  steps: number,
  inFlight: number,
  send: (person: number, step: number) => Promise<unknown>,
): Promise<number> {
  let messages = 0;
  for (let step = 0; step < steps; step++) {
    let next = 0;
    const lane = async () => {
      while (next < people) {
        const person = next++;
        await send(person, step);
        messages++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, people) }, lane));
  }
  return messages;
}

/**
 * Runs the workload and measures the process's CPU time (user + system), wall time and memory. With
 * BENCH_PROFILE set to a folder, also writes a CPU profile of the main thread over the workload only
 * (not the start-up: loading modules and the content pack) as `<system>.cpuprofile` there.
 */
export async function measure(system: string, work: () => Promise<number>): Promise<Figures> {
  globalThis.gc?.();
  const profiler = process.env.BENCH_PROFILE ? await startProfiler() : undefined;
  const freshRss = process.memoryUsage().rss;
  const threadsBefore = threadCpu();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const messages = await work();
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const threadsAfter = threadCpu();
  await profiler?.(`${process.env.BENCH_PROFILE}/${system}.cpuprofile`);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    system,
    node: process.version,
    messages,
    cpu_seconds: round(cpuSeconds, 3),
    messages_per_cpu_second: Math.round(messages / cpuSeconds),
    wall_seconds: round(wall, 3),
    wall_messages_per_second: Math.round(messages / wall),
    fresh_rss_mb: round(freshRss / 1e6, 1),
    peak_rss_mb: round((process.resourceUsage().maxRSS * 1024) / 1e6, 1),
    ...(threadsBefore && threadsAfter
      ? {
          main_thread_cpu_seconds: round(threadsAfter.main - threadsBefore.main, 2),
          other_threads_cpu_seconds: round(threadsAfter.others - threadsBefore.others, 2),
        }
      : {}),
  };
}

/**
 * CPU seconds of this process's main thread and of all its other threads so far (threads that ended
 * are not counted), from /proc/self/task on Linux; undefined where there is no such folder.
 */
function threadCpu(): { main: number; others: number } | undefined {
  try {
    let main = 0;
    let others = 0;
    for (const thread of readdirSync("/proc/self/task")) {
      const seconds = cpuSecondsOf(`/proc/self/task/${thread}/stat`);
      if (thread === String(process.pid)) main += seconds;
      else others += seconds;
    }
    return { main, others };
  } catch {
    return undefined;
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Starts V8's sampling profiler on this thread; the function returned stops it and writes the profile. */
async function startProfiler(): Promise<(file: string) => Promise<void>> {
  const { Session } = await import("node:inspector/promises");
  const { dirname } = await import("node:path");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async (file) => {
    const { profile } = await session.post("Profiler.stop");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
