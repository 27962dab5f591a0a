/**
 * Request bodies read from Node's own request where the server is Node's (`@hono/node-server`).
 *
 * Touching `c.req.raw.body` makes the adapter build a full web `Request` (undici's, with an
 * `AbortController` and a web stream over Node's stream), and reading the body goes through those
 * streams. On the webhook at 500 updates a second that was about a tenth of the server's main thread
 * (undici, web streams, the abort signal's transfer setup), for a body of one or two kilobytes. Node's
 * request carries the same headers and bytes: the size limit reads its `content-length`, and a webhook
 * reads the bytes straight from it.
 *
 * Where there is no Node request (a test calling `app.request`, another runtime), or the body was read
 * already, both fall back to Hono's own way.
 */
import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/** The Node request under `c`, when the server is Node's and its body has not been read yet. */
function unreadNodeRequest(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (typeof incoming !== "object" || incoming === null || !("headers" in incoming) || !("on" in incoming)) {
    return undefined;
  }
  const request = incoming as IncomingMessage;
  return request.readableDidRead || request.readableEnded ? undefined : request;
}

/**
 * Refuses bodies over `maxSize` bytes with `onError`; like Hono's `bodyLimit`, which it falls back to,
 * but without building a web `Request` when Node's request tells the length.
 *
 * @example
 * http.use("*", limitBodies(256 * 1024, (c) => c.json({ error: "the body is too large" }, 413)));
 */
export function limitBodies(maxSize: number, onError: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  const byHono = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const incoming = unreadNodeRequest(c);
    if (incoming && incoming.headers["transfer-encoding"] === undefined) {
      const length = incoming.headers["content-length"];
      // Neither header: HTTP/1.1 has no body then (a GET). Else Node's parser has checked that the
      // length is one number (and refused a request with both headers), and it ends the body there.
      if (length === undefined) return next();
      return Number(length) > maxSize ? onError(c) : next();
    }
    return byHono(c, next);
  };
}

/**
 * The request's body as text (UTF-8), read from Node's request when there is one. A body longer than
 * its `content-length` cannot reach here (Node's parser ends it there); one without a length went
 * through Hono's limit, which read it already.
 *
 * @example
 * const raw = await bodyText(c);
 */
export async function bodyText(c: Context): Promise<string> {
  const incoming = unreadNodeRequest(c);
  if (!incoming) return c.req.text();
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
