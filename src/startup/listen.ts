/**
 * Listening on `HOST:PORT` as a promise: an address that does not resolve, is
 * not this machine's, or a port in use ends the start with one line naming the
 * variable, instead of an unhandled 'error' event and a stack trace.
 */
import type { Server } from "node:http";
import { LotseError } from "../domain/errors.ts";

/** What a listen error means for the operator, by code. */
function explain(code: string | undefined, host: string, port: number): string {
  switch (code) {
    case "EADDRINUSE":
      return `PORT: ${port} is already in use on ${host} (EADDRINUSE)`;
    case "EACCES":
      return `PORT: ${port} needs privileges this process does not have (EACCES; use a port above 1023)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `HOST: cannot resolve "${host}" to an address (${code})`;
    case "EADDRNOTAVAIL":
      return `HOST: ${host} is not an address of this machine (EADDRNOTAVAIL)`;
    default:
      return `HOST/PORT: cannot listen on ${host}:${port} (${code ?? "unknown error"})`;
  }
}

/**
 * Starts `server` listening; rejects with `config.invalid` naming `HOST` or `PORT`.
 *
 * @example
 * await listen(createAdaptorServer({ fetch: http.fetch }), 3000, "127.0.0.1");
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(new LotseError("config.invalid", explain(error.code, host, port), { cause: error }));
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}
