/**
 * What runs in production is what CI tests: `npm run build` compiles src/ and flows/ to dist/, and the
 * built server (`node dist/src/main.js`, what the Docker image runs, without tsx) starts, finds content/,
 * locales/ and the web chat's page, answers a first message exactly as the source does, and stops on
 * SIGTERM. The build runs in a copy of the project in a temporary folder (the work tree's dist/ is left
 * alone), laid out like the image: dist/ beside content/, locales/ and node_modules/.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/app.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { createTestApp } from "../support/app.ts";
import { freePort } from "../support/lotse-processes.ts";

const run = promisify(execFile);

/** tsc on the whole project takes about 20 s of CPU; on a busy 2-core machine several times that. */
const buildWithinMs = 240_000;
const readyWithinMs = 60_000;

/** A copy of what the build reads; the data folders and the installed packages are linked, not copied. */
function projectCopy(): string {
  const root = mkdtempSync(join(tmpdir(), "lotse-build-"));
  for (const folder of ["src", "flows"]) {
    cpSync(join(projectRoot, folder), join(root, folder), { recursive: true, filter: (f) => !f.endsWith(".tmp.ts") });
  }
  for (const file of ["package.json", "tsconfig.json", "tsconfig.build.json"]) {
    cpSync(join(projectRoot, file), join(root, file));
  }
  for (const linked of ["node_modules", "content", "locales"])
    symlinkSync(join(projectRoot, linked), join(root, linked));
  return root;
}

/** Waits for `/healthz`, or throws with what the process printed if it exits or takes too long. */
async function untilHealthy(child: ChildProcess, port: number, output: string[]): Promise<Response> {
  const deadline = Date.now() + readyWithinMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the built server exited (${child.exitCode}):\n${output.join("")}`);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (res) return res;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the built server did not answer /healthz within ${readyWithinMs} ms:\n${output.join("")}`);
}

describe("the built server (npm run build, node dist/src/main.js)", () => {
  let root: string;
  let child: ChildProcess;
  let port: number;
  let health: Response;
  const output: string[] = [];

  beforeAll(async () => {
    root = projectCopy();
    await run("npm", ["run", "build"], { cwd: root, timeout: buildWithinMs, maxBuffer: 16 * 1024 * 1024 });
    port = await freePort();
    mkdirSync(join(root, "data"));
    // Only what the server needs: no DATABASE_URL, REDIS_URL or platform token from the test's environment
    // (so SQLite in the temporary DATA_DIR, and the web chat on since no platform is configured).
    child = spawn(process.execPath, ["--enable-source-maps", "dist/src/main.js"], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        DATA_DIR: join(root, "data"),
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    health = await untilHealthy(child, port, output);
  }, buildWithinMs + readyWithinMs);

  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("is plain JavaScript with the page it serves beside it", () => {
    expect(existsSync(join(root, "dist/src/main.js"))).toBe(true);
    expect(existsSync(join(root, "dist/flows/onboarding.js"))).toBe(true);
    expect(existsSync(join(root, "dist/src/channels/web/page.html"))).toBe(true);
    expect(existsSync(join(root, "dist/src/main.ts"))).toBe(false);
  });

  it("answers /healthz on SQLite in its DATA_DIR", async () => {
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "sqlite" });
    expect(existsSync(join(root, "data/lotse.db"))).toBe(true);
  });

  it("answers a first message in the web chat exactly as the source does", async () => {
    const body = JSON.stringify({ session: "build-test-0001", text: "hello" });
    const headers = { "content-type": "application/json" };
    const built = await fetch(`http://127.0.0.1:${port}/chat/messages`, { method: "POST", headers, body });
    expect(built.status).toBe(200);
    const builtAnswer = (await built.json()) as { messages: unknown[] };

    const app = await createTestApp("sqlite");
    try {
      const source = await createHttpApp(app, { webChat: true }).request("/chat/messages", {
        method: "POST",
        headers,
        body,
      });
      const sourceAnswer = (await source.json()) as { messages: unknown[] };
      expect(builtAnswer.messages.length).toBeGreaterThan(0);
      expect(builtAnswer.messages).toEqual(sourceAnswer.messages);
    } finally {
      await app.dispose();
    }
  });

  it("serves the web chat's page", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("</html>");
  });

  it("stops on SIGTERM with exit code 0", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
