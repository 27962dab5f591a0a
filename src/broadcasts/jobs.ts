/**
 * The scheduler job that sends a broadcast when it is due: its audience is queued a page per
 * transaction (progress shows while it runs, and a large audience holds the database's write lock for
 * one page at a time), each reader's text rendered by the chat's renderer, and before every page the
 * creator's staff role is checked again, so a revoked staff member's broadcast is cancelled, not sent.
 */
import type { ContentPack } from "../content/pack.ts";
import type { ReplyRenderer } from "../engine/render.ts";
import type { Logger } from "../log.ts";
import type { SqlScheduler } from "../scheduler/scheduler.ts";
import type { StaffRights } from "../staff/rights.ts";
import { broadcastKind } from "./broadcasts.ts";
import { creatorStillStaff } from "./creator.ts";
import { queueBroadcast } from "./fan-out.ts";

/** What the job needs. */
export interface BroadcastJobDeps {
  pack: ContentPack;
  renderer: ReplyRenderer;
  rights: StaffRights;
  logger: Logger;
}

/**
 * Registers the `broadcast.send` job.
 *
 * @example
 * registerBroadcastJob(scheduler, { pack, renderer: engine.renderer, rights, logger });
 */
export function registerBroadcastJob(scheduler: SqlScheduler, deps: BroadcastJobDeps): void {
  const creatorCheck = creatorStillStaff(deps.rights, deps.logger);
  scheduler.onOwnTransactions(broadcastKind, async (store, job, now) => {
    await queueBroadcast(store, Number(job.payload.broadcastId), deps.pack, now, {
      renderer: deps.renderer,
      creatorCheck,
    });
  });
}
