/**
 * People for broadcast tests, each described by what an audience filters on: channel (the address),
 * language and second language, city, news, status, when they last wrote, and lessons started or
 * finished. Inserted straight into the real store's tables, as the chat would have left them.
 */
import type { App } from "../../src/app.ts";

/** One person. */
export interface Person {
  address: string;
  language?: string | null;
  second?: string | null;
  city?: string | null;
  /** Wants news (default yes). */
  news?: boolean;
  status?: string;
  /** Last message from them; default: now (inside WhatsApp's 24-hour window). */
  lastInboundAt?: string | null;
  /** Lessons: id, finished or not. */
  lessons?: { id: string; finished: boolean }[];
}

/**
 * Adds people.
 *
 * @example
 * await addPeople(app, [{ address: "telegram:1", language: "ar", city: "mainz" }]);
 */
export async function addPeople(app: App, people: Person[]): Promise<void> {
  const at = app.clock.now().toISOString();
  for (const p of people) {
    await app.store.db
      .insertInto("users")
      .values({
        address: p.address,
        language: p.language === undefined ? "en" : p.language,
        second_language: p.second ?? null,
        city: p.city === undefined ? "leipzig" : p.city,
        time_zone: "Europe/Berlin",
        consent: "given",
        status: p.status ?? "active",
        created_at: at,
        updated_at: at,
        last_inbound_at: p.lastInboundAt === undefined ? at : p.lastInboundAt,
      })
      .execute();
    if (p.news !== false)
      await app.store.db.insertInto("news_subscriptions").values({ address: p.address, created_at: at }).execute();
    for (const lesson of p.lessons ?? [])
      await app.store.db
        .insertInto("lesson_progress")
        .values({
          address: p.address,
          lesson_id: lesson.id,
          step: lesson.finished ? 9 : 1,
          completed_at: lesson.finished ? at : null,
          updated_at: at,
        })
        .execute();
  }
}

/** The lessons of the "safe-online" course, in order. */
export const safeOnline = ["strong-passwords", "two-step-login", "scam-messages", "phone-updates"];
