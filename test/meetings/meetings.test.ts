/**
 * Meetings as staff and people use them: announcing in the chat, capacity and
 * the waiting list, reminders 24 h and 1 h before in each person's time zone,
 * moved and cancelled meetings told to everyone at once, calendar files, and
 * staff actions refused to everyone else.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { answerMeeting, createMeeting, type Meeting, rsvpsOf } from "../../src/meetings/repository.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

const hour = 3_600_000;
let app: TestApp;

async function person(name: string, city: string) {
  const chat = chatWith(app, name);
  await chat.sayAll("hi", "English", city, "yes", "no news");
  return chat;
}

async function meeting(
  capacity: number | null,
  startsAt = "2026-03-05T17:00:00Z",
  city: string | null = "leipzig",
): Promise<Meeting> {
  return createMeeting(
    app.store.db,
    {
      title: { en: "Help with online courses" },
      description: { en: "Bring your phone." },
      startsAt: new Date(startsAt),
      endsAt: new Date(new Date(startsAt).getTime() + 90 * 60_000),
      timeZone: "Europe/Berlin",
      place: "Stadtbibliothek, Wilhelm-Leuschner-Platz 10, Leipzig",
      mapUrl: null,
      onlineUrl: null,
      city,
      languages: ["Deutsch", "العربية"],
      capacity,
    },
    "console:anna",
    app.clock.now(),
  );
}

/** Moves the clock hour by hour, running due jobs, and returns each person's messages with the UTC hour they came. */
async function hours(n: number, chats: ReturnType<typeof chatWith>[]): Promise<Map<string, string[]>> {
  const got = new Map<string, string[]>(chats.map((c) => [c.address, []]));
  for (let h = 0; h < n; h++) {
    app.clock.advance(hour);
    await app.scheduler.runDue(app.clock.now());
    for (const chat of chats) {
      for (const item of await app.store.takeOutboxFor(chat.address, app.clock.now())) {
        got
          .get(chat.address)
          ?.push(`${app.clock.now().toISOString().slice(5, 13)}h ${"text" in item.outbound ? item.outbound.text : ""}`);
      }
    }
  }
  return got;
}

