/**
 * `npm run backup [folder]`: a consistent copy of the SQLite database, taken
 * while Lotse runs, into `folder` (else `BACKUP_DIR`, else DATA_DIR/backups)
 * as `lotse-<UTC time>.db`; prints where it went and its size. With
 * `DATABASE_URL` (Postgres) it prints the `pg_dump` command to use instead and
 * exits 1, since nothing was copied (a scheduled job must not take that for a
 * backup). Reads `.env` like the server, the environment winning.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadConfig, sqlitePathFor } from "../config.ts";
import { backupSqlite, humanSize, pgDumpCommand } from "./backup.ts";

if (existsSync(".env")) process.loadEnvFile(".env");
try {
  const config = loadConfig(process.env);
  const folder = process.argv[2] || process.env.BACKUP_DIR || join(config.DATA_DIR, "backups");
  if (config.DATABASE_URL) {
    console.log("Lotse runs on Postgres (DATABASE_URL): back it up with pg_dump, for example");
    console.log(`  ${pgDumpCommand(folder, config.DATABASE_SCHEMA)}`);
    console.log('and restore with pg_restore --clean --dbname="$DATABASE_URL" <file>. Nothing was copied.');
    process.exitCode = 1;
  } else {
    const { path, bytes } = await backupSqlite(sqlitePathFor(config), folder);
    console.log(`Backup written to ${path} (${humanSize(bytes)}).`);
  }
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exitCode = 1;
}
