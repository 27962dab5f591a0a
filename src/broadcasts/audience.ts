/**
 * Who a broadcast reaches, as one query over `users` that the reach preview,
 * the address list and the fan-out's `INSERT ... SELECT` all build on, so
 * they can never disagree. The audience is never loaded into memory to be
 * queued: it stays a set inside the database.
 */
import {
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from "kysely";
import type { ContentPack } from "../content/pack.ts";
import type { Address } from "../domain/address.ts";
import type { Dialect } from "../storage/migrations/helpers.ts";
import type { Database } from "../storage/schema.ts";
import type { StoreTx } from "../storage/store.ts";
import { type Audience, type ProgressCondition, toFilter } from "./audience-filter.ts";

export {
  type Audience,
  type AudienceFilter,
  audienceSchema,
  everyone,
  filterProblems,
  storedFilter,
  toFilter,
} from "./audience-filter.ts";

/** A query over the audience's rows of `users`, nothing selected yet. */
export type AudienceQuery = SelectQueryBuilder<Database, "users", object>;

/** A slice of the audience by address (keyset paging): after one address, up to and including another. */
export interface AddressRange {
  after?: string | null | undefined;
  through?: string | undefined;
}

type Users = ExpressionBuilder<Database, "users">;

/**
 * The people an audience reaches now: they agreed to storage, did not say
 * stop, want news (all but a meeting's guests and a class's learners), and match every filter of the
 * combination (a filter's values are alternatives). Filters are `exists`
 * subqueries and conditions on `users`, not joins, so the query stays "rows of
 * users" that callers can page by address, group or insert from; the reach
 * preview, the address list and the fan-out all build on it and cannot disagree.
 *
 * @example
 * const reach = await audienceQuery(tx.db, { kind: "city", city: "leipzig" }, pack)
 *   .select((eb) => eb.fn.countAll<number>().as("n"))
 *   .executeTakeFirstOrThrow();
 */
export function audienceQuery(
  db: StoreTx["db"],
  audience: Audience,
  pack: Pick<ContentPack, "lessonsOf">,
  range: AddressRange = {},
): AudienceQuery {
  const filter = toFilter(audience);
  // The range goes on every table the filters read, not only on users: Postgres does not carry an
  // inequality across "a.address = b.address", and without it a merge join reads every
  // subscription before the page, so each page would cost more than the one before.
  const within = (column: string): RawBuilder<boolean> => {
    const after = range.after ?? null;
    const parts = [
      ...(after !== null ? [sql`${sql.ref(column)} > ${after}`] : []),
      ...(range.through !== undefined ? [sql`${sql.ref(column)} <= ${range.through}`] : []),
    ];
    return parts.length === 0 ? sql<boolean>`1 = 1` : sql<boolean>`${sql.join(parts, sql` and `)}`;
  };
  let query = (db.selectFrom("users") as AudienceQuery)
    .where("users.consent", "=", "given")
    .where("users.status", "=", "active")
    .where(within("users.address"));
  const meetingId = filter.meetingId;
  if (meetingId !== null) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("rsvps")
          .select("rsvps.address")
          .whereRef("rsvps.address", "=", "users.address")
          .where("rsvps.meeting_id", "=", meetingId)
          .where("rsvps.answer", "in", ["yes", "maybe"])
          // Never a class session's guests: those are the class's, reached by a class message.
          .where((inner) =>
            inner.not(
              inner.exists(
                inner
                  .selectFrom("meetings")
                  .select("meetings.id")
                  .where("meetings.id", "=", meetingId)
                  .where("meetings.class_id", "is not", null),
              ),
            ),
          )
          .where(within("rsvps.address")),
      ),
    );
  }
  const classId = filter.classId ?? null;
  if (classId !== null) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("class_members")
          .select("class_members.address")
          .whereRef("class_members.address", "=", "users.address")
          .where("class_members.class_id", "=", classId)
          .where(within("class_members.address")),
      ),
    );
  }
  if (meetingId === null && classId === null) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("news_subscriptions")
          .select("news_subscriptions.address")
          .whereRef("news_subscriptions.address", "=", "users.address")
          .where(within("news_subscriptions.address")),
      ),
    );
  }
  if (filter.cities.length > 0) query = query.where("users.city", "in", filter.cities);
  if (filter.languages.length > 0) query = query.where("users.language", "in", filter.languages);
  if (filter.channels.length > 0) {
    // A prefix of the address: the keyset index on users.address serves it.
    const channels = filter.channels;
    query = query.where((eb) => eb.or(channels.map((c) => eb("users.address", "like", `${c}:%`))));
  }
  if (filter.progress.length > 0) {
    const progress = filter.progress;
    query = query.where((eb) => eb.or(progress.map((p) => progressCondition(eb, p, pack, within))));
  }
  return query;
}

