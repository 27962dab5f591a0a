/**
 * Calendar files for meetings: `GET /calendar/meeting-<id>.ics`, public (a
 * meeting is an announcement), in the language asked for with `?lang=`. A class
 * session has none: it is not an announcement.
 */
import { Hono } from "hono";
import type { App } from "../app.ts";
import { icsFor } from "../meetings/ics.ts";
import { getMeeting } from "../meetings/repository.ts";

/**
 * The calendar routes.
 *
 * @example
 * http.route("/", calendarRoutes(app));
 */
export function calendarRoutes(app: App): Hono {
  const routes = new Hono();
  routes.get("/calendar/:file", async (c) => {
    const match = /^meeting-(\d+)\.ics$/.exec(c.req.param("file"));
    const meeting = match ? await getMeeting(app.store.db, Number(match[1])) : undefined;
    // A class session is for its learners only: its time and place are not public (the card has no link).
    if (!meeting || meeting.classId !== null) return c.json({ error: "no such meeting" }, 404);
    const language = /^[a-z]{2,3}$/.test(c.req.query("lang") ?? "") ? (c.req.query("lang") as string) : "en";
    c.header("content-type", "text/calendar; charset=utf-8");
    c.header("content-disposition", `attachment; filename="meeting-${meeting.id}.ics"`);
    return c.body(icsFor(meeting, language, app.clock.now()));
  });
  return routes;
}