describe("meetings", () => {
  beforeEach(async () => {
    app = await createTestApp(undefined, {
      clock: new FakeClock(new Date("2026-03-02T09:00:00Z")),
      staffAddresses: "console:anna=staff",
    });
  });
  afterEach(() => app.dispose());

  it("lets staff announce a meeting in the chat, which people of that city then see", async () => {
    const anna = await person("anna", "Leipzig");
    await anna.sayAll(
      "staff",
      "announce a meeting",
      "Digital help café",
      "Help with phones and online forms.",
      "2026-03-05 18:00",
      "90 minutes",
    );
    await anna.sayAll("Stadtbibliothek, Leipzig", "Leipzig", "12", "Deutsch, العربية");
    expect(await anna.say("announce it")).toMatch(/Meeting #1 is announced/);
    const omar = await person("omar", "Leipzig");
    const list = await omar.say("meetings");
    expect(list).toContain("Digital help café");
    const card = await omar.say("1");
    expect(card).toContain("📅 Thursday, March 5, 18:00–19:30 (Europe/Berlin time)");
    expect(card).toContain("👥 12 places left");
    expect(card).toContain("/calendar/meeting-1.ics");
    const lund = await person("lina", "Lund");
    expect(await lund.say("meetings")).toContain("There are no meetings planned right now");
  });

  it("regression: a yes whose turn started before the last place on the waiting list was told that place's number", async () => {
    const m = await meeting(1);
    const at = (seconds: number) => new Date(app.clock.now().getTime() + seconds * 1000);
    await answerMeeting(app.store.db, m, "telegram:1" as Address, "yes", at(1));
    const second = await answerMeeting(app.store.db, m, "telegram:2" as Address, "yes", at(10));
    // A turn that started earlier in another process and waited for the meeting's lock answers now.
    const third = await answerMeeting(app.store.db, m, "telegram:3" as Address, "yes", at(5));
    expect([second.position, third.position]).toEqual([1, 2]);
    const queue = (await rsvpsOf(app.store.db, m.id)).filter((r) => r.waiting).map((r) => r.address);
    expect(queue).toEqual(["telegram:2", "telegram:3"]);
  });

  it("keeps to the capacity with a waiting list that moves up when someone gives up a place", async () => {
    await meeting(2);
    const people = [
      await person("a", "Leipzig"),
      await person("b", "Leipzig"),
      await person("c", "Leipzig"),
      await person("d", "Leipzig"),
    ];
    for (const p of people.slice(0, 2))
      expect(await p.sayAll("meetings", "1", "yes, I will come")).toContain("You have a place");
    expect(await people[2]?.sayAll("meetings", "1", "yes, I will come")).toContain(
      "You are number 1 on the waiting list",
    );
    expect(await people[3]?.sayAll("meetings", "1", "yes, I will come")).toContain(
      "You are number 2 on the waiting list",
    );
    expect(await people[0]?.sayAll("meetings", "1", "give up my place")).toContain("Noted");
    const news = await app.store.takeOutboxFor(people[2]?.address as Address, app.clock.now());
    expect(news.map((n) => ("text" in n.outbound ? n.outbound.text : ""))).toEqual([
      'Good news: a place became free at "Help with online courses". You have a place now.',
    ]);
    const rsvps = await app.store.db
      .selectFrom("rsvps")
      .select(["address", "answer", "waiting"])
      .orderBy("address")
      .execute();
    expect(rsvps.map((r) => [r.address, r.answer, Number(r.waiting)])).toEqual([
      ["console:a", "no", 0],
      ["console:b", "yes", 0],
      ["console:c", "yes", 0],
      ["console:d", "yes", 1],
    ]);
  });

  it("reminds people with a place 24 hours and 1 hour before, in their own time zone", async () => {
    await meeting(null, "2026-03-05T17:00:00Z", null);
    const lund = await person("lund", "Lund");
    const aydin = await person("aydin", "Aydın");
    const waiting = await person("palermo", "Palermo");
    for (const p of [lund, aydin]) await p.sayAll("meetings", "1", "yes, I will come");
    await waiting.sayAll("meetings", "1", "maybe");
    const got = await hours(4 * 24, [lund, aydin, waiting]);
    expect(got.get(lund.address)).toEqual([
      '03-04T17h Reminder: "Help with online courses" is tomorrow, Thursday, March 5, 18:00–19:30. Place: Stadtbibliothek, Wilhelm-Leuschner-Platz 10, Leipzig',
      '03-05T16h Reminder: "Help with online courses" starts in one hour, Thursday, March 5, 18:00–19:30. Place: Stadtbibliothek, Wilhelm-Leuschner-Platz 10, Leipzig',
    ]);
    expect(got.get(aydin.address)?.[0]).toContain("Thursday, March 5, 20:00–21:30");
    expect(got.get(waiting.address)).toEqual([]);
  });

  it("tells everyone who answered at once when a meeting moves, and reminds at the new time", async () => {
    const m = await meeting(null);
    const anna = await person("anna", "Leipzig");
    const omar = await person("omar", "Leipzig");
    await omar.sayAll("meetings", "1", "yes, I will come");
    await anna.sayAll("staff", "manage meetings", "1", "change the time");
    expect(await anna.say("2026-03-06 10:00")).toContain("Changed. 1 person was told.");
    const [notice] = await app.store.takeOutboxFor(omar.address, app.clock.now());
    expect(notice?.outbound).toMatchObject({
      text: expect.stringContaining("has a new time: Friday, March 6, 10:00–11:30"),
    });
    const jobs = await app.store.db
      .selectFrom("jobs")
      .select(["due_at", "status"])
      .where("kind", "=", "meeting.reminder")
      .where("status", "=", "pending")
      .execute();
    expect(jobs.map((j) => j.due_at).sort()).toEqual(["2026-03-05T09:00:00.000Z", "2026-03-06T08:00:00.000Z"]);
    void m;
  });

  it("tells everyone when a meeting is cancelled and sends no reminder", async () => {
    await meeting(null);
    const anna = await person("anna", "Leipzig");
    const omar = await person("omar", "Leipzig");
    await omar.sayAll("meetings", "1", "yes, I will come");
    await anna.sayAll("staff", "manage meetings", "1", "cancel the meeting");
    expect(await anna.say("yes, cancel it")).toContain("Cancelled. 1 person was told.");
    const got = await hours(4 * 24, [omar]);
    expect(got.get(omar.address)?.[0]).toContain("is cancelled");
    expect(got.get(omar.address)).toHaveLength(1);
  });

  it("serves a calendar file for a meeting", async () => {
    const m = await meeting(null);
    const res = await createHttpApp(app, { webChat: false }).request(`/calendar/meeting-${m.id}.ics`);
    expect(res.headers.get("content-type")).toContain("text/calendar");
    const ics = await res.text();
    expect(ics).toContain("DTSTART:20260305T170000Z");
    expect(ics).toContain("SUMMARY:Help with online courses");
    expect(ics).toContain("LOCATION:Stadtbibliothek\\, Wilhelm-Leuschner-Platz 10\\, Leipzig");
  });

  it("refuses every staff action to someone who is not staff: menu, word, button and crafted data", async () => {
    const omar = await person("omar", "Leipzig");
    expect(await omar.say("menu")).not.toContain("Staff");
    expect(await omar.say("staff")).not.toContain("Staff menu");
    for (const crafted of ["go.staff", "go.broadcast", "staff.newMeeting", "bc.now"]) {
      await app.engine.handle({
        id: `crafted-${crafted}`,
        address: omar.address,
        kind: "choice",
        choiceId: crafted,
        receivedAt: new Date(),
      });
      const out = await app.store.takeOutboxFor(omar.address, app.clock.now());
      expect(out.map((o) => ("text" in o.outbound ? o.outbound.text : "")).join(" ")).not.toContain("Staff menu");
    }
    expect(await app.store.db.selectFrom("meetings").selectAll().execute()).toEqual([]);
  });
});
