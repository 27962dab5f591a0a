/**
 * `npm run content:overrides [-- --dry-run] [content]`: writes the staff's corrections of city
 * services (made in the console or the API) into their files under `content/cities/` for review,
 * and prints each file it changed. `--dry-run` prints the changed lines (long ones wrapped at 100
 * characters, the old verification note not repeated) and writes nothing. A closed service's file is
 * left alone, with a line saying so and quoting the team's note (often "closed until …"). The
 * corrections stay in the database until staff remove them (once the reviewed files are deployed).
 *
 * The database is the server's: `DATABASE_URL` (Postgres), else `lotse.db` in `DATA_DIR`, read from
 * the environment and `.env` like the server. A database it cannot open exits 1 with the reason.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig, sqlitePathFor } from "../config.ts";
import { loadEnvFile } from "../startup/env-file.ts";
import { type OpenDatabase, openDatabase } from "../storage/database.ts";
import { exportOverrides, formatExport } from "./export-overrides.ts";
import { listServiceOverrides } from "./overrides.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { "dry-run": { type: "boolean", default: false } },
});
const dryRun = values["dry-run"] === true;
const contentDir = positionals[0] ?? "content";

/** Opens the server's database, or says in one line why it cannot. */
async function open(): Promise<OpenDatabase> {
  loadEnvFile();
  const config = loadConfig(process.env);
  if (config.DATABASE_URL)
    return openDatabase({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, sqlitePath: "" });
  const path = sqlitePathFor(config);
  // Opening a missing file would create an empty database: say where it was looked for instead.
  if (!existsSync(path))
    throw new Error(`there is no database at ${path} (set DATA_DIR to the folder with lotse.db, or DATABASE_URL)`);
  return openDatabase({ sqlitePath: path });
}

let database: OpenDatabase;
try {
  database = await open();
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  console.error(
    `content:overrides: cannot open the database: ${error instanceof Error ? error.message : String(error)}${cause}`,
  );
  process.exit(1);
}
try {
  const overrides = await listServiceOverrides(database.db);
  for (const line of formatExport(await exportOverrides(contentDir, overrides, { dryRun }), dryRun)) console.log(line);
} catch (error) {
  console.error(`content:overrides: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
