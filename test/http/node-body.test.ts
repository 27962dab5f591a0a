/**
 * Bodies read from Node's request (src/http/node-body.ts): through a real Node server, the size limit
 * and the body are the same as Hono's own, and no web `Request` is built for them; without one
 * (`app.request` in tests), Hono's own way answers.
 */
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { bodyText, limitBodies } from "../../src/http/node-body.ts";

const maxSize = 1024;

/** True when @hono/node-server built the full web Request (it does so only when asked for its body, its signal ...). */
function builtRequest(raw: Request): boolean {
  return Object.getOwnPropertySymbols(raw).some(
    (symbol) => symbol.description === "requestCache" && (raw as never)[symbol] !== undefined,
  );
}

/** An app that answers what it read, and whether the web Request was built to read it. */
function echoApp(): Hono {
  const app = new Hono();
  app.use(
    "*",
    limitBodies(maxSize, (c) => c.json({ error: "the body is too large" }, 413)),
  );
  app.post("/echo", async (c) => {
    const text = await bodyText(c);
    return c.json({ text, built: builtRequest(c.req.raw) });
  });
  app.get("/page", (c) => c.json({ built: builtRequest(c.req.raw) }));
  return app;
}

describe("bodies read from Node's request", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function serve(app: Hono): Promise<string> {
    const server = createAdaptorServer({ fetch: app.fetch });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  // Regression (issue 16): every webhook built undici's Request, an AbortController and web streams to
  // read a body of a kilobyte, about a tenth of the server's main thread at 500 updates a second.
  it("reads a body with its length from Node's request, without building a web Request", async () => {
    const url = await serve(echoApp());
    const body = JSON.stringify({ update_id: 1, text: "سلام، دکتر کجاست؟ ۱۲۳" });
    const response = await fetch(`${url}/echo`, { method: "POST", body });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ text: body, built: false });
  });

  it("lets a request without a body (a GET) through the limit without building a web Request", async () => {
    const url = await serve(echoApp());
    const response = await fetch(`${url}/page`);
    expect(await response.json()).toEqual({ built: false });
  });

  it("refuses a body over the limit by its length", async () => {
    const url = await serve(echoApp());
    const response = await fetch(`${url}/echo`, { method: "POST", body: "x".repeat(maxSize + 1) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "the body is too large" });
  });

  it("refuses a body sent in chunks without a length once it passes the limit, and reads one under it", async () => {
    const url = await serve(echoApp());
    const chunked = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < text.length; i += 100)
            controller.enqueue(new TextEncoder().encode(text.slice(i, i + 100)));
          controller.close();
        },
      });
    const over = await fetch(`${url}/echo`, { method: "POST", body: chunked("y".repeat(maxSize * 2)), duplex: "half" });
    expect(over.status).toBe(413);
    const under = await fetch(`${url}/echo`, { method: "POST", body: chunked("z".repeat(500)), duplex: "half" });
    expect(under.status).toBe(200);
    expect(((await under.json()) as { text: string }).text).toBe("z".repeat(500));
  });

  it("falls back to Hono's own reading without a Node server", async () => {
    const app = echoApp();
    const ok = await app.request("/echo", { method: "POST", body: "hello" });
    expect(((await ok.json()) as { text: string }).text).toBe("hello");
    const big = await app.request("/echo", {
      method: "POST",
      body: "x".repeat(maxSize + 1),
      headers: { "content-length": String(maxSize + 1) },
    });
    expect(big.status).toBe(413);
  });
});
