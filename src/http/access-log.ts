/**
 * One log line per HTTP request ("http.request": method, path without its
 * query string, status, time in ms, request id) and the webhook latency
 * histogram. The request id comes from `X-Request-Id` when a proxy sent one
 * (characters outside A-Z a-z 0-9 . _ : - dropped, at most 64 kept), else it is
 * made here; it goes back in the response's `X-Request-Id` and onto every log
 * line written while the request is served.
 */
import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { type Logger, scrub, withRequestId } from "../log.ts";
import type { Metrics } from "../metrics/metrics.ts";

/** Polled every few seconds: logged at debug level, so they do not drown the rest. */
const probes = new Set(["/healthz", "/readyz", "/metrics"]);

const webhookPaths: Record<string, string> = { "/webhooks/telegram": "telegram", "/webhooks/whatsapp": "whatsapp" };

/**
 * A usable request id from a client's header, or a new one.
 *
 * @example
 * requestIdFrom("abc 123\n"); // "abc123"
 * requestIdFrom(undefined); // a random UUID
 */
export function requestIdFrom(header: string | undefined): string {
  const given = (header ?? "").replace(/[^A-Za-z0-9._:-]/g, "").slice(0, 64);
  return given || randomUUID();
}

/**
 * The access-log middleware; mount it first so it times and logs every request, refused ones included.
 *
 * @example
 * http.use("*", accessLog(app));
 */
export function accessLog(app: { logger: Logger; metrics: Metrics }): MiddlewareHandler {
  return async (c, next) => {
    const requestId = requestIdFrom(c.req.header("x-request-id"));
    const started = performance.now();
    let status = 500;
    try {
      await withRequestId(requestId, () => next());
      status = c.res.status;
      c.res.headers.set("x-request-id", requestId);
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const path = c.req.path;
      const channel = c.req.method === "POST" ? webhookPaths[path] : undefined;
      if (channel) app.metrics.webhookSeconds.observe({ channel }, seconds);
      const line = {
        method: c.req.method,
        // Paths are chosen by whoever calls: no address, token or phone number gets into the log through one.
        path: scrub(path).slice(0, 200),
        status,
        ms: Math.round(seconds * 10_000) / 10,
        requestId,
      };
      if (probes.has(path) && status < 500) app.logger.debug("http.request", line);
      else app.logger.info("http.request", line);
    }
  };
}
