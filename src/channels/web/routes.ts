/**
 * The local web chat: a page to talk to the bot from a browser, served when
 * no messaging platform is configured. Like the terminal chat it is a pull
 * channel: each request hands a message to the engine and takes back what the
 * engine queued for that browser's session.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { z } from "zod";
import type { App } from "../../app.ts";
import { toAddress } from "../../domain/address.ts";
import type { Inbound } from "../../domain/inbound.ts";
import { layout } from "../layout.ts";
import { webProfile } from "../profiles.ts";

const sessionId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, "a session id of 8 to 64 letters, digits or dashes");

const messageBody = z.union([
  z.object({ session: sessionId, text: z.string().max(20_000) }),
  z.object({ session: sessionId, choiceId: z.string().min(1).max(256) }),
]);

const page = readFileSync(new URL("./page.html", import.meta.url), "utf8");

/**
 * The web chat's routes: `GET /` (the page), `POST /chat/messages` (send and
 * receive), `GET /chat/messages?session=` (receive what came later).
 *
 * @example
 * http.route("/", webChatRoutes(app));
 */
export function webChatRoutes(app: App): Hono {
  const routes = new Hono();
  routes.get("/", (c) => c.html(page));
  routes.post("/chat/messages", async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return c.json({ error: "the body must be JSON" }, 400);
    }
    const body = messageBody.safeParse(raw);
    if (!body.success) return c.json({ error: body.error.issues.map((i) => i.message).join("; ") }, 400);
    const address = toAddress("web", body.data.session);
    const base = { id: `web:${randomUUID()}`, address, receivedAt: app.clock.now() };
    const inbound: Inbound =
      "text" in body.data
        ? { ...base, kind: "text", text: body.data.text }
        : { ...base, kind: "choice", choiceId: body.data.choiceId };
    await app.engine.handle(inbound);
    return c.json({ messages: await pending(app, address) });
  });
  routes.get("/chat/messages", async (c) => {
    const session = sessionId.safeParse(c.req.query("session"));
    if (!session.success) return c.json({ error: session.error.issues[0]?.message }, 400);
    return c.json({ messages: await pending(app, toAddress("web", session.data)) });
  });
  return routes;
}

async function pending(app: App, address: ReturnType<typeof toAddress>) {
  const items = await app.store.takeOutboxFor(address, app.clock.now());
  return items.flatMap((item) => layout(item.outbound, webProfile));
}
