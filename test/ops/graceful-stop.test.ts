/**
 * Regression (issue 15, finding 10): SIGTERM to `npm start` left tsx and node
 * running as orphans, and the server was not drained (a request in flight was
 * cut). Now `npm start` is one node process: on SIGTERM it stops accepting,
 * finishes the request in flight, stops the rest, logs `server.stopped`, and
 * exits 0 with nothing left behind.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../support/lotse-processes.ts";
import { answering, type LotseRun, runLotse } from "./lotse-run.ts";

/** Every process in process group `pgid` (Linux: field 5 of /proc/<pid>/stat). */
function processGroup(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") members.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

describe("SIGTERM to npm start (left orphans, cut requests in flight)", { timeout: 240_000 }, () => {
  let run: LotseRun | undefined;
  let dir: string | undefined;
  afterEach(() => {
    const pgid = run?.child.pid;
    if (pgid) for (const pid of processGroup(pgid)) process.kill(pid, "SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("finishes the request in flight, exits 0 and leaves no process behind", async () => {
    dir = mkdtempSync(join(tmpdir(), "lotse-stop-"));
    const port = await freePort();
    // Its own process group, so that whatever npm started can be found after npm is gone.
    run = runLotse(
      { PORT: String(port), DATA_DIR: dir, WEB_CHAT: "on", LOG_LEVEL: "info" },
      { command: ["npm", ["start", "--silent"]], detached: true },
    );
    await answering(run, `http://127.0.0.1:${port}/healthz`);
    const pgid = run.child.pid as number;

    // A slow web chat request: its headers and half its body now, the rest once the stop has begun.
    const body = JSON.stringify({ session: "browser-1", text: "hi" });
    const socket = connect(port, "127.0.0.1");
    let response = "";
    socket.on("data", (chunk: Buffer) => {
      response += chunk.toString();
    });
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(
      `POST /chat/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    // Another request answered after those bytes were sent: the server has read the slow one's headers.
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    process.kill(pgid, "SIGTERM");
    await run.printed("server.draining");
    socket.write(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('"messages"');

    expect(await run.exited).toBe(0);
    expect(run.stderr.join("\n")).toContain("server.stopped");
    expect(processGroup(pgid)).toEqual([]);
  });
});