/** One course-progress condition on a person, as SQL. */
function progressCondition(
  eb: Users,
  condition: ProgressCondition,
  pack: Pick<ContentPack, "lessonsOf">,
  within: (column: string) => RawBuilder<boolean>,
): Expression<SqlBool> {
  const progressOf = () =>
    eb
      .selectFrom("lesson_progress")
      .select("lesson_progress.address")
      .whereRef("lesson_progress.address", "=", "users.address")
      .where(within("lesson_progress.address"));
  if (condition === "none") return eb.not(eb.exists(progressOf()));
  const [kind, course = ""] = condition.split(":") as ["started" | "finished", string];
  // The pack's lessons of one course: a short list bounded by content, not by the audience.
  const lessons = pack.lessonsOf(course).map((l) => l.id);
  if (lessons.length === 0) return sql<SqlBool>`1 = 0`;
  if (kind === "started") return eb.exists(progressOf().where("lesson_progress.lesson_id", "in", lessons));
  // Finished: every lesson of the course completed.
  return eb.exists(
    progressOf()
      .where("lesson_progress.lesson_id", "in", lessons)
      .where("lesson_progress.completed_at", "is not", null)
      .groupBy("lesson_progress.address")
      .having((h) => h.fn.count("lesson_progress.lesson_id").distinct(), "=", lessons.length),
  );
}

/**
 * The channel of `users.address` (the part before its colon), computed in SQL.
 *
 * @example
 * db.selectFrom("users").select(channelOfAddress("sqlite").as("channel"));
 */
export function channelOfAddress(dialect: Dialect) {
  return dialect === "postgres"
    ? sql<string>`split_part(users.address, ':', 1)`
    : sql<string>`substr(users.address, 1, instr(users.address, ':') - 1)`;
}

/**
 * The addresses an audience reaches now, in address order. Loads them all:
 * for small audiences and tests; queuing and the reach preview never do.
 *
 * @example
 * const people = await audienceAddresses(tx, { kind: "city", city: "leipzig" }, pack);
 */
export async function audienceAddresses(tx: StoreTx, audience: Audience, pack: ContentPack): Promise<Address[]> {
  const rows = await audienceQuery(tx.db, audience, pack).select("users.address").orderBy("users.address").execute();
  return rows.map((r) => r.address as Address);
}

/** How many people an audience reaches, by channel. */
export interface AudienceReach {
  total: number;
  telegram: number;
  whatsapp: number;
  other: number;
  /** WhatsApp people who last wrote more than 24 hours ago: only a template reaches them. */
  whatsappOutsideWindow: number;
}

/**
 * Counts an audience by channel in one grouped query, for the preview before sending.
 *
 * @example
 * const reach = await audienceReach(tx, { kind: "news" }, pack, now); // { total: 3, telegram: 3, ... }
 */
export async function audienceReach(
  tx: StoreTx,
  audience: Audience,
  pack: ContentPack,
  now: Date,
): Promise<AudienceReach> {
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000).toISOString();
  const outside = (eb: ExpressionBuilder<Database, "users">) =>
    eb.or([eb("users.last_inbound_at", "is", null), eb("users.last_inbound_at", "<", dayAgo)]);
  const channel = channelOfAddress(tx.dialect);
  const rows = await audienceQuery(tx.db, audience, pack)
    .select((eb) => [
      channel.as("channel"),
      eb.fn.countAll<number | string>().as("n"),
      eb.fn.sum<number | string | null>(eb.case().when(outside(eb)).then(1).else(0).end()).as("outside"),
    ])
    .groupBy(channel)
    .execute();
  const reach: AudienceReach = { total: 0, telegram: 0, whatsapp: 0, other: 0, whatsappOutsideWindow: 0 };
  for (const row of rows) {
    const n = Number(row.n);
    reach.total += n;
    if (row.channel === "telegram") reach.telegram += n;
    else if (row.channel === "whatsapp") {
      reach.whatsapp += n;
      reach.whatsappOutsideWindow += Number(row.outside ?? 0);
    } else reach.other += n;
  }
  return reach;
}
