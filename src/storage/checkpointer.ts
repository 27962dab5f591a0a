/**
 * SQLite's checkpoints in a thread of their own.
 *
 * In WAL mode each COMMIT appends the changed pages to the `-wal` file, and a checkpoint copies them
 * back into the database file and flushes both to disk. By default the connection that commits runs it,
 * inside the COMMIT that takes the log past 1,000 pages: on the one thread that also answers every
 * webhook. On the quiz workload that was 28 of 183 commits taking 16 to 29 ms each (two thirds of all the
 * time spent committing), and on the webhook at 500 updates a second some 60 stalls of 8 to 44 ms in ten
 * seconds, with every request that arrived meanwhile waiting.
 *
 * Here a worker thread with a connection of its own runs a PASSIVE checkpoint every `everyMs`: it copies
 * what was committed without waiting for or blocking the writer, and its disk flushes wait in that
 * thread. The main connection keeps its own automatic checkpoint, at a later mark
 * ({@link fallbackCheckpointPages}): when the worker is gone or falls behind, the log still stops
 * growing there, and it is also what lets the log start over from its beginning (a checkpoint running
 * beside a busy writer never finds the log fully copied when the next transaction starts; the writer's
 * own, after the worker's, has only the last pages left to copy).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type SQLite from "better-sqlite3";

/** How often the worker checkpoints. */
const defaultEveryMs = 200;

/**
 * The main connection's own checkpoint mark, in pages (SQLite's default is 1,000): the log's size
 * between two of them, at most 40 MB with 4 KiB pages.
 */
export const fallbackCheckpointPages = 10_000;

/** SQLite's own mark, which the main connection goes back to when the worker fails. */
const sqliteCheckpointPages = 1_000;

/**
 * The worker's code, plain JavaScript run from a string: the same whether Lotse runs from TypeScript
 * (tsx, vitest) or compiled, with no file of its own to find. It answers "stop" by closing its connection.
 */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = db.prepare("pragma wal_checkpoint(PASSIVE)");
let failed = false;
const timer = setInterval(() => {
  try {
    checkpoint.get();
    failed = false;
  } catch (error) {
    // Told once per run of failures (a full disk fails every time until it is freed).
    if (!failed) parentPort.postMessage({ error: String(error && error.message || error), code: error && error.code });
    failed = true;
  }
}, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** What the main thread hears from the worker. */
export interface CheckpointerEvents {
  /** A checkpoint failed (told once until one succeeds again), or the worker could not start or died. */
  onError?: (error: Error) => void;
}

/** A running background checkpointer. */
export interface Checkpointer {
  /** Stops the worker and closes its connection; resolves when it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing the SQLite file at `path` (in WAL mode, opened by `sqlite`) from a worker thread,
 * and moves `sqlite`'s own checkpoint to {@link fallbackCheckpointPages}.
 *
 * @example
 * const checkpoints = startCheckpointer(sqlite, "./data/lotse.db");
 * // ... at shutdown, before closing `sqlite`:
 * await checkpoints.stop();
 */
export function startCheckpointer(
  sqlite: SQLite.Database,
  path: string,
  events: CheckpointerEvents = {},
  everyMs = defaultEveryMs,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { driver, path, everyMs },
    // It holds one prepared statement: a small heap keeps the thread's memory small.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
  });
  // The process may end without stopping it (a test, a crash path): the worker does not keep it alive.
  worker.unref();
  sqlite.pragma(`wal_autocheckpoint = ${fallbackCheckpointPages}`);
  let stopped = false;
  let restored = false;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  /** The main connection checkpoints as often as SQLite would by default (both may: one runs at a time). */
  const checkpointOnMain = () => {
    if (stopped || !sqlite.open) return;
    try {
      sqlite.pragma(`wal_autocheckpoint = ${sqliteCheckpointPages}`);
    } catch (error) {
      events.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const restore = (why: Error) => {
    // A worker that throws also exits: told once, with the first reason.
    if (stopped || restored) return;
    restored = true;
    checkpointOnMain();
    events.onError?.(why);
  };
  worker.on("message", (message: { error?: string; code?: string }) => {
    if (message.error === undefined) return;
    checkpointOnMain();
    events.onError?.(
      Object.assign(new Error(`background checkpoint failed: ${message.error}`), { code: message.code }),
    );
  });
  worker.on("error", (error) => restore(error));
  worker.on("exit", (code) => {
    if (!stopped) restore(new Error(`the checkpoint worker stopped (exit code ${code})`));
  });
  return {
    async stop() {
      if (stopped) return exited;
      stopped = true;
      // Held until it is gone: with nothing else left to do, the process would end while it is awaited.
      worker.ref();
      worker.postMessage("stop");
      // A worker stuck in a long checkpoint is ended; its connection closes with it.
      const timeout = setTimeout(() => void worker.terminate(), 5_000);
      timeout.unref();
      await exited;
      clearTimeout(timeout);
    },
  };
}
