/**
 * The HTTP server as the web chat and an operator's health check use it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

  it("reports unavailable when the database is gone", async () => {
    const gone = await createTestApp();
    const http = createHttpApp(gone, { webChat: false });
    await gone.dispose();
    const res = await http.request("/healthz");
    expect(res.status).toBe(503);
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
