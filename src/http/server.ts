/**
 * The HTTP server: liveness (`/healthz`) and readiness (`/readyz`), and the local web chat when allowed
 * (see src/startup/web-chat-exposure.ts), the platform webhooks, the staff console at `/staff` and the
 * JSON API at `/api` (src/console/, src/api/).
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { apiRoutes } from "../api/app.ts";
import type { App } from "../app.ts";
import { certificateRoutes } from "../certificates/routes.ts";
import { webChatRoutes } from "../channels/web/routes.ts";
import { apiAreas, consoleAreas } from "../console/areas.ts";
import { consoleRoutes } from "../console/routes.ts";
import { accessLog } from "./access-log.ts";
import { calendarRoutes } from "./calendar.ts";
import { metricsRoutes } from "./metrics-route.ts";
import { limitBodies } from "./node-body.ts";
import { Readiness } from "./readiness.ts";

/** What the server serves. */
export interface ServerOptions {
  webChat: boolean;
  /** `ADMIN_TOKEN`: bootstraps the first admin of the console, and acts as an admin on `/api`. */
  adminToken?: string | undefined;
  /** `PUBLIC_URL`: console cookies are `Secure` when it is https. */
  publicUrl?: string | undefined;
  /** `WHATSAPP_TEMPLATE_AUTH`: sign-in codes to WhatsApp outside the 24-hour window. */
  whatsappAuthTemplate?: string | undefined;
  /** Channel webhook routes (Telegram, WhatsApp). */
  channelRoutes?: Hono[];
  /** `METRICS_TOKEN`; without it `/metrics` answers on the loopback address only. */
  metricsToken?: string | undefined;
  /** Starting, serving or draining, for `/readyz`; ready (if the database answers) when not given. */
  readiness?: Readiness;
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
  http.use("*", accessLog(app));
  http.use(
    "*",
    limitBodies(256 * 1024, (c) => c.json({ error: "the body is too large" }, 413)),
  );
  const readiness = options.readiness ?? Readiness.started();
  // Alive: the process answers. It does not ask the database: restarting a process does not bring its
  // database back, so a supervisor acting on liveness must not see a database outage (that is /readyz).
  http.get("/healthz", (c) => c.json({ status: "ok", database: app.store.dialect }));
  // Ready for traffic: the database answers, the channels have started, and no stop signal has come.
  http.get("/readyz", async (c) => {
    const reason = readiness.lifecycleReason();
    if (reason) return c.json({ status: "unavailable", reason, database: app.store.dialect }, 503);
    try {
      await app.store.ping();
      return c.json({ status: "ok", database: app.store.dialect });
    } catch {
      return c.json({ status: "unavailable", reason: "database unreachable", database: app.store.dialect }, 503);
    }
  });
  const consoleOptions = {
    adminToken: options.adminToken,
    publicUrl: options.publicUrl,
    whatsappAuthTemplate: options.whatsappAuthTemplate,
  };
  http.route("/staff", consoleRoutes(app, { ...consoleOptions, areas: consoleAreas }));
  http.route("/api", apiRoutes(app, { adminToken: options.adminToken, areas: apiAreas }));
  http.route("/", calendarRoutes(app));
  http.route("/", certificateRoutes(app));
  http.route("/", metricsRoutes(app, options.metricsToken));
  for (const routes of options.channelRoutes ?? []) http.route("/", routes);
  if (options.webChat) http.route("/", webChatRoutes(app));
  // Scripts written for the old bearer API learn where it went instead of a bare 404.
  http.all("/admin/*", (c) =>
    c.json({ error: "the /admin API moved to /api (same bearer token): see /api/docs and /api/openapi.json" }, 410),
  );
  http.notFound((c) => c.json({ error: "not found" }, 404));
  http.onError((error, c) => {
    // A request the framework refused (a body that is not JSON): the client's mistake, said plainly.
    if (error instanceof HTTPException && error.status < 500)
      return c.json({ error: error.message || "bad request" }, error.status);
    app.logger.error("http.failed", { path: c.req.path, error });
    return c.json({ error: "internal error" }, 500);
  });
  return http;
}
