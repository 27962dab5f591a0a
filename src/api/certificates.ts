/**
 * `/api/certificates` (role staff): the certificates people earned, newest first, searchable by name,
 * course or number, and withdrawing one with a reason (src/certificates/revoke.ts, shared with the
 * console). The chat address of the holder is never shown.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { certificateUrls } from "../certificates/issue.ts";
import { certificateLimits, type StoredCertificate } from "../certificates/repository.ts";
import { revokeAsStaff } from "../certificates/revoke.ts";
import { searchCertificates } from "../certificates/search.ts";
import { requireRole } from "../console/guard.ts";
import { ct } from "../console/text.ts";
import { type Api, commonErrors, errorBody, invalid, json, security } from "./kit.ts";

const staffOnly = [requireRole("staff")];
const tags = ["Certificates"];

const certificateSchema = z
  .object({
    id: z.string().openapi({ example: "q3J0c1Zy8mA2r0bX1dQy4w" }),
    name: z.string().openapi({ description: "The name the person chose for the certificate", example: "مریم احمدی" }),
    course: z.string().openapi({ example: "safe-online" }),
    language: z.string().openapi({ example: "prs" }),
    issuedAt: z.string(),
    revokedAt: z.string().nullable(),
    revokeReason: z.string().nullable(),
    newAllowed: z.boolean().openapi({ description: "After a withdrawal: whether the person may ask for a new one" }),
    verifyUrl: z.string().openapi({ description: "The public page where anyone can check it" }),
  })
  .openapi("Certificate");

function view(app: App, c: StoredCertificate): z.infer<typeof certificateSchema> {
  return {
    id: c.id,
    name: c.name,
    course: c.courseId,
    language: c.language,
    issuedAt: c.issuedAt,
    revokedAt: c.revokedAt,
    revokeReason: c.revokeReason,
    newAllowed: c.newAllowed,
    verifyUrl: certificateUrls(app.publicUrl, c.id).page,
  };
}

/**
 * Registers the certificate routes.
 *
 * @example
 * registerCertificatesApi(api, app);
 */
export function registerCertificatesApi(api: Api, app: App): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/certificates",
      tags,
      summary:
        "Certificates, newest first (at most 100), optionally those whose name, course (its title in any language) or number (whole, in part, or in a pasted check link) matches",
      security,
      middleware: staffOnly,
      request: { query: z.object({ search: z.string().max(100).optional() }) },
      responses: {
        200: json(z.object({ certificates: z.array(certificateSchema) }), "The certificates"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { search } = c.req.valid("query");
      const found = await searchCertificates(app.store, app.content, search ?? "");
      return c.json({ certificates: found.map((cert) => view(app, cert)) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/certificates/{id}/revoke",
      tags,
      summary: "Withdraw a certificate: its public page says so from now on (a second call changes nothing)",
      security,
      middleware: staffOnly,
      request: {
        params: z.object({
          id: z
            .string()
            .max(64)
            .openapi({ param: { name: "id", in: "path" } }),
        }),
        body: {
          content: {
            "application/json": {
              schema: z.object({
                allowNew: z.boolean().optional().openapi({
                  description:
                    "Whether the person may ask for a new certificate (true, the default: a wrong name); false when it was issued by mistake",
                }),
                reason: z.string().openapi({
                  description: `Why, for the team and the audit log; 1 to ${certificateLimits.revokeReason} characters`,
                }),
              }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ certificate: certificateSchema, alreadyRevoked: z.boolean() }), "Withdrawn"),
        404: { description: "No such certificate", content: { "application/json": { schema: errorBody } } },
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const result = await revokeAsStaff(app, c.get("staff"), c.req.valid("param").id, body.reason, {
        newAllowed: body.allowNew ?? true,
      });
      if (!result.ok) {
        if (result.error.field === "id") return c.json({ error: "no such certificate" }, 404);
        return invalid(c, result.error.field, ct("en", result.error.key, result.error.params));
      }
      return c.json({ certificate: view(app, result.certificate), alreadyRevoked: result.alreadyRevoked }, 200);
    },
  );
}
