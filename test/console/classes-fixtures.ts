/**
 * What the class tests share: the form of a class with two courses, and learners who came through
 * onboarding in the chat and then joined a class (by its code, through the repository), optionally
 * with a name they chose for it.
 */
import { joinClass, membershipOf, setMemberName } from "../../src/classes/repository.ts";
import type { Address } from "../../src/domain/address.ts";
import type { TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

/** The form fields of a class in Leipzig, in English and Arabic, with two courses in order. */
export const classForm = (fields: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  name: "Tuesday group",
  city: "leipzig",
  languages: ["en", "ar"],
  rows: "3",
  "courses.0.course": "phone-papers",
  "courses.0.startsOn": "2026-03-02",
  "courses.0.endsOn": "2026-03-31",
  "courses.1.course": "safe-online",
  "courses.1.startsOn": "2026-04-01",
  "courses.1.endsOn": "",
  "courses.2.course": "",
  "courses.2.startsOn": "",
  "courses.2.endsOn": "",
  capacity: "",
  codeExpiresOn: "",
  action: "save",
  ...fields,
});

/** The same class as the API takes it. */
export const apiClass = {
  name: "Tuesday group",
  city: "leipzig",
  languages: ["en", "ar"],
  courses: [
    { course: "phone-papers", startsOn: "2026-03-02", endsOn: "2026-03-31" },
    { course: "safe-online", startsOn: "2026-04-01" },
  ],
};

/** A learner who onboarded in the chat and joined the class with this code. */
export interface Joined {
  address: Address;
  ref: string;
  say(text: string): Promise<string>;
}

/**
 * Onboards a learner in the terminal chat (language, Leipzig, consent, no news) and joins them to
 * the class with `code`, with the name they chose for it if given.
 *
 * @example
 * const mina = await learnerIn(app, cls.code, "mina", "English", "Mina");
 */
export async function learnerIn(
  app: TestApp,
  code: string,
  user: string,
  language: string,
  chosenName?: string,
): Promise<Joined> {
  const chat = chatWith(app, user);
  await chat.sayAll("hi", language, "Leipzig", "yes", "No news");
  // A minute apart, so learners are listed in the order they joined.
  const now = app.clock.advance(60_000);
  const joined = await app.store.transaction(async (tx) => {
    const outcome = await joinClass(tx.db, code, chat.address, now);
    if (outcome.kind !== "joined") throw new Error(`could not join: ${outcome.kind}`);
    if (chosenName) await setMemberName(tx.db, outcome.class.id, chat.address, chosenName);
    return membershipOf(tx.db, outcome.class.id, chat.address);
  });
  return { address: chat.address, ref: joined?.ref ?? "", say: chat.say };
}
