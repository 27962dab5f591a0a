/**
 * `/api/referrals`: the referral inbox as JSON (role counsellor on every route; admins do not have
 * it). The same reading and actions as the console's pages (src/referrals/inbox.ts, conversation.ts),
 * which write the audit log. A request shows what the person agreed to share; `contact` (their chat
 * address) is null unless they chose to share it.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../app.ts";
import { requireRole } from "../console/guard.ts";
import type { Address } from "../domain/address.ts";
import { cities, cityById } from "../domain/cities.ts";
import { languageByCode, languages } from "../domain/languages.ts";
import {
  type ConversationMessage,
  endConversation,
  maxCounsellorMessage,
  sendFromCounsellor,
} from "../referrals/conversation.ts";
import {
  addNote,
  assignReferral,
  counsellorsNow,
  listInbox,
  markRead,
  maxNote,
  type Note,
  referralDetail,
  setReferralStatus,
} from "../referrals/inbox.ts";
import { displayNameOf, type Referral, referralStatuses } from "../referrals/repository.ts";
import { type Api, commonErrors, errorBody, invalid, json, security } from "./kit.ts";

const counsellorOnly = [requireRole("counsellor")];
const tags = ["Referrals"];

const idParam = z.object({
  id: z
    .string()
    .regex(/^\d+$/, "a request number")
    .openapi({ param: { name: "id", in: "path" }, example: "12" }),
});

const referralSchema = z
  .object({
    id: z.number(),
    status: z.enum(referralStatuses),
    name: z.string().openapi({ description: 'The name the person chose, else "Person <id>"' }),
    chosenName: z.boolean().openapi({ description: "Whether the person chose the name" }),
    language: z.string().openapi({ example: "ar" }),
    city: z.string().nullable().openapi({ example: "mainz" }),
    createdAt: z.string(),
    assignedTo: z.string().nullable().openapi({ description: "The counsellor's address, or null" }),
    contact: z
      .string()
      .nullable()
      .openapi({ description: "The person's chat address, only if they chose to share it; else null" }),
    note: z.string().nullable().openapi({ description: "Their message with the request" }),
    conversationOpen: z.boolean(),
    conversationEndedBy: z.enum(["counsellor", "person"]).nullable(),
  })
  .openapi("Referral");

const inboxRowSchema = referralSchema
  .pick({ id: true, status: true, name: true, language: true, city: true, createdAt: true, assignedTo: true })
  .extend({ conversationOpen: z.boolean(), unread: z.number(), lastMessageAt: z.string().nullable() })
  .openapi("ReferralInboxRow");

const messageSchema = z
  .object({
    id: z.number(),
    from: z.enum(["counsellor", "person"]),
    author: z.string().nullable().openapi({ description: "The counsellor who wrote it; null for the person" }),
    text: z.string(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi("ReferralMessage");

const noteSchema = z
  .object({ id: z.number(), author: z.string().nullable(), text: z.string(), createdAt: z.string() })
  .openapi("ReferralNote");

const detailSchema = z
  .object({ referral: referralSchema, notes: z.array(noteSchema), messages: z.array(messageSchema) })
  .openapi("ReferralDetail");

const notFound = {
  404: {
    description: "No such request (withdrawn, or its person deleted their data)",
    content: { "application/json": { schema: errorBody } },
  },
};

function view(referral: Referral) {
  return {
    id: referral.id,
    status: referral.status,
    name: displayNameOf(referral),
    chosenName: referral.displayName !== null,
    language: referral.language,
    city: referral.city,
    createdAt: referral.createdAt,
    assignedTo: referral.assignedTo,
    contact: referral.shareContact ? referral.address : null,
    note: referral.message,
    conversationOpen: referral.conversationOpen,
    conversationEndedBy: referral.conversationEndedBy,
  };
}

const messageView = ({ id, from, author, text, createdAt, readAt }: ConversationMessage) => ({
  id,
  from,
  author,
  text,
  createdAt,
  readAt,
});
const noteView = ({ id, author, text, createdAt }: Note) => ({ id, author, text, createdAt });

/**
 * Registers the referral routes.
 *
 * @example
 * registerReferralsApi(api, app);
 */
