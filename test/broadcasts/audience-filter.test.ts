/**
 * Audiences as a combination, on SQLite and (with DATABASE_URL) Postgres: every filter a set, all
 * filters together; news required except for a meeting's guests; course progress started, finished
 * or none; the chat's and old API's single-kind audiences read as the same combination; and an
 * unknown city ("Mainz" typed as a name, not the id "mainz") refused with the list of known ones.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { AudienceFilter } from "../../src/broadcasts/audience-filter.ts";
import {
  type Audience,
  audienceAddresses,
  everyone,
  filterProblems,
  toFilter,
} from "../../src/broadcasts/broadcasts.ts";
import type { Address } from "../../src/domain/address.ts";
import { answerMeeting, createMeeting } from "../../src/meetings/repository.ts";
import { backends, createTestApp, type TestApp } from "../support/app.ts";
import { addPeople, safeOnline } from "./people.ts";

const daysAgo = (app: TestApp, days: number) => new Date(app.clock.now().getTime() - days * 86_400_000).toISOString();

for (const backend of backends) {
  describe(`audience as a combination on ${backend}`, () => {
    let app: TestApp;
    afterEach(() => app.dispose());

    const who = async (audience: Audience) => audienceAddresses(app.store.reader, audience, app.content);
    const filter = (f: Partial<AudienceFilter>): AudienceFilter => ({ ...everyone, ...f });

    async function seed() {
      app = await createTestApp(backend);
      await addPeople(app, [
        {
          address: "telegram:1",
          language: "ar",
          city: "mainz",
          lessons: [{ id: "strong-passwords", finished: false }],
        },
        {
          address: "whatsapp:2",
          language: "ar",
          city: "mainz",
          lastInboundAt: daysAgo(app, 3),
          lessons: safeOnline.map((id) => ({ id, finished: true })),
        },
        { address: "telegram:3", language: "de", city: "mainz" },
        { address: "telegram:4", language: "ar", city: "leipzig" },
        { address: "telegram:5", language: "ar", city: "mainz", news: false },
        { address: "telegram:6", language: "ar", city: "mainz", status: "stopped" },
        { address: "web:7", language: "ar", city: "mainz" },
        {
          address: "whatsapp:8",
          language: "ar",
          second: "de",
          city: "mainz",
          lessons: safeOnline.slice(0, 2).map((id) => ({ id, finished: true })),
        },
      ]);
    }

    it("ANDs the filters and ORs the values of one filter", async () => {
      await seed();
      expect(await who(filter({ cities: ["mainz"], languages: ["ar"] }))).toEqual([
        "telegram:1",
        "web:7",
        "whatsapp:2",
        "whatsapp:8",
      ]);
      expect(await who(filter({ cities: ["mainz"], languages: ["ar"], channels: ["telegram", "whatsapp"] }))).toEqual([
        "telegram:1",
        "whatsapp:2",
        "whatsapp:8",
      ]);
      expect(await who(filter({ cities: ["mainz", "leipzig"], languages: ["ar"], channels: ["telegram"] }))).toEqual([
        "telegram:1",
        "telegram:4",
      ]);
      expect(await who(filter({ languages: ["de", "ar"], channels: ["web"] }))).toEqual(["web:7"]);
      // Nothing ticked: everyone who wants news and is active.
      expect(await who(everyone)).toHaveLength(6);
    });

    it("course progress: started, finished (every lesson), none, and any of several", async () => {
      await seed();
      const mainz = { cities: ["mainz"] };
      expect(await who(filter({ ...mainz, progress: ["started:safe-online"] }))).toEqual([
        "telegram:1",
        "whatsapp:2",
        "whatsapp:8",
      ]);
      expect(await who(filter({ ...mainz, progress: ["finished:safe-online"] }))).toEqual(["whatsapp:2"]);
      expect(await who(filter({ ...mainz, progress: ["none"] }))).toEqual(["telegram:3", "web:7"]);
      expect(await who(filter({ ...mainz, progress: ["none", "finished:safe-online"] }))).toEqual([
        "telegram:3",
        "web:7",
        "whatsapp:2",
      ]);
      expect(await who(filter({ ...mainz, progress: ["finished:networking"] }))).toEqual([]);
    });

    it("a meeting's guests need no news subscription; other filters still apply", async () => {
      await seed();
      const meeting = await createMeeting(
        app.store.db,
        {
          title: { en: "Café" },
          description: { en: "Café" },
          startsAt: new Date("2026-04-01T10:00:00Z"),
          endsAt: new Date("2026-04-01T11:00:00Z"),
          timeZone: "Europe/Berlin",
          place: "Library",
          mapUrl: null,
          onlineUrl: null,
          city: "mainz",
          languages: [],
          capacity: null,
        },
        null,
        app.clock.now(),
      );
      for (const a of ["telegram:5", "telegram:3", "telegram:4"])
        await answerMeeting(app.store.db, meeting, a as Address, "yes", app.clock.now());
      expect(await who(filter({ meetingId: meeting.id }))).toEqual(["telegram:3", "telegram:4", "telegram:5"]);
      expect(await who(filter({ meetingId: meeting.id, languages: ["ar"] }))).toEqual(["telegram:4", "telegram:5"]);
    });

    it("reads the chat's single-kind audiences as the same combination", async () => {
      await seed();
      expect(toFilter({ kind: "city", city: "mainz" })).toEqual(filter({ cities: ["mainz"] }));
      expect(await who({ kind: "city", city: "mainz" })).toEqual(await who(filter({ cities: ["mainz"] })));
      expect(await who({ kind: "language", language: "de" })).toEqual(["telegram:3"]);
      expect(await who({ kind: "course", course: "safe-online" })).toEqual(
        await who(filter({ progress: ["started:safe-online"] })),
      );
      expect(await who({ kind: "news" })).toEqual(await who(everyone));
    });
  });
}

describe("audience checks", () => {
  it("refuse an unknown city with the known ones, and name unknown languages, channels and courses", async () => {
    const app = await createTestApp("sqlite");
    try {
      const problems = filterProblems(
        {
          ...everyone,
          cities: ["Mainz", "mainz"],
          languages: ["xx"],
          channels: ["signal" as "web"],
          progress: ["started:nope"],
        },
        app.content,
      );
      expect(problems.map((p) => [p.field, p.value])).toEqual([
        ["cities", "Mainz"],
        ["languages", "xx"],
        ["channels", "signal"],
        ["progress", "started:nope"],
      ]);
      expect(problems[0]?.allowed).toEqual(expect.arrayContaining(["mainz", "leipzig", "lund", "other"]));
      expect(filterProblems({ ...everyone, cities: ["mainz"], languages: ["ar"] }, app.content)).toEqual([]);
    } finally {
      await app.dispose();
    }
  });
});
