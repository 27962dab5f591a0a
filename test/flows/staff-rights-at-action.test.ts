/**
 * Rights at the moment of action (issue 15, finding 6): a staff member
 * removed from the configuration in the middle of the broadcast flow could
 * still send it, because only opening a staff flow asked for the role. Every
 * staff effect now asks when it runs, against the directory as it is then.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { msg } from "../../flows/kit.ts";
import type { Address } from "../../src/domain/address.ts";
import { createLogger } from "../../src/log.ts";
import { createMeeting } from "../../src/meetings/repository.ts";
import { seedPopulation } from "../broadcasts/population.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

const denied = "Only staff can do this, and you are not staff (any more). Nothing was done.";

/** Every effect the staff flows ask for (flows/staff.ts, flows/staff-announce.ts, flows/broadcast.ts). */
const staffEffects: `feature.${string}`[] = [
  "feature.meetings.create",
  "feature.meetings.move",
  "feature.meetings.place",
  "feature.meetings.cancel",
  "feature.meetings.attendees",
  "feature.broadcast.preview",
  "feature.broadcast.create",
  "feature.broadcast.counts",
  "feature.broadcast.cancel",
];

describe("rights at the moment of action", () => {
  let app: TestApp;
  let logged: Record<string, unknown>[];
  beforeEach(async () => {
    logged = [];
    app = await createTestApp(undefined, {
      staffAddresses: "console:anna=staff",
      logger: createLogger("warn", (line) => logged.push(JSON.parse(line) as Record<string, unknown>)),
    });
  });
  afterEach(() => app.dispose());

  async function person(name: string) {
    const chat = chatWith(app, name);
    await chat.sayAll("hi", "English", "Leipzig", "yes", "no news");
    return chat;
  }

  it("a staff member removed mid-broadcast-flow presses send: nothing is queued, they are told", async () => {
    await seedPopulation(app.store.db, app.store.dialect, 3, app.clock.now());
    const anna = await person("anna");
    await anna.sayAll("staff", "broadcasts", "new broadcast", "Meeting tomorrow at the library!");
    expect(await anna.sayAll("people in a city", "Leipzig")).toContain("This reaches 3 people.");

    app.staff.replace(""); // removed from STAFF_ADDRESSES while the preview waits for "send now"
    const answer = await anna.say("send now");

    expect(answer).toContain(denied);
    expect(answer).not.toContain("is being sent");
    expect(await app.store.db.selectFrom("broadcasts").selectAll().execute()).toEqual([]);
    expect(await app.store.db.selectFrom("jobs").selectAll().where("kind", "like", "broadcast%").execute()).toEqual([]);
    await app.scheduler.runDue(app.clock.now());
    const queued = await app.store.db.selectFrom("outbox").select("id").where("broadcast_id", "is not", null).execute();
    expect(queued).toEqual([]);
    expect(logged).toContainEqual(
      expect.objectContaining({ event: "staff.denied", role: "staff", action: "feature.broadcast.create" }),
    );
    // The flow is left too: the staff menu no longer opens.
    expect(await anna.say("staff")).not.toContain("Staff menu");
  });

  it("the refusal is a translated message (German here), not an error", async () => {
    const anna = await person("anna");
    const handler = app.registry.effectHandler("feature.broadcast.create");
    app.staff.replace("");
    const replies = await app.store.transaction(async (tx) => {
      const user = await tx.getUser(anna.address as Address);
      if (!handler || !user) throw new Error("no handler or user");
      return handler(tx, user, { kind: "feature.broadcast.create", data: {} }, app.clock.now());
    });
    expect(replies).toEqual([{ kind: "text", lines: [msg("staff.denied")] }]);
    expect(app.engine.renderer.render(replies?.[0] ?? { kind: "text", lines: [] }, "de")).toMatchObject({
      text: expect.stringContaining("Es wurde nichts getan."),
    });
  });

  it.each(staffEffects)("%s does nothing for someone who is not staff when it runs", async (kind) => {
    const omar = await person("omar");
    const meeting = await createMeeting(
      app.store.db,
      {
        title: { en: "Help with online courses" },
        description: { en: "Bring your phone." },
        startsAt: new Date("2026-03-05T17:00:00Z"),
        endsAt: new Date("2026-03-05T18:30:00Z"),
        timeZone: "Europe/Berlin",
        place: "Stadtbibliothek",
        mapUrl: null,
        onlineUrl: null,
        city: "leipzig",
        languages: [],
        capacity: null,
      },
      "console:anna",
      app.clock.now(),
    );
    const effectData = {
      id: meeting.id,
      startsAt: "2026-03-06T10:00:00Z",
      place: "Rathaus",
      text: "crafted",
      audience: { kind: "news" },
      title: "crafted",
      minutes: 60,
    };
    const before = await app.store.db.selectFrom("meetings").selectAll().execute();
    const handler = app.registry.effectHandler(kind);
    const replies = await app.store.transaction(async (tx) => {
      const user = await tx.getUser(omar.address as Address);
      if (!handler || !user) throw new Error(`no handler for ${kind}`);
      return handler(tx, user, { kind, data: effectData }, app.clock.now());
    });
    expect(replies).toEqual([{ kind: "text", lines: [msg("staff.denied")] }]);
    expect(await app.store.db.selectFrom("meetings").selectAll().execute()).toEqual(before);
    expect(await app.store.db.selectFrom("broadcasts").selectAll().execute()).toEqual([]);
    expect(logged).toContainEqual(expect.objectContaining({ event: "staff.denied", role: "staff", action: kind }));
    expect(JSON.stringify(logged)).not.toContain(omar.address);
  });

  it("someone made staff while the bot runs can act at once, and loses it at once", async () => {
    const omar = await person("omar");
    expect(await omar.say("staff")).not.toContain("Staff menu");
    app.staff.replace("console:anna=staff,console:omar=staff");
    expect(await omar.sayAll("menu", "staff")).toContain("Staff menu");
    await omar.sayAll("broadcasts", "new broadcast", "Meeting tomorrow at the library!", "people in a city", "Leipzig");
    app.staff.replace("console:anna=staff");
    expect(await omar.say("send later")).not.toContain(denied); // asking the time changes nothing
    expect(await omar.say("2026-03-03 10:00")).toContain(denied);
    expect(await app.store.db.selectFrom("broadcasts").selectAll().execute()).toEqual([]);
  });

  it("an invalid replacement leaves the directory as it was", () => {
    expect(() => app.staff.replace("console:anna=boss")).toThrow(/unknown role "boss"/);
    expect([...app.staff.rolesOf("console:anna" as Address)]).toEqual(["staff"]);
  });
});
