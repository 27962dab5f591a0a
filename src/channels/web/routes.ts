/**
 * The local web chat: a page to talk to the bot from a browser, served when
 * no messaging platform is configured. Like the terminal chat it is a pull
 * channel: each request hands a message to the engine and takes back what the
 * engine queued for that browser's session.
 *
 * The session lives in an HttpOnly cookie, never in a URL. Each answer
 * carries the page's own words (placeholder, Send, title) in the person's
 * language with its direction, so the page follows the chat's language.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { App } from "../../app.ts";
import { type Address, toAddress } from "../../domain/address.ts";
import { cityById } from "../../domain/cities.ts";
import type { Inbound } from "../../domain/inbound.ts";
import { languageByCode } from "../../domain/languages.ts";
import { languageFromTag } from "../../i18n/guess-language.ts";
import { isStorageUnavailable, storageCode } from "../../storage/unavailable.ts";
import { layout } from "../layout.ts";
import { webProfile } from "../profiles.ts";

const sessionId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, "a session id of 8 to 64 letters, digits or dashes");
const cookieName = "lotse_web";

const point = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) });

/** The browser's language (`navigator.language`), a hint for a first message. */
const hint = z.string().max(35).optional();

const messageBody = z.union([
  z.object({ session: sessionId.optional(), hint, text: z.string().max(20_000) }),
  z.object({ session: sessionId.optional(), hint, choiceId: z.string().min(1).max(256) }),
  // "centre": the person would rather not share where they are; the centre of their city stands in.
  z.object({ session: sessionId.optional(), hint, location: z.union([point, z.literal("centre")]) }),
]);

const page = readFileSync(new URL("./page.html", import.meta.url), "utf8");

/** The page's own words, looked up in the person's language. */
const pageWords = ["title", "placeholder", "send", "nearMe", "locationRefused", "useCentre", "error"] as const;

/**
 * The web chat's routes: `GET /` (the page), `POST /chat/messages` (send and
 * receive), `GET /chat/messages` (receive what came later).
 *
 * @example
 * http.route("/", webChatRoutes(app));
 */
export function webChatRoutes(app: App): Hono {
  const routes = new Hono();
  routes.get("/", (c) => {
    session(c);
    return c.html(page);
  });
  routes.post("/chat/messages", async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return c.json({ error: "the body must be JSON" }, 400);
    }
    const body = messageBody.safeParse(raw);
    if (!body.success) return c.json({ error: body.error.issues.map((i) => i.message).join("; ") }, 400);
    const address = toAddress("web", body.data.session ?? session(c));
    try {
      const inbound = await inboundOf(app, address, body.data);
      await app.engine.handle(inbound);
      return c.json(await answer(app, address));
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error;
      return unavailable(app, c, error, body.data.hint);
    }
  });
  routes.get("/chat/messages", async (c) => {
    try {
      return c.json(await answer(app, toAddress("web", session(c))));
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error;
      return unavailable(app, c, error, c.req.header("accept-language"));
    }
  });
  return routes;
}

/**
 * 503 when the database failed: nothing was stored, so the person is asked to send it again, in the
 * browser's language (the database, which knows theirs, is what failed).
 */
function unavailable(app: App, c: Context, error: unknown, hint: string | undefined): Response {
  const language = languageFromTag(hint?.split(",")[0]?.trim()) ?? "en";
  app.logger.warn("web.storage_unavailable", { dbCode: storageCode(error) });
  c.header("Retry-After", "30");
  return c.json({ error: app.translator.t(language, "engine.error"), retry: true }, 503);
}

/** The browser's session id from its cookie, set on first sight. */
function session(c: Context): string {
  const known = sessionId.safeParse(getCookie(c, cookieName));
  if (known.success) return known.data;
  const id = randomUUID();
  const secure = new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
  setCookie(c, cookieName, id, { httpOnly: true, sameSite: "Strict", path: "/", secure, maxAge: 60 * 60 * 24 * 365 });
  return id;
}

async function inboundOf(app: App, address: Address, body: z.infer<typeof messageBody>): Promise<Inbound> {
  const base = {
    id: `web:${randomUUID()}`,
    address,
    receivedAt: app.clock.now(),
    ...(body.hint ? { languageHint: body.hint } : {}),
  };
  if ("text" in body) return { ...base, kind: "text", text: body.text };
  if ("choiceId" in body) return { ...base, kind: "choice", choiceId: body.choiceId };
  if (body.location !== "centre") return { ...base, kind: "location", ...body.location };
  const user = await app.store.reader.getUser(address);
  const centre = cityById(user?.city ?? null)?.centre;
  // Without a city there is no centre to stand in: the person is asked for their city as usual.
  return centre
    ? { ...base, kind: "location", latitude: centre.lat, longitude: centre.lon }
    : { ...base, kind: "text", text: "/menu" };
}

async function answer(app: App, address: Address) {
  const items = await app.store.takeOutboxFor(address, app.clock.now());
  const user = await app.store.reader.getUser(address);
  const language = user?.language ?? "en";
  const ui = Object.fromEntries(pageWords.map((w) => [w, app.translator.t(language, `web.${w}`)]));
  return {
    messages: items.flatMap((item) => layout(item.outbound, webProfile)),
    ui: { lang: language, dir: languageByCode(language)?.direction ?? "ltr", ...ui },
    // Nothing is stored for this browser (it deleted its data): the page forgets the conversation it
    // keeps on the phone too, and keeps its language for the goodbye.
    ...(user === undefined ? { forget: true } : {}),
  };
}
