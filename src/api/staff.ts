/**
 * `/api/staff` and `/api/audit`: staff management and the audit log, for admins.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { audit, auditEntries } from "../console/audit.ts";
import { requireRole } from "../console/guard.ts";
import { addressFrom } from "../console/sign-in.tsx";
import { ct } from "../console/text.ts";
import type { Address } from "../domain/address.ts";
import { listStaff, removeStaffMember, saveStaffMember, staffChangeProblem } from "../staff/members.ts";
import { staffRoles } from "../staff/roles.ts";
import { type Api, commonErrors, invalid, security } from "./kit.ts";

const addressSchema = z
  .string()
  // The same clean-up as the console's form: "whatsapp:+49 151 2345678" is whatsapp:491512345678.
  .transform((value, ctx) => {
    const address = addressFrom("", value);
    if (address) return address;
    ctx.addIssue({ code: "custom", message: "an address such as telegram:123 or whatsapp:4915112345678" });
    return z.NEVER;
  })
  .openapi({ example: "telegram:5123456789" });

const member = z
  .object({
    address: z.string(),
    name: z.string().nullable(),
    roles: z.array(z.enum(staffRoles)),
    source: z.enum(["config", "added"]).openapi({ description: "config: from STAFF_ADDRESSES (change it there)" }),
    addedAt: z.string().nullable(),
  })
  .openapi("StaffMember");

const memberInput = z
  .object({
    address: addressSchema,
    name: z.string().max(80).nullable().optional(),
    roles: z.array(z.enum(staffRoles)).min(1, `at least one of ${staffRoles.join(", ")}`),
  })
  .openapi("StaffMemberInput");

const auditEntry = z
  .object({
    id: z.number(),
    actor: z.string().nullable(),
    subject: z.string().nullable(),
    action: z.string(),
    detail: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi("AuditEntry");

const admin = [requireRole("admin")];

/**
 * Registers the staff and audit routes.
 *
 * @example
 * registerStaffApi(api, app);
 */
export function registerStaffApi(api: Api, app: App): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/staff",
      tags: ["Staff"],
      summary: "Everyone with a role",
      security,
      middleware: admin,
      responses: {
        200: {
          description: "Staff",
          content: { "application/json": { schema: z.object({ staff: z.array(member) }) } },
        },
        ...commonErrors,
      },
    }),
    async (c) => c.json({ staff: await listStaff(app.store.reader, app.staff) }, 200),
  );

  api.openapi(
    createRoute({
      method: "put",
      path: "/staff",
      tags: ["Staff"],
      summary: "Add a staff member or change their roles and name",
      security,
      middleware: admin,
      request: { body: { content: { "application/json": { schema: memberInput } }, required: true } },
      responses: {
        200: {
          description: "Saved",
          content: { "application/json": { schema: z.object({ staff: z.array(member) }) } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const staff = c.get("staff");
      const target = input.address as Address;
      const problem = await staffChangeProblem(app.store.reader, app.staff, staff.address, target, input.roles);
      if (problem) return invalid(c, problem === "people.configured" ? "address" : "roles", ct("en", problem));
      const now = app.clock.now();
      await app.store.transaction(async (tx) => {
        await saveStaffMember(tx, target, { roles: input.roles, name: input.name }, now);
        await audit(tx.db, staff, "staff.save", { roles: input.roles }, now, target);
      });
      return c.json({ staff: await listStaff(app.store.reader, app.staff) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/staff/{address}",
      tags: ["Staff"],
      summary: "Remove a staff member an admin added (ends their console sessions)",
      security,
      middleware: admin,
      request: { params: z.object({ address: addressSchema.openapi({ param: { name: "address", in: "path" } }) }) },
      responses: {
        200: {
          description: "Removed",
          content: { "application/json": { schema: z.object({ removed: z.boolean() }) } },
        },
        404: {
          description: "Not an added staff member (configured ones change in STAFF_ADDRESSES)",
          content: { "application/json": { schema: z.object({ error: z.string() }) } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { address } = c.req.valid("param");
      const staff = c.get("staff");
      const problem = await staffChangeProblem(app.store.reader, app.staff, staff.address, address as Address, []);
      if (problem) return invalid(c, "address", ct("en", problem));
      const now = app.clock.now();
      const removed = await app.store.transaction(async (tx) => {
        const done = await removeStaffMember(tx, address as Address, now);
        if (done) await audit(tx.db, staff, "staff.remove", {}, now, address);
        return done;
      });
      if (!removed) return c.json({ error: "no staff member added with this address" }, 404);
      return c.json({ removed }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/audit",
      tags: ["Staff"],
      summary: "The audit log, newest first",
      security,
      middleware: admin,
      request: {
        query: z.object({
          action: z.string().max(60).optional(),
          before: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .openapi({ description: "Entries older than this id (paging)" }),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
      },
      responses: {
        200: {
          description: "Entries",
          content: { "application/json": { schema: z.object({ entries: z.array(auditEntry) }) } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(
        { entries: await auditEntries(app.store.db, { action: q.action, before: q.before, limit: q.limit ?? 100 }) },
        200,
      );
    },
  );
}
