/**
 * What the teaching flows read (flows/teaching.ts, flows/teaching-class.ts): the classes a person may
 * see right now (a teacher's own, an admin's all; or just the one a class screen opens), each with its
 * learners (named by the name they chose or their reference, never their address) and the sessions of
 * the last weeks and to come with who was marked as having come. Nothing for anyone else.
 */
import { noTeachingData, type TeachingClass, type TeachingData, type TeachingSession } from "../../flows/teaching.ts";
import type { ContentPack } from "../content/pack.ts";
import { cityById } from "../domain/cities.ts";
import type { User } from "../domain/user.ts";
import { toMeeting } from "../meetings/repository.ts";
import type { StaffRights } from "../staff/rights.ts";
import type { StoreTx } from "../storage/store.ts";
import { type ClassViewer, canSeeClass, canTeach, classListScope } from "./access.ts";
import { type ClassRecord, getClass, listClasses } from "./repository.ts";

/** Classes shown in the chat at most (newest first); an admin finds the others in the console. */
const chatClassLimit = 30;
/** Sessions shown for attendance: those of the last weeks and those to come. */
const sessionWindowMs = 42 * 86_400_000;

/**
 * A class's zone for typing and showing times: its city's, else the viewer's own (an online class).
 *
 * @example
 * zoneOf(cls, user); // "Europe/Berlin" for a class in Leipzig
 */
export const zoneOf = (cls: ClassRecord, user: User) => cityById(cls.city)?.timeZone ?? user.timeZone;

/**
 * The person as class rights see them: their address and every role they have right now.
 *
 * @example
 * canSeeClass(await viewerOf(rights, tx, user), cls);
 */
export async function viewerOf(rights: StaffRights, tx: StoreTx, user: User): Promise<ClassViewer> {
  return { address: user.address, roles: [...(await rights.rolesOf(tx, user.address))] };
}

/** The classes a loader reads: the one a flow opens (when it says which and the person may see it), else the list. */
async function visibleClasses(tx: StoreTx, viewer: ClassViewer, only: number | undefined): Promise<ClassRecord[]> {
  if (only === undefined) return listClasses(tx.db, { ...classListScope(viewer), limit: chatClassLimit });
  const cls = await getClass(tx.db, only);
  return cls && canSeeClass(viewer, cls) ? [cls] : [];
}

/**
 * What the teaching flows read: the classes this person may see now (or just the one `only` names),
 * with learners and sessions.
 *
 * @example
 * registry.onInput("teaching", (tx, user, now) => teachingData({ pack }, rights, tx, user, now));
 */
export async function teachingData(
  deps: { pack: ContentPack },
  rights: StaffRights,
  tx: StoreTx,
  user: User,
  now: Date,
  only?: number,
): Promise<TeachingData> {
  const viewer = await viewerOf(rights, tx, user);
  if (!canTeach(viewer)) return noTeachingData;
  const classes = await visibleClasses(tx, viewer, only);
  const ids = classes.map((c) => c.id);
  const members =
    ids.length === 0
      ? []
      : await tx.db
          .selectFrom("class_members")
          .select(["class_id", "address", "ref", "display_name"])
          .where("class_id", "in", ids)
          .orderBy("joined_at")
          .orderBy("ref")
          .execute();
  const sessions =
    ids.length === 0
      ? []
      : (
          await tx.db
            .selectFrom("meetings")
            .selectAll()
            .where("class_id", "in", ids)
            .where("status", "!=", "cancelled")
            .where("ends_at", ">", new Date(now.getTime() - sessionWindowMs).toISOString())
            .orderBy("starts_at")
            .execute()
        ).map(toMeeting);
  const came =
    sessions.length === 0
      ? []
      : await tx.db
          .selectFrom("rsvps")
          .select(["meeting_id", "address"])
          .where(
            "meeting_id",
            "in",
            sessions.map((s) => s.id),
          )
          .where("attended", "=", 1)
          .execute();
  const toClass = (cls: ClassRecord): TeachingClass => {
    const mine = members.filter((m) => Number(m.class_id) === cls.id);
    const refOf = new Map(mine.map((m) => [m.address, m.ref]));
    const own = sessions.filter((s) => s.classId === cls.id);
    const view = (s: (typeof own)[number]): TeachingSession => ({
      id: s.id,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      came: came
        .filter((r) => Number(r.meeting_id) === s.id)
        .flatMap((r) => (refOf.has(r.address) ? [refOf.get(r.address) as string] : [])),
    });
    // For attendance: the session that started last first, then those to come, soonest first.
    const started = own.filter((s) => s.startsAt <= now).reverse();
    const ahead = own.filter((s) => s.startsAt > now);
    return {
      id: cls.id,
      name: cls.name,
      code: cls.code,
      city: cls.city,
      timeZone: zoneOf(cls, user),
      languages: cls.languages,
      learners: mine.map((m) => ({ ref: m.ref, name: m.display_name })),
      sessions: [...started, ...ahead].slice(0, 12).map(view),
    };
  };
  return {
    allowed: true,
    courses: deps.pack.courses.map((c) => ({ id: c.id, title: c.title })),
    classes: classes.map(toClass),
  };
}
