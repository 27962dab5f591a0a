/**
 * What the learner-side class tests share: a class with a known code, a person set up in a language
 * and city, a session of the class, and a finished lesson, all written through the real storage.
 */
import { type ClassCourse, type ClassRecord, createClass, type NewClass } from "../../src/classes/repository.ts";
import type { Address } from "../../src/domain/address.ts";
import { saveQuizResult, saveStep } from "../../src/learning/repository.ts";
import { createMeeting, type Meeting } from "../../src/meetings/repository.ts";
import type { TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

/** The teacher's address in these tests (never shown to learners). */
export const teacher = "telegram:100" as Address;

/** Safe online (March), then phone papers (from April): a class that follows two courses in order. */
export const twoCourses: ClassCourse[] = [
  { course: "safe-online", startsOn: "2026-03-01", endsOn: "2026-03-31" },
  { course: "phone-papers", startsOn: "2026-04-01", endsOn: null },
];

/**
 * A class with the code `code` (read off a board: the tests type it as people would).
 *
 * @example
 * const cls = await classWithCode(app, "K7F2Q", { capacity: 2 });
 */
export async function classWithCode(app: TestApp, code: string, patch: Partial<NewClass> = {}): Promise<ClassRecord> {
  const cls = await createClass(
    app.store.db,
    {
      name: "Tuesday group",
      city: "leipzig",
      languages: ["fa", "uk"],
      courses: twoCourses,
      capacity: null,
      codeExpiresAt: null,
      teacher,
      ...patch,
    },
    app.clock.now(),
  );
  await app.store.db.updateTable("classes").set({ code }).where("id", "=", cls.id).execute();
  return { ...cls, code };
}

/** What each language's person answers in onboarding: the language's name, yes to storage, no news. */
const setUp: Record<string, string[]> = {
  en: ["English", "Leipzig", "yes", "no news"],
  de: ["Deutsch", "Leipzig", "1", "2"],
  fa: ["فارسی", "Leipzig", "1", "2"],
  uk: ["Українська", "Leipzig", "1", "2"],
};

/**
 * A person who went through onboarding in `language` and lives in Leipzig.
 *
 * @example
 * const amina = await person(app, "amina", "fa");
 */
export async function person(app: TestApp, name: string, language = "en") {
  const chat = chatWith(app, name);
  await chat.sayAll("hi", ...(setUp[language] ?? []));
  return chat;
}

/**
 * Onboarding answers after the first message, for someone who came with a link or a code.
 *
 * @example
 * await chat.sayAll(...onboardingAnswers("uk"));
 */
export function onboardingAnswers(language: string): string[] {
  return setUp[language] ?? [];
}

/**
 * A session of the class (a meeting only its learners see).
 *
 * @example
 * const session = await session(app, cls, "2026-03-05T17:00:00Z");
 */
export async function classSession(app: TestApp, cls: ClassRecord, startsAt: string): Promise<Meeting> {
  return createMeeting(
    app.store.db,
    {
      title: { en: "Tuesday group: passwords", de: "Dienstagsgruppe: Passwörter" },
      description: { en: "Session of the class." },
      startsAt: new Date(startsAt),
      endsAt: new Date(new Date(startsAt).getTime() + 90 * 60_000),
      timeZone: "Europe/Berlin",
      place: "Stadtbibliothek, Leipzig",
      mapUrl: null,
      onlineUrl: null,
      city: cls.city,
      languages: [],
      capacity: null,
      classId: cls.id,
    },
    teacher,
    app.clock.now(),
  );
}

/**
 * Marks a lesson finished as its quiz does.
 *
 * @example
 * await finishLesson(app, amina.address, "strong-passwords");
 */
export async function finishLesson(app: TestApp, address: Address, lesson: string): Promise<void> {
  await saveStep(app.store.db, address, lesson, 4, app.clock.now());
  await saveQuizResult(app.store.db, address, { lesson, score: 3, total: 4 }, app.clock.now());
}
