/**
 * `npm run backup` (issue 15, finding 10): a consistent copy of the SQLite
 * file taken while Lotse runs and another process keeps writing; the copy
 * opens, passes `PRAGMA integrity_check` and holds every row committed before
 * it was taken, without a gap. On Postgres it says to use pg_dump instead.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type App, createApp, projectRoot } from "../../src/app.ts";
import type { Address } from "../../src/domain/address.ts";
import { backupFileName, backupSqlite, humanSize, pgDumpCommand } from "../../src/ops/backup.ts";

const run = promisify(execFile);

/** Another process inserting rows writer-00000001, writer-00000002 ... one transaction each, until its stdin closes. */
const writerScript = `
import Database from "better-sqlite3";
const db = new Database(process.argv[1]);
db.pragma("busy_timeout = 5000");
const insert = db.prepare("insert into inbound_seen (id, seen_at) values (?, ?)");
let n = 0;
let open = true;
process.stdin.on("end", () => { open = false; });
process.stdin.resume();
const burst = () => {
  if (!open) { db.close(); process.stdout.write("done " + n + "\\n"); return; }
  for (let i = 0; i < 20; i++) { n += 1; insert.run("writer-" + String(n).padStart(8, "0"), new Date().toISOString()); }
  process.stdout.write(n + "\\n");
  setImmediate(burst);
};
burst();
`;

function startWriter(file: string): { child: ChildProcess; written: () => number; done: Promise<number> } {
  const child = spawn(process.execPath, ["--input-type=module", "-e", writerScript, file], { cwd: projectRoot });
  let written = 0;
  let buffer = "";
  const done = new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("done ")) resolve(Number(line.slice(5)));
        else written = Number(line);
      }
    });
    child.on("exit", (code) => (code === 0 ? undefined : reject(new Error(`writer exited with ${code}`))));
  });
  return { child, written: () => written, done };
}

describe("backing up SQLite while Lotse runs", () => {
  let dir: string;
  let app: App;
  let file: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "lotse-backup-"));
    file = join(dir, "lotse.db");
    app = await createApp({ sqlitePath: file });
  });
  afterEach(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies a consistent, whole database while another connection writes", async () => {
    const address = "web:backup-test" as Address;
    await app.engine.handle({ id: "web:m1", address, kind: "text", text: "hello", receivedAt: new Date() });
    const writer = startWriter(file);
    while (writer.written() < 2000) await new Promise((resolve) => setTimeout(resolve, 10));
    const committedBefore = writer.written();

    const { path, bytes } = await backupSqlite(file, join(dir, "backups"), new Date("2026-03-02T09:00:00Z"));
    writer.child.stdin?.end();
    const writtenInAll = await writer.done;

    expect(path).toBe(join(dir, "backups", "lotse-2026-03-02T09-00-00Z.db"));
    expect(bytes).toBe(statSync(path).size);
    expect(readdirSync(join(dir, "backups"))).toEqual(["lotse-2026-03-02T09-00-00Z.db"]);
    const copy = new SQLite(path, { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      const rows = copy
        .prepare("select count(*) as n, max(id) as last from inbound_seen where id like 'writer-%'")
        .get() as { n: number; last: string };
      // Every row committed before the backup is there, and the rows form an unbroken run: one snapshot.
      expect(rows.n).toBeGreaterThanOrEqual(committedBefore);
      expect(rows.n).toBeLessThanOrEqual(writtenInAll);
      expect(rows.last).toBe(`writer-${String(rows.n).padStart(8, "0")}`);
      expect(copy.prepare("select count(*) as n from users where address = ?").get(address)).toEqual({ n: 1 });
    } finally {
      copy.close();
    }
    // The live database went on: the writer's later rows are there.
    const live = new SQLite(file, { readonly: true });
    expect(
      (live.prepare("select count(*) as n from inbound_seen where id like 'writer-%'").get() as { n: number }).n,
    ).toBe(writtenInAll);
    live.close();
  });

  it("refuses to overwrite a backup and says when there is no database", async () => {
    const at = new Date("2026-03-02T09:00:00Z");
    await backupSqlite(file, join(dir, "backups"), at);
    await expect(backupSqlite(file, join(dir, "backups"), at)).rejects.toThrow(/exists already/);
    await expect(backupSqlite(join(dir, "nothing.db"), join(dir, "backups"), at)).rejects.toThrow(
      /no SQLite database at/,
    );
    expect(existsSync(join(dir, "nothing.db"))).toBe(false);
  });

  it("runs as npm run backup: into the folder given, printing where and how big", async () => {
    const out = join(dir, "given");
    const { stdout } = await run(process.execPath, ["--import", "tsx", "src/ops/backup-cli.ts", out], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "", BACKUP_DIR: "" },
    });
    const [name] = readdirSync(out);
    expect(name).toMatch(/^lotse-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db$/);
    const path = join(out, name ?? "");
    expect(stdout.trim()).toBe(`Backup written to ${path} (${humanSize(statSync(path).size)}).`);
  });
});

describe("backing up Postgres", () => {
  it("prints the pg_dump command instead, without the password, and exits non-zero", async () => {
    const failed = await run(process.execPath, ["--import", "tsx", "src/ops/backup-cli.ts", "/srv/backups"], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: "postgres://lotse:pa55word@db.example.org/lotse", DATABASE_SCHEMA: "lotse" },
    }).catch((error: { code: number; stdout: string }) => error);
    expect("code" in failed ? failed.code : 0).toBe(1);
    expect(failed.stdout).toContain("pg_dump --format=custom --schema=lotse --file='/srv/backups/lotse-");
    expect(failed.stdout).toContain('"$DATABASE_URL"');
    expect(failed.stdout).not.toContain("pa55word");
  });

  it("names files by UTC time so they sort in time order", () => {
    expect(backupFileName(new Date("2026-03-02T09:00:00.123Z"))).toBe("lotse-2026-03-02T09-00-00Z.db");
    expect(pgDumpCommand("/b", undefined, new Date("2026-03-02T09:00:00Z"))).toBe(
      `pg_dump --format=custom --file='/b/lotse-2026-03-02T09-00-00Z.dump' "$DATABASE_URL"`,
    );
  });
});
