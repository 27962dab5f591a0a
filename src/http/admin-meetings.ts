/**
 * Admin API for meetings, RSVPs, broadcasts and staff: the same operations
 * staff have in the chat, for tools and scripts. Input is validated; a bad
 * request gets a 400 that names the field.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { App } from "../app.ts";
import { audienceSchema, broadcastCounts, cancelBroadcast, createBroadcast } from "../broadcasts/broadcasts.ts";
import type { Address } from "../domain/address.ts";
import { parseAddress } from "../domain/address.ts";
import { isTimeZone } from "../domain/cities.ts";
import { tellGuests } from "../meetings/notify.ts";
import { cancelReminders, scheduleReminders } from "../meetings/reminders.ts";
import {
  addStaffMember,
  createMeeting,
  getMeeting,
  rsvpsOf,
  upcomingMeetings,
  updateMeeting,
} from "../meetings/repository.ts";
import { staffRoles } from "../staff/roles.ts";

const text = z
  .record(z.string().regex(/^[a-z]{2,3}$/), z.string().min(1).max(2000))
  .refine((t) => Object.keys(t).length > 0, "at least one language");
/** Titles are list rows' second lines: at most 72 characters in every language. */
const title = z
  .record(z.string().regex(/^[a-z]{2,3}$/), z.string().min(1).max(72))
  .refine((t) => Object.keys(t).length > 0, "at least one language");
const meetingInput = z.object({
  title,
  description: text.optional(),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  timeZone: z.string().refine(isTimeZone, "an IANA time zone such as Europe/Berlin"),
  place: z.string().min(3).max(300).nullable().optional(),
  mapUrl: z.url().nullable().optional(),
  onlineUrl: z
    .url({ protocol: /^https$/ })
    .nullable()
    .optional(),
  city: z.string().min(2).nullable().optional(),
  languages: z.array(z.string().min(2).max(40)).max(10).optional(),
  capacity: z.number().int().positive().nullable().optional(),
});
const meetingPatch = meetingInput.partial().extend({ status: z.enum(["planned", "cancelled"]).optional() });
const broadcastInput = z.object({
  text,
  audience: audienceSchema,
  sendAt: z.iso.datetime({ offset: true }).optional(),
});
const staffInput = z.object({
  address: z.string().refine((a) => {
    try {
      parseAddress(a);
      return true;
    } catch {
      return false;
    }
  }, "an address such as telegram:123"),
  roles: z.array(z.enum(staffRoles)).min(1),
});

async function body<T>(
  c: Context,
  schema: z.ZodType<T>,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, response: c.json({ error: "the body must be JSON" }, 400) };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
  return { ok: false, response: c.json({ error: "invalid input", errors }, 400) };
}

/**
 * The admin routes for meetings, RSVPs, broadcasts and staff (mounted behind the bearer check).
 *
 * @example
 * admin.route("/", adminMeetingRoutes(app));
 */
export function adminMeetingRoutes(app: App): Hono {
  const routes = new Hono();
  const now = () => app.clock.now();
  routes.get("/meetings", async (c) =>
    c.json({
      meetings: await upcomingMeetings(app.store.db, {
        now: now(),
        allCities: true,
        includeCancelled: true,
        limit: 200,
      }),
    }),
  );
  routes.post("/meetings", async (c) => {
    const input = await body(c, meetingInput);
    if (!input.ok) return input.response;
    const m = input.value;
    if (new Date(m.endsAt) <= new Date(m.startsAt))
      return c.json({ error: "invalid input", errors: [{ field: "endsAt", message: "must be after startsAt" }] }, 400);
    const meeting = await createMeeting(
      app.store.db,
      {
        title: m.title,
        description: m.description ?? m.title,
        startsAt: new Date(m.startsAt),
        endsAt: new Date(m.endsAt),
        timeZone: m.timeZone,
        place: m.place ?? null,
        mapUrl: m.mapUrl ?? null,
        onlineUrl: m.onlineUrl ?? null,
        city: m.city ?? null,
        languages: m.languages ?? [],
        capacity: m.capacity ?? null,
      },
      "admin-api",
      now(),
    );
    return c.json({ meeting }, 201);
  });
  routes.patch("/meetings/:id", async (c) => {
    const input = await body(c, meetingPatch);
    if (!input.ok) return input.response;
    const id = Number(c.req.param("id"));
    if (!(await getMeeting(app.store.db, id))) return c.json({ error: "no such meeting" }, 404);
    const { startsAt, endsAt, ...rest } = input.value;
    const meeting = await app.store.transaction(async (tx) => {
      const updated = await updateMeeting(
        tx.db,
        id,
        {
          ...rest,
          ...(startsAt ? { startsAt: new Date(startsAt) } : {}),
          ...(endsAt ? { endsAt: new Date(endsAt) } : {}),
        },
        now(),
      );
      // Guests hear of a new time, place or a cancellation at once, as when staff change it in the chat.
      const notice =
        input.value.status === "cancelled"
          ? "meetings.cancelledNotice"
          : startsAt
            ? "meetings.movedNotice"
            : rest.place
              ? "meetings.placeNotice"
              : undefined;
      if (updated && notice) await tellGuests(app.engine, tx, updated, notice, now());
      if (updated && (startsAt || input.value.status === "cancelled")) {
        await cancelReminders(app.scheduler, tx, id);
        if (updated.status !== "cancelled") {
          for (const r of await rsvpsOf(tx.db, id))
            if (r.answer === "yes" && !r.waiting) await scheduleReminders(app.scheduler, tx, updated, r.address, now());
        }
      }
      return updated;
    });
    return c.json({ meeting });
  });
  routes.get("/meetings/:id/rsvps", async (c) => {
    const id = Number(c.req.param("id"));
    if (!(await getMeeting(app.store.db, id))) return c.json({ error: "no such meeting" }, 404);
    return c.json({ rsvps: await rsvpsOf(app.store.db, id) });
  });
  routes.post("/broadcasts", async (c) => {
    const input = await body(c, broadcastInput);
    if (!input.ok) return input.response;
    const sendAt = input.value.sendAt ? new Date(input.value.sendAt) : now();
    const id = await app.store.transaction((tx) =>
      createBroadcast(
        tx,
        app.scheduler,
        { text: input.value.text, audience: input.value.audience, sendAt, createdBy: "admin-api" },
        now(),
      ),
    );
    return c.json({ id, sendAt: sendAt.toISOString() }, 201);
  });
  routes.get("/broadcasts/:id", async (c) => {
    const counts = await broadcastCounts(app.store.reader, Number(c.req.param("id")));
    return counts ? c.json(counts) : c.json({ error: "no such broadcast" }, 404);
  });
  routes.post("/broadcasts/:id/cancel", async (c) => {
    const done = await app.store.transaction((tx) =>
      cancelBroadcast(tx, app.scheduler, Number(c.req.param("id")), now()),
    );
    return done
      ? c.json({ cancelled: true })
      : c.json({ error: "no such broadcast, or already sent or cancelled" }, 409);
  });
  routes.post("/staff", async (c) => {
    const input = await body(c, staffInput);
    if (!input.ok) return input.response;
    await addStaffMember(app.store.db, input.value.address as Address, input.value.roles, now());
    return c.json({ address: input.value.address, roles: input.value.roles }, 201);
  });
  return routes;
}
