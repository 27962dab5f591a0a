/**
 * Seeding people and their learning through the store's own functions (no hand-written SQL), for
 * statistics and research tests.
 */
import type { App } from "../../src/app.ts";
import type { Address } from "../../src/domain/address.ts";
import type { Consent } from "../../src/domain/user.ts";
import {
  type AnswerSource,
  markActiveDay,
  saveQuizAnswer,
  saveQuizResult,
  saveStep,
} from "../../src/learning/repository.ts";

/** A person as stored after onboarding (or part of it). */
export interface Seeded {
  address: Address;
  language?: string | null;
  city?: string | null;
  consent?: Consent;
  lastInboundAt?: Date;
}

/** Creates the person with the engine's own store calls. */
export async function seedPerson(app: App, person: Seeded, now: Date): Promise<void> {
  await app.store.transaction(async (tx) => {
    await tx.lockUser(person.address, "Europe/Berlin", now);
    await tx.updateUser(
      person.address,
      {
        ...(person.language !== undefined ? { language: person.language } : {}),
        ...(person.city !== undefined ? { city: person.city } : {}),
        consent: person.consent ?? "given",
        ...(person.lastInboundAt ? { lastInboundAt: person.lastInboundAt } : {}),
      },
      now,
    );
  });
}

/** A quiz taken: each answer recorded as the learning feature does, then the result. */
export async function seedQuiz(
  app: App,
  address: Address,
  lesson: string,
  answers: Record<string, boolean>,
  now: Date,
  source: AnswerSource = "quiz",
): Promise<void> {
  await app.store.transaction(async (tx) => {
    for (const [question, correct] of Object.entries(answers)) {
      await saveQuizAnswer(tx.db, address, { lesson, question, correct, source }, now);
    }
    if (source === "quiz") {
      const values = Object.values(answers);
      await saveQuizResult(tx.db, address, { lesson, score: values.filter(Boolean).length, total: values.length }, now);
    }
  });
}

/** A lesson started (a step saved) on a day with learning activity. */
export async function seedStep(app: App, address: Address, lesson: string, now: Date, day?: string): Promise<void> {
  await app.store.transaction(async (tx) => {
    await saveStep(tx.db, address, lesson, 2, now);
    await markActiveDay(tx.db, address, day ?? now.toISOString().slice(0, 10));
  });
}
