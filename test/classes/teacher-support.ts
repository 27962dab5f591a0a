/**
 * What the teacher-side class tests share: the staff of these tests (two teachers, an admin, a
 * counsellor), people set up through onboarding in a language, a class made by a teacher in the
 * chat, and a look at what reached a person. Everything goes through the real app and storage.
 */
import { type ClassRecord, joinClass, listClasses } from "../../src/classes/repository.ts";
import type { Address } from "../../src/domain/address.ts";
import type { TestApp } from "../support/app.ts";
import { chatWith } from "../support/chat.ts";

/** The staff of these tests, as `STAFF_ADDRESSES`. */
export const staffAddresses =
  "console:teacher1=teacher,console:teacher2=teacher,console:admin1=admin,console:counsellor1=counsellor";

/** A chat as chatWith gives it. */
export type Chat = ReturnType<typeof chatWith>;

/** What each language's person answers in onboarding: the language's name, yes to storage, news or not. */
const setUp: Record<string, (news: boolean) => string[]> = {
  en: (news) => ["English", "Leipzig", "yes", news ? "yes" : "no news"],
  de: (news) => ["Deutsch", "Leipzig", "1", news ? "1" : "2"],
};

/**
 * A person who went through onboarding in `language` (en or de) and lives in Leipzig.
 *
 * @example
 * const bernd = await person(app, "bernd", "de");
 */
export async function person(app: TestApp, name: string, language = "en", news = false): Promise<Chat> {
  const chat = chatWith(app, name);
  await chat.sayAll("hi", ...(setUp[language]?.(news) ?? []));
  return chat;
}

/**
 * The teacher makes "Tuesday group" in Leipzig, in German and English, following "Stay safe online"
 * then "Calls and messages", and is back at their list of classes. Returns the class and the answer
 * to "Make the class".
 *
 * @example
 * const { cls, answer } = await classByChat(app, teacher);
 */
export async function classByChat(app: TestApp, teacher: Chat): Promise<{ cls: ClassRecord; answer: string }> {
  await teacher.sayAll(
    "menu",
    "Classes I teach",
    "New class",
    "Tuesday group",
    "Leipzig",
    "Deutsch",
    "English",
    "Done",
  );
  await teacher.sayAll("Stay safe online", "Calls and messages", "Done", "No limit");
  const answer = await teacher.say("Make the class");
  const [cls] = await listClasses(app.store.db, { teacher: teacher.address });
  if (!cls) throw new Error("the class was not made");
  return { cls, answer };
}

/**
 * People join the class by its code (the learner side, joining in the chat, is tested on its own).
 *
 * @example
 * await join(app, cls, amira, bernd);
 */
export async function join(app: TestApp, cls: ClassRecord, ...people: Chat[]): Promise<void> {
  for (const p of people) await joinClass(app.store.db, cls.code, p.address, app.clock.now());
}

/**
 * The texts that reached a person since last asked, delivered in order.
 *
 * @example
 * const texts = await received(app, amira.address);
 */
export async function received(app: TestApp, address: Address): Promise<string[]> {
  return (await app.store.takeOutboxFor(address, app.clock.now())).map((item) =>
    "text" in item.outbound ? item.outbound.text : "",
  );
}
