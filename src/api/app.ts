/**
 * The JSON API under `/api`: the console's operations for tools and scripts, documented by an
 * OpenAPI 3.1 document at `/api/openapi.json` generated from the very route definitions and zod
 * schemas that validate requests, and a reference page at `/api/docs` rendered from that document.
 * Signed in with a console session (and `x-csrf-token` on changes) or `Authorization: Bearer
 * <ADMIN_TOKEN>`, which acts as an admin.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import type { ConsoleEnv } from "../console/context.ts";
import { consoleSession } from "../console/session.ts";
import type { Api } from "./kit.ts";
import { renderReference } from "./reference.ts";
import { registerStaffApi } from "./staff.ts";

/** A function that adds one area's routes. */
export type ApiArea = (api: Api, app: App) => void;

/** The document's fixed parts. */
export const apiInfo = {
  openapi: "3.1.0",
  info: {
    title: "Lotse API",
    version: "1",
    description:
      "Meetings, broadcasts, referrals, statistics and staff of a Lotse bot. Every route needs a console session cookie (with the x-csrf-token header on changes) or Authorization: Bearer <ADMIN_TOKEN>. Invalid input gets 400 with each field named and what is allowed.",
  },
  servers: [{ url: "/api" }],
};

/**
 * Builds the API (mounted at `/api` by the server).
 *
 * @example
 * http.route("/api", apiRoutes(app, { adminToken: config.ADMIN_TOKEN }));
 */
export function apiRoutes(
  app: App,
  options: { adminToken?: string | undefined; areas?: ApiArea[] },
): OpenAPIHono<ConsoleEnv> {
  const api = new OpenAPIHono<ConsoleEnv>({
    // zod's refusals become the API's one error shape, naming each field.
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = result.error.issues.map((issue) => ({
        field: issue.path.join(".") || "(body)",
        message: issue.message,
      }));
      return c.json({ error: "invalid input", errors }, 400);
    },
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "ADMIN_TOKEN from the server's configuration (acts as an admin)",
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "lotse_staff",
    description: "A console session (sign in at /staff); changes also need the x-csrf-token header",
  });
  const documented = new Set(["/openapi.json", "/docs"]);
  const session = consoleSession(app, options);
  api.use("*", async (c, next) => {
    if (c.req.method === "GET" && documented.has(c.req.path.replace(/^\/api/, ""))) return next();
    return session(c, next);
  });
  registerStaffApi(api, app);
  for (const area of options.areas ?? []) area(api, app);
  api.doc31("/openapi.json", apiInfo);
  api.get("/docs", (c) => c.html(renderReference(api.getOpenAPI31Document(apiInfo))));
  return api;
}
