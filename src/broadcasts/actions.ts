/**
 * The staff actions on broadcasts that the console pages and the API share: check a draft, count its
 * reach, render its preview, create it (now or scheduled) and cancel one. Each change and its audit
 * entry (who, what, the broadcast's id and reach; never anyone's address or words) commit together.
 */
import type { App } from "../app.ts";
import { audit } from "../console/audit.ts";
import { actor, type StaffSession } from "../console/context.ts";
import type { Purpose } from "../domain/outbound.ts";
import { cancelBroadcast, createBroadcast } from "./broadcasts.ts";
import { type Draft, type DraftProblem, draftProblems, sendAt, writtenTexts } from "./draft.ts";
import type { BroadcastMessage } from "./message.ts";
import { type BroadcastPreview, broadcastPreview } from "./preview.ts";
import { type ReachDetail, reachDetail } from "./reach.ts";

/** What the actions use of the app. */
export type BroadcastApp = Pick<App, "store" | "scheduler" | "content" | "engine" | "clock"> & {
  /** Approved WhatsApp template names by purpose (WHATSAPP_TEMPLATE_*), when the app knows them. */
  whatsappTemplates?: Partial<Record<Purpose, string>> | undefined;
};

/** The message of a draft: its written texts and default language. */
export function draftMessage(draft: Draft): BroadcastMessage {
  return { texts: writtenTexts(draft.texts), defaultLanguage: draft.defaultLanguage };
}

/**
 * The reach of a draft's audience for its texts, now (for the page before sending and the API).
 *
 * @example
 * const reach = await draftReach(app, draft);
 */
export async function draftReach(app: BroadcastApp, draft: Draft): Promise<ReachDetail> {
  return reachDetail(app.store.reader, draft.audience, draftMessage(draft), app.content, app.clock.now());
}

/**
 * The reach and the Telegram and WhatsApp preview of a draft.
 *
 * @example
 * const { reach, preview } = await draftPreview(app, draft);
 */
export async function draftPreview(
  app: BroadcastApp,
  draft: Draft,
): Promise<{ reach: ReachDetail; preview: BroadcastPreview }> {
  const reach = await draftReach(app, draft);
  const preview = await broadcastPreview(draftMessage(draft), reach, app.engine.renderer, app.whatsappTemplates ?? {});
  return { reach, preview };
}

/** What creating gave: the new id, or the problems that stopped it. */
export type CreateResult =
  | { ok: true; id: number; reach: number; sendAt: Date }
  | { ok: false; problems: DraftProblem[] };

/**
 * Checks and creates a broadcast for a signed-in staff member, audited as `broadcast.create` with its
 * id and reach, in one transaction.
 *
 * @example
 * const result = await createFromDraft(app, staff, draft);
 * if (result.ok) return c.redirect(`/staff/broadcasts/${result.id}?done=created`, 303);
 */
export async function createFromDraft(app: BroadcastApp, staff: StaffSession, draft: Draft): Promise<CreateResult> {
  const now = app.clock.now();
  return app.store.transaction(async (tx): Promise<CreateResult> => {
    const problems = await draftProblems(tx, draft, app.content, now);
    const at = sendAt(draft.when, now);
    if (problems.length > 0 || !at) return { ok: false, problems };
    const message = draftMessage(draft);
    const reach = (await reachDetail(tx, draft.audience, message, app.content, now)).total;
    const id = await createBroadcast(
      tx,
      app.scheduler,
      {
        text: message.texts,
        defaultLanguage: message.defaultLanguage,
        audience: draft.audience,
        sendAt: at < now ? now : at,
        timeZone: draft.when.kind === "at" ? draft.when.timeZone : undefined,
        createdBy: actor(staff),
      },
      now,
    );
    await audit(
      tx.db,
      staff,
      "broadcast.create",
      { broadcastId: id, reach, languages: Object.keys(message.texts), scheduled: draft.when.kind === "at" },
      now,
    );
    return { ok: true, id, reach, sendAt: at < now ? now : at };
  });
}

/**
 * Cancels a broadcast for a signed-in staff member (what is not sent yet is withdrawn), audited as
 * `broadcast.cancel` with its id and the people it had reached. False when it is gone, sent or cancelled.
 *
 * @example
 * if (!(await cancelAsStaff(app, staff, 7))) flash("already finished");
 */
export async function cancelAsStaff(app: BroadcastApp, staff: StaffSession, broadcastId: number): Promise<boolean> {
  const now = app.clock.now();
  return app.store.transaction(async (tx) => {
    const row = await tx.db
      .selectFrom("broadcasts")
      .select("recipients")
      .where("id", "=", broadcastId)
      .executeTakeFirst();
    if (!row || !(await cancelBroadcast(tx, app.scheduler, broadcastId, now))) return false;
    await audit(tx.db, staff, "broadcast.cancel", { broadcastId, reach: Number(row.recipients) }, now);
    return true;
  });
}
