/**
 * What every `/api` route file shares: the app type, the error body, and the 400 that names the
 * field and what is allowed. Route files export `register<Area>Api(api, app)` and define each route
 * with `createRoute` from `@hono/zod-openapi`, so `/api/openapi.json` is generated from the same
 * zod schemas that validate the input and cannot drift from the code.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ConsoleEnv } from "../console/context.ts";

/** The `/api` application routes are registered on. */
export type Api = OpenAPIHono<ConsoleEnv>;

/** The body of every error answer. */
export const errorBody = z
  .object({
    error: z.string().openapi({ example: "invalid input" }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "Each field that was refused and why, naming what is allowed." }),
  })
  .openapi("Error");

/** Responses every protected route may give besides its own. */
export const commonErrors = {
  400: {
    description: "Invalid input: names each field and what is allowed",
    content: { "application/json": { schema: errorBody } },
  },
  401: {
    description: "Not signed in: a session cookie or `Authorization: Bearer <ADMIN_TOKEN>` is needed",
    content: { "application/json": { schema: errorBody } },
  },
  403: {
    description: "Signed in, but without the role this needs",
    content: { "application/json": { schema: errorBody } },
  },
} as const;

/** Security requirement for routes: a console session cookie or the admin bearer token. */
export const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

/**
 * A 400 naming one field, for checks zod cannot make (an unknown city lists the known ones).
 *
 * @example
 * if (!cityById(input.city)) return invalid(c, "city", `unknown city; known: ${known.join(", ")}`);
 */
export function invalid(c: Context, field: string, message: string): never {
  // Typed as never so any route's handler may return it whatever its declared responses.
  return c.json({ error: "invalid input", errors: [{ field, message }] }, 400) as never;
}

/**
 * A JSON response of a route: its description and schema, as createRoute wants them.
 *
 * @example
 * responses: { 200: json(z.object({ ok: z.boolean() }), "Saved") }
 */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
