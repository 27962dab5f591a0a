/**
 * The HTTP server: health check, and the local web chat when no platform is
 * configured. Platform webhooks and the admin API mount here as they arrive.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { App } from "../app.ts";
import { webChatRoutes } from "../channels/web/routes.ts";
import { adminRoutes } from "./admin.ts";
import { calendarRoutes } from "./calendar.ts";

/** What the server serves. */
export interface ServerOptions {
  webChat: boolean;
  /** `ADMIN_TOKEN`; the admin API is off without it. */
  adminToken?: string | undefined;
  /** Channel webhook routes (Telegram, WhatsApp). */
  channelRoutes?: Hono[];
}

/**
 * Builds the HTTP application (a fetch handler, so tests call it without a port).
 *
 * @example
 * const http = createHttpApp(app, { webChat: true });
 * const res = await http.request("/healthz");
 */
export function createHttpApp(app: App, options: ServerOptions): Hono {
  const http = new Hono();
  http.use("*", bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.json({ error: "the body is too large" }, 413) }));
  http.get("/healthz", async (c) => {
    try {
      await app.store.ping();
      return c.json({ status: "ok", database: app.store.dialect });
    } catch {
      return c.json({ status: "unavailable", database: app.store.dialect }, 503);
    }
  });
  http.route("/admin", adminRoutes(app, options.adminToken));
  http.route("/", calendarRoutes(app));
  for (const routes of options.channelRoutes ?? []) http.route("/", routes);
  if (options.webChat) http.route("/", webChatRoutes(app));
  http.notFound((c) => c.json({ error: "not found" }, 404));
  http.onError((error, c) => {
    app.logger.error("http.failed", { path: c.req.path, error });
    return c.json({ error: "internal error" }, 500);
  });
  return http;
}
