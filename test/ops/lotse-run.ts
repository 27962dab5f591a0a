/**
 * One real Lotse process for operations tests (start-up errors, `.env`,
 * stopping): spawned with a clean environment of its own (no platform, no
 * Postgres unless given), its output kept, and waited for until it answers
 * or exits. The machine is slow and shared: starting takes seconds, so the
 * waits are long and nothing here measures time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "../../src/app.ts";

/** A spawned process and what it printed. */
export interface LotseRun {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (a signal counts as null). */
  exited: Promise<number | null>;
  /** Resolves when a line containing `text` has been printed (on either stream). */
  printed(text: string): Promise<void>;
}

/** Variables from the test's own environment that would change what the process does. */
const cleared = {
  DATABASE_URL: "",
  DATABASE_SCHEMA: "",
  REDIS_URL: "",
  TELEGRAM_BOT_TOKEN: "",
  WHATSAPP_TOKEN: "",
  PUBLIC_URL: "",
  WEB_CHAT: "auto",
  HOST: "127.0.0.1",
};

/** `--import tsx` by absolute URL, so the process may run in another working directory (one with a `.env`). */
const tsxLoader = pathToFileURL(join(projectRoot, "node_modules/tsx/dist/loader.mjs")).href;

/**
 * Runs `command` (`node src/main.ts` through tsx by default) with `env` over a cleared environment
 * (a variable given as undefined is left out).
 *
 * @example
 * const run = runLotse({ PORT: "3999", DATA_DIR: dir });
 * await run.printed("server.started");
 */
export function runLotse(
  env: Record<string, string | undefined>,
  options: { cwd?: string; command?: [string, string[]]; detached?: boolean } = {},
): LotseRun {
  const [command, args] = options.command ?? [
    process.execPath,
    ["--import", tsxLoader, join(projectRoot, "src/main.ts")],
  ];
  const fullEnv: Record<string, string | undefined> = { ...process.env, ...cleared, ...env };
  // Undefined: not in the environment at all (so that a `.env` file can set it).
  for (const [name, value] of Object.entries(fullEnv)) if (value === undefined) delete fullEnv[name];
  const child = spawn(command, args, {
    cwd: options.cwd ?? projectRoot,
    env: fullEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached === true,
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiting: { text: string; resolve: () => void }[] = [];
  const keep = (lines: string[]) => (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    for (const w of [...waiting]) {
      if ([...stdout, ...stderr].some((line) => line.includes(w.text))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.on("data", keep(stdout));
  child.stderr?.on("data", keep(stderr));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    stdout,
    stderr,
    exited,
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        if ([...stdout, ...stderr].some((line) => line.includes(text))) return resolve();
        waiting.push({ text, resolve });
        void exited.then(() => {
          if (![...stdout, ...stderr].some((line) => line.includes(text)))
            reject(new Error(`exited without printing "${text}":\n${[...stdout, ...stderr].join("\n")}`));
        });
      }),
  };
}

/**
 * Waits until `url` answers 200 (or the process exits, which throws).
 *
 * @example
 * await answering(run, `http://127.0.0.1:${port}/healthz`);
 */
export async function answering(run: LotseRun, url: string): Promise<void> {
  for (;;) {
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode}:\n${run.stderr.join("\n")}`);
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Stops a process that is still running (test clean-up). */
export async function kill(run: LotseRun): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill("SIGKILL");
  await run.exited;
}
