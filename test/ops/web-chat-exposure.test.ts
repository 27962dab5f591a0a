/**
 * Regression (issue 15, finding 8): the web chat open to the network. With no
 * platform configured and HOST=0.0.0.0 (the Docker image's), the local web
 * chat, which has no login, was served to anyone who could reach the port.
 * Now WEB_CHAT=auto serves it only on a loopback HOST; elsewhere it takes
 * WEB_CHAT=on, and the start says loudly why it is off.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decideWebChat, isLoopbackHost } from "../../src/startup/web-chat-exposure.ts";
import { freePort } from "../support/lotse-processes.ts";
import { answering, kill, type LotseRun, runLotse } from "./lotse-run.ts";

describe("the web chat open to the network", { timeout: 240_000 }, () => {
  let run: LotseRun | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (run) await kill(run);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("HOST=0.0.0.0 without WEB_CHAT=on: no web chat, and a console line saying why and how to turn it on", async () => {
    dir = mkdtempSync(join(tmpdir(), "lotse-webchat-"));
    const port = await freePort();
    run = runLotse({ HOST: "0.0.0.0", WEB_CHAT: "auto", PORT: String(port), DATA_DIR: dir, LOG_LEVEL: "warn" });
    await answering(run, `http://127.0.0.1:${port}/healthz`);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    const chat = await fetch(`http://127.0.0.1:${port}/chat/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ session: "browser-1", text: "hi" }),
    });
    expect(chat.status).toBe(404);
    expect(run.stdout.join("\n")).toMatch(/web chat is OFF: HOST=0\.0\.0\.0 .*WEB_CHAT=on/);
    expect(run.stderr.join("\n")).toContain("web_chat.refused");
  });

  it("serves it on a loopback HOST, or anywhere with WEB_CHAT=on; never with a platform unless on", () => {
    expect(decideWebChat({ WEB_CHAT: "auto", HOST: "127.0.0.1" }, 0).on).toBe(true);
    expect(decideWebChat({ WEB_CHAT: "auto", HOST: "localhost" }, 0).on).toBe(true);
    expect(decideWebChat({ WEB_CHAT: "auto", HOST: "::1" }, 0).on).toBe(true);
    expect(decideWebChat({ WEB_CHAT: "auto", HOST: "0.0.0.0" }, 0)).toMatchObject({
      on: false,
      refusal: expect.any(String),
    });
    expect(decideWebChat({ WEB_CHAT: "auto", HOST: "::" }, 0).on).toBe(false);
    expect(decideWebChat({ WEB_CHAT: "auto", HOST: "192.168.1.20" }, 0).on).toBe(false);
    expect(decideWebChat({ WEB_CHAT: "on", HOST: "0.0.0.0" }, 0).on).toBe(true);
    expect(decideWebChat({ WEB_CHAT: "auto", HOST: "127.0.0.1" }, 1).on).toBe(false);
    expect(decideWebChat({ WEB_CHAT: "off", HOST: "127.0.0.1" }, 0).on).toBe(false);
  });

  it("knows the loopback addresses", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "example.org", "128.0.0.1"])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