export function registerReferralsApi(api: Api, app: App): void {
  const missing = (c: Context): never => c.json({ error: "no such request" }, 404) as never;
  const detailOf = async (id: number) => {
    const detail = await referralDetail(app.store.db, id);
    return detail
      ? {
          referral: view(detail.referral),
          notes: detail.notes.map(noteView),
          messages: detail.messages.map(messageView),
        }
      : undefined;
  };

  api.openapi(
    createRoute({
      method: "get",
      path: "/referrals",
      tags,
      summary: "The inbox: requests newest first, with unread counts",
      security,
      middleware: counsellorOnly,
      request: {
        query: z.object({
          status: z.enum(referralStatuses).optional(),
          assignedTo: z
            .string()
            .optional()
            .openapi({ description: 'A counsellor\'s address, "me", or "none" for requests nobody has' }),
          language: z.string().optional().openapi({ example: "ar" }),
          city: z.string().optional().openapi({ example: "mainz" }),
        }),
      },
      responses: {
        200: json(z.object({ referrals: z.array(inboxRowSchema) }), "The requests"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      if (query.language && !languageByCode(query.language)) {
        return invalid(c, "language", `unknown language; known: ${languages.map((l) => l.code).join(", ")}`);
      }
      if (query.city && !cityById(query.city)) {
        return invalid(c, "city", `unknown city; known: ${cities.map((city) => city.id).join(", ")}`);
      }
      const staff = c.get("staff");
      const assignedTo =
        query.assignedTo === "me" ? (staff.address as Address) : (query.assignedTo as Address | "none" | undefined);
      const rows = await listInbox(app.store.db, { ...query, assignedTo });
      const referrals = rows.map((row) => ({
        id: row.id,
        status: row.status,
        name: displayNameOf(row),
        language: row.language,
        city: row.city,
        createdAt: row.createdAt,
        assignedTo: row.assignedTo,
        conversationOpen: row.conversationOpen,
        unread: row.unread,
        lastMessageAt: row.lastMessageAt,
      }));
      return c.json({ referrals }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/referrals/{id}",
      tags,
      summary: "One request with its notes and conversation (marks the person's messages read)",
      security,
      middleware: counsellorOnly,
      request: { params: idParam },
      responses: { 200: json(detailSchema, "The request"), ...notFound, ...commonErrors },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      const detail = await detailOf(id);
      if (!detail) return missing(c);
      await markRead(app.store.db, id, app.clock.now());
      return c.json(detail, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "put",
      path: "/referrals/{id}/status",
      tags,
      summary: "Set the status (closing ends an open conversation; the person is told)",
      security,
      middleware: counsellorOnly,
      request: {
        params: idParam,
        body: {
          content: { "application/json": { schema: z.object({ status: z.enum(referralStatuses) }) } },
          required: true,
        },
      },
      responses: { 200: json(z.object({ referral: referralSchema }), "Saved"), ...notFound, ...commonErrors },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      const { status } = c.req.valid("json");
      const now = app.clock.now();
      const updated = await app.store.transaction((tx) =>
        setReferralStatus(tx, app, { referralId: id, status, by: c.get("staff") }, now),
      );
      if (!updated) return missing(c);
      return c.json({ referral: view(updated) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "put",
      path: "/referrals/{id}/assignee",
      tags,
      summary: "Assign the request to a counsellor (null: to nobody)",
      security,
      middleware: counsellorOnly,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": {
              schema: z.object({
                assignedTo: z
                  .string()
                  .nullable()
                  .openapi({ description: "A counsellor's address", example: "telegram:100" }),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(z.object({ referral: referralSchema }), "Saved"), ...notFound, ...commonErrors },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      const { assignedTo } = c.req.valid("json");
      const now = app.clock.now();
      const result = await app.store.transaction((tx) =>
        assignReferral(tx, app, { referralId: id, to: assignedTo as Address | null, by: c.get("staff") }, now),
      );
      if (!result.ok && result.reason === "unknown") return missing(c);
      if (!result.ok) {
        const known = await counsellorsNow(app.store.reader, app);
        return invalid(c, "assignedTo", `not a counsellor; counsellors now: ${known.join(", ") || "none"}`);
      }
      return c.json({ referral: view(result.referral) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/referrals/{id}/notes",
      tags,
      summary: "Add a private note (only counsellors see it)",
      security,
      middleware: counsellorOnly,
      request: {
        params: idParam,
        body: {
          content: { "application/json": { schema: z.object({ text: z.string().min(1).max(maxNote) }) } },
          required: true,
        },
      },
      responses: { 200: json(z.object({ note: noteSchema }), "Added"), ...notFound, ...commonErrors },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      const { text } = c.req.valid("json");
      const now = app.clock.now();
      const result = await app.store.transaction((tx) =>
        addNote(tx, { referralId: id, text, by: c.get("staff") }, now),
      );
      if (!result.ok && result.reason === "unknown") return missing(c);
      if (!result.ok) return invalid(c, "text", `a note of 1 to ${maxNote} characters`);
      return c.json({ note: noteView(result.note) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/referrals/{id}/messages",
      tags,
      summary: "Write to the person: it reaches their chat marked as from a counsellor, and opens the conversation",
      security,
      middleware: counsellorOnly,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": { schema: z.object({ text: z.string().min(1).max(maxCounsellorMessage) }) },
          },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ message: messageSchema }), "Sent"),
        409: {
          description: "Not sent: the person said stop or cannot be reached (nothing stored)",
          content: { "application/json": { schema: errorBody } },
        },
        ...notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      const { text } = c.req.valid("json");
      const now = app.clock.now();
      const result = await app.store.transaction((tx) =>
        sendFromCounsellor(tx, app, { referralId: id, text, by: c.get("staff") }, now),
      );
      if (result.sent) return c.json({ message: messageView(result.message) }, 200);
      if (result.reason === "unknown") return missing(c);
      if (result.reason === "unreachable") {
        return c.json({ error: "not sent: the person has stopped messages from Lotse or cannot be reached" }, 409);
      }
      return invalid(c, "text", `a message of 1 to ${maxCounsellorMessage} characters`);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/referrals/{id}/end",
      tags,
      summary: "End the open conversation (the person is told in their chat)",
      security,
      middleware: counsellorOnly,
      request: { params: idParam },
      responses: {
        200: json(z.object({ referral: referralSchema }), "Ended"),
        409: { description: "No open conversation", content: { "application/json": { schema: errorBody } } },
        ...notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const id = Number(c.req.valid("param").id);
      const now = app.clock.now();
      const ended = await app.store.transaction((tx) =>
        endConversation(tx, app, { referralId: id, by: c.get("staff") }, now),
      );
      if (ended) return c.json({ referral: view(ended) }, 200);
      return (await detailOf(id)) ? c.json({ error: "no open conversation" }, 409) : missing(c);
    },
  );
}
