/**
 * Regression (issue 15, finding 10): `.env` was never read though the README
 * tells people to use it. It is now read at start from the working directory,
 * the real environment winning, a missing file fine, a malformed line a clear
 * one-line error (Node's own parser skips such a line silently).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { firstMalformedLine, loadEnvFile } from "../../src/startup/env-file.ts";
import { freePort } from "../support/lotse-processes.ts";
import { answering, kill, type LotseRun, runLotse } from "./lotse-run.ts";

describe(".env is read at start (it was never read)", { timeout: 240_000 }, () => {
  let dir: string | undefined;
  let run: LotseRun | undefined;
  const touched: string[] = [];
  afterEach(async () => {
    if (run) await kill(run);
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const name of touched.splice(0)) delete process.env[name];
  });

  it("the server takes PORT and DATA_DIR from .env in its working directory", async () => {
    dir = mkdtempSync(join(tmpdir(), "lotse-env-"));
    const port = await freePort();
    writeFileSync(join(dir, ".env"), `# from the README\nPORT=${port}\nDATA_DIR=${join(dir, "data")}\n`);
    // PORT and DATA_DIR are taken out of the process's environment: only the file can set them.
    run = runLotse({ LOG_LEVEL: "warn", PORT: undefined, DATA_DIR: undefined }, { cwd: dir });
    await answering(run, `http://127.0.0.1:${port}/healthz`);
  });

  it("the environment wins over the file, and a missing file is fine", () => {
    dir = mkdtempSync(join(tmpdir(), "lotse-env-"));
    const file = join(dir, ".env");
    writeFileSync(file, "LOTSE_TEST_A=from-file\nLOTSE_TEST_B=from-file\n");
    touched.push("LOTSE_TEST_A", "LOTSE_TEST_B");
    process.env.LOTSE_TEST_A = "from-environment";
    expect(loadEnvFile(file)).toBe(true);
    expect(process.env.LOTSE_TEST_A).toBe("from-environment");
    expect(process.env.LOTSE_TEST_B).toBe("from-file");
    expect(loadEnvFile(join(dir, "missing.env"))).toBe(false);
  });

  it("a malformed line stops the start with its line number, never its content", () => {
    dir = mkdtempSync(join(tmpdir(), "lotse-env-"));
    const file = join(dir, ".env");
    writeFileSync(file, "PORT=3000\n123456:secret-token-pasted-alone\nHOST=0.0.0.0\n");
    expect(() => loadEnvFile(file)).toThrow(`${file}: line 2 is not NAME=value`);
    expect(() => loadEnvFile(file)).not.toThrow(/secret-token/);
  });

  it("reads comments, export, quotes and values spanning lines as Node does", () => {
    expect(firstMalformedLine("# c\n\nexport A=1\nB=\"two\nlines\"\nC='x'\nD=a=b\n")).toBeUndefined();
    expect(firstMalformedLine('A="never closed\nB=1\n')).toBe(3);
    expect(firstMalformedLine("A=1\nnot an assignment\n")).toBe(2);
  });
});
