/**
 * After a class is archived and the configured period has passed (`CLASS_KEEP_DAYS`), its learners'
 * links to it go (membership, answers to its sessions, reminders still waiting): the class keeps only
 * its counts, for the statistics.
 */
import type { Kysely } from "kysely";
import type { ContentPack } from "../content/pack.ts";
import { reminderKind } from "../meetings/reminders.ts";
import type { Database } from "../storage/schema.ts";
import { classProgress, totalsOf } from "./progress.ts";
import { getClass } from "./repository.ts";

/**
 * Unlinks the learners of classes archived before `before`, keeping each class's counts first.
 * Returns how many learner links went. Each class is done in its own transaction.
 *
 * @example
 * await unlinkArchivedClasses(store.db, pack, new Date(now.getTime() - 90 * 86_400_000), now);
 */
export async function unlinkArchivedClasses(
  db: Kysely<Database>,
  pack: ContentPack,
  before: Date,
  now: Date,
): Promise<number> {
  const due = await db
    .selectFrom("classes")
    .select("id")
    .where("status", "=", "archived")
    .where("archived_at", "<", before.toISOString())
    .where((eb) => eb.exists(eb.selectFrom("class_members").select("address").whereRef("class_id", "=", "classes.id")))
    .execute();
  let unlinked = 0;
  for (const { id } of due) {
    unlinked += await db.transaction().execute(async (tx) => {
      const cls = await getClass(tx, Number(id));
      if (!cls) return 0;
      const totals = totalsOf(await classProgress(tx, pack, cls, now));
      await tx
        .updateTable("classes")
        .set({ totals: JSON.stringify(totals), updated_at: now.toISOString() })
        .where("id", "=", cls.id)
        .execute();
      const result = await tx.deleteFrom("class_members").where("class_id", "=", cls.id).executeTakeFirst();
      // Their answers to the class's sessions (with who came) and any reminder still waiting go too:
      // nothing links a learner to the class after this (the review found RSVPs kept for ever).
      const sessions = await tx.selectFrom("meetings").select("id").where("class_id", "=", cls.id).execute();
      for (const { id: meetingId } of sessions) {
        await tx.deleteFrom("rsvps").where("meeting_id", "=", Number(meetingId)).execute();
        await tx
          .deleteFrom("jobs")
          .where("kind", "=", reminderKind)
          .where("status", "=", "pending")
          .where("unique_key", "like", `reminder:${Number(meetingId)}:%`)
          .execute();
      }
      return Number(result.numDeletedRows);
    });
  }
  return unlinked;
}
