/**
 * `GET /metrics`: Prometheus' text format. With `METRICS_TOKEN` set it is
 * served to a request with that bearer token (from anywhere); without it, only
 * to a client on this machine's loopback address that did not come through a
 * proxy (no `X-Forwarded-For` or `Forwarded` header), so a reverse proxy on
 * the same host does not open it to the internet.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { getConnInfo } from "@hono/node-server/conninfo";
import { type Context, Hono } from "hono";
import type { App } from "../app.ts";
import { readQueues, setQueueGauges } from "../metrics/queue-gauges.ts";

function sameToken(given: string, expected: string): boolean {
  // Hash both so the comparison takes the same time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Whether an address is this machine's loopback (IPv4, IPv6, or IPv4 mapped into IPv6).
 *
 * @example
 * isLoopback("::ffff:127.0.0.1"); // true
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address);
}

function remoteAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // Not served by Node's HTTP server (a test calling the app directly): no address, so not loopback.
    return undefined;
  }
}

/**
 * The metrics route.
 *
 * @example
 * http.route("/", metricsRoutes(app, config.METRICS_TOKEN));
 */
export function metricsRoutes(app: App, token: string | undefined): Hono {
  const routes = new Hono();
  routes.get("/metrics", async (c) => {
    if (token) {
      const header = c.req.header("authorization") ?? "";
      const given = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
      if (!given || !sameToken(given, token)) {
        c.header("WWW-Authenticate", 'Bearer realm="lotse-metrics"');
        return c.json({ error: "a valid bearer token is required" }, 401);
      }
    } else if (!isLoopback(remoteAddress(c)) || c.req.header("x-forwarded-for") || c.req.header("forwarded")) {
      return c.json({ error: "metrics are served on the loopback address only, unless METRICS_TOKEN is set" }, 403);
    }
    try {
      setQueueGauges(app.metrics, await readQueues(app.store, app.clock.now()));
    } catch (error) {
      // The counters still help when the database does not answer; stale queue figures would mislead.
      setQueueGauges(app.metrics, { outbox: [], jobLagSeconds: 0 });
      app.logger.warn("metrics.queues_failed", { error });
    }
    const text = await app.metrics.registry.metrics();
    return c.body(text, 200, { "content-type": app.metrics.registry.contentType });
  });
  return routes;
}
