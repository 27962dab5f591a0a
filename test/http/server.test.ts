/**
 * The HTTP server as the web chat and an operator's health check use it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Readiness } from "../../src/http/readiness.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

describe("HTTP server", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.dispose());

  const post = (http: ReturnType<typeof createHttpApp>, body: string) =>
    http.request("/chat/messages", { method: "POST", headers: { "content-type": "application/json" }, body });

  it("reports health with the database it uses", async () => {
    const res = await createHttpApp(app, { webChat: false }).request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: app.store.dialect });
  });

  it("reports not ready when the database is gone, while staying alive (a restart would not bring it back)", async () => {
    const gone = await createTestApp();
    const http = createHttpApp(gone, { webChat: false });
    await gone.dispose();
    const res = await http.request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: "unavailable",
      reason: "database unreachable",
      database: gone.store.dialect,
    });
    expect((await http.request("/healthz")).status).toBe(200);
  });

  // Regression (issue 15, findings 2 and 10): a process whose channels had not started, or that was stopping,
  // said it was healthy: there was no readiness apart from liveness.
  it("is not ready while the channels start or while it drains, and ready in between", async () => {
    const readiness = new Readiness();
    const http = createHttpApp(app, { webChat: false, readiness });
    const starting = await http.request("/readyz");
    expect(starting.status).toBe(503);
    expect(await starting.json()).toMatchObject({ status: "unavailable", reason: "starting" });
    readiness.markStarted();
    const ready = await http.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ok", database: app.store.dialect });
    readiness.markDraining();
    const draining = await http.request("/readyz");
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({ status: "unavailable", reason: "draining" });
    expect((await http.request("/healthz")).status).toBe(200);
  });

  it("serves the web chat page and talks through it, with buttons as buttons", async () => {
    const http = createHttpApp(app, { webChat: true });
    expect(await (await http.request("/")).text()).toContain("<title>Lotse");
    type Reply = { messages: { kind: string; text: string; buttons?: unknown[] }[] };
    const first = (await (await post(http, JSON.stringify({ session: "browser-1", text: "hi" }))).json()) as Reply;
    expect(first.messages[0]).toMatchObject({
      kind: "buttons",
      buttons: expect.arrayContaining([{ id: "lang.en", label: "English" }]),
    });
    expect(first.messages[0]?.buttons).toHaveLength(19);
    const second = (await (
      await post(http, JSON.stringify({ session: "browser-1", choiceId: "lang.de" }))
    ).json()) as Reply;
    expect(second.messages[0]?.text).toContain("Wo wohnen Sie?");
  });

  it("rejects malformed JSON, a bad session and an over-large body with clear 4xx answers", async () => {
    const http = createHttpApp(app, { webChat: true });
    const bad = await post(http, "{not json");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "the body must be JSON" });
    const session = await post(http, JSON.stringify({ session: "x", text: "hi" }));
    expect(session.status).toBe(400);
    const huge = await post(http, JSON.stringify({ session: "browser-1", text: "a".repeat(300_000) }));
    expect(huge.status).toBe(413);
  });

  it("does not serve the web chat when it is off", async () => {
    const res = await createHttpApp(app, { webChat: false }).request("/");
    expect(res.status).toBe(404);
  });
});
