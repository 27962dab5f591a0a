/**
 * Backing up the SQLite file while Lotse runs. `VACUUM INTO` writes a
 * consistent copy from one read transaction: in WAL mode it neither blocks
 * the running bot nor is disturbed by its writes (SQLite's page-by-page
 * backup API starts over whenever another connection writes, and may never
 * finish under steady traffic). The copy is written under a temporary name,
 * checked, and only then given its dated name, so a file with that name is
 * always whole. Postgres is backed up with `pg_dump`; Lotse only says how.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { LotseError } from "../domain/errors.ts";

/** Where a backup went. */
export interface Backup {
  path: string;
  bytes: number;
}

/** `2026-03-02T09-00-00Z`: a time in a file name (no colons), sorting in time order. */
function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(":", "-");
}

/**
 * The dated name of a backup.
 *
 * @example
 * backupFileName(new Date("2026-03-02T09:00:00Z")); // "lotse-2026-03-02T09-00-00Z.db"
 */
export function backupFileName(now: Date, extension = "db"): string {
  return `lotse-${stamp(now)}.${extension}`;
}

/**
 * Copies the SQLite database at `sourcePath` into `folder` as a dated file, checks the copy
 * (`PRAGMA quick_check`) and returns its path and size. Throws `storage.failed` with the cause.
 *
 * @example
 * const { path, bytes } = await backupSqlite("./data/lotse.db", "/var/backups/lotse");
 */
export async function backupSqlite(sourcePath: string, folder: string, now = new Date()): Promise<Backup> {
  if (!existsSync(sourcePath)) {
    throw new LotseError("storage.failed", `no SQLite database at ${sourcePath} (is DATA_DIR right?)`);
  }
  const path = join(folder, backupFileName(now));
  if (existsSync(path)) throw new LotseError("storage.failed", `${path} exists already: not overwritten`);
  const partial = `${path}.partial`;
  try {
    mkdirSync(folder, { recursive: true });
    rmSync(partial, { force: true });
    // Read-write, not read-only: a read-only connection cannot open a WAL database whose -shm file is missing.
    const source = new SQLite(sourcePath, { fileMustExist: true });
    try {
      source.pragma("busy_timeout = 10000");
      source.prepare("VACUUM INTO ?").run(partial);
    } finally {
      source.close();
    }
    const copy = new SQLite(partial, { readonly: true, fileMustExist: true });
    try {
      const check = copy.pragma("quick_check", { simple: true });
      if (check !== "ok") throw new Error(`the copy failed its check: ${String(check)}`);
    } finally {
      copy.close();
    }
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new LotseError("storage.failed", `backup of ${sourcePath} to ${folder} failed`, { cause: error });
  }
  return { path, bytes: statSync(path).size };
}

/**
 * The `pg_dump` command that backs up Lotse's Postgres database (and its restore), reading the
 * URL from `$DATABASE_URL` so no password is printed.
 *
 * @example
 * pgDumpCommand("/var/backups/lotse", "lotse", new Date());
 * // pg_dump --format=custom --schema=lotse --file='/var/backups/lotse/lotse-….dump' "$DATABASE_URL"
 */
export function pgDumpCommand(folder: string, schema: string | undefined, now = new Date()): string {
  const file = join(folder, backupFileName(now, "dump")).replaceAll("'", "'\\''");
  return `pg_dump --format=custom${schema ? ` --schema=${schema}` : ""} --file='${file}' "$DATABASE_URL"`;
}

/**
 * A size for people: bytes, KB, MB or GB.
 *
 * @example
 * humanSize(5_300_000); // "5.1 MB"
 */
export function humanSize(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
