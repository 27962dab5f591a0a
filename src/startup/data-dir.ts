/**
 * `DATA_DIR` checked before SQLite opens a file in it: a path that is a file,
 * or a folder Lotse may not write, stops the start with one line saying so
 * (instead of a stack trace from `mkdir`, or a database that fails on its
 * first write).
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LotseError } from "../domain/errors.ts";

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? "unknown";
}

/**
 * Creates `dir` if missing and proves it writable with a probe file; throws
 * `config.invalid` naming `DATA_DIR` and the cause.
 *
 * @example
 * checkDataDir("./data");
 */
export function checkDataDir(dir: string): void {
  const fail = (why: string, cause?: unknown): never => {
    throw new LotseError("config.invalid", `DATA_DIR: ${dir} ${why}`, { cause });
  };
  const existing = statOrUndefined(dir);
  if (existing && !existing.isDirectory()) fail("is a file, not a folder");
  if (!existing) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      fail(`cannot be created (${codeOf(error)})`, error);
    }
  }
  // `access(W_OK)` says yes to root on a read-only mount; writing a file is the real test.
  const probe = join(dir, `.lotse-write-check-${process.pid}`);
  try {
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    fail(`is not writable (${codeOf(error)})`, error);
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (codeOf(error) === "ENOENT") return undefined;
    // ENOTDIR: a parent is a file.
    throw new LotseError("config.invalid", `DATA_DIR: ${path} cannot be used (${codeOf(error)})`, { cause: error });
  }
}
