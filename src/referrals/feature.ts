/**
 * Return counselling wired into the bot: the information flow, the referral
 * it creates after consent, and the notices to counsellors (staff with the
 * counsellor role when the notice is written) when a referral is made, is
 * withdrawn, or its person deletes their data.
 *
 * A new referral's notice carries the person's address, language, city and
 * note, so it is queued with the person as its `subject`: withdrawing the
 * referral or deleting their data deletes it from the counsellors' outbox
 * (src/storage/personal-data.ts). The notices that follow name only the
 * request's number.
 */
import { type Line, msg } from "../../flows/kit.ts";
import { createReturnFlow, type ReturnData } from "../../flows/return.ts";
import type { ContentPack } from "../content/pack.ts";
import type { Address } from "../domain/address.ts";
import { cityById } from "../domain/cities.ts";
import { languageByCode } from "../domain/languages.ts";
import type { FlowRegistry } from "../engine/registry.ts";
import type { ReplyRenderer } from "../engine/render.ts";
import type { Logger } from "../log.ts";
import { StaffRights } from "../staff/rights.ts";
import type { StaffDirectory } from "../staff/roles.ts";
import type { StoreTx } from "../storage/store.ts";
import { createReferral, type Referral, referralOf, withdrawReferral } from "./repository.ts";

/** What the feature needs. */
export interface ReturnDeps {
  pack: ContentPack;
  /** Read when each notice is written: a counsellor removed meanwhile gets no new requests. */
  staff: StaffDirectory;
  renderer: ReplyRenderer;
  logger: Logger;
}

async function tell(
  tx: StoreTx,
  renderer: ReplyRenderer,
  to: Address[],
  lines: Line[],
  now: Date,
  subject?: Address,
): Promise<void> {
  for (const counsellor of to) {
    const language = (await tx.getUser(counsellor))?.language ?? "en";
    const outbound = { ...renderer.render({ kind: "text", lines }, language), purpose: "notice" as const };
    await tx.enqueue(counsellor, [outbound], now, subject ? { subject } : {});
  }
}

/** The person's details, as they agreed to share them. */
function details(referral: Referral): Line[] {
  return [
    msg("return.staff.new", { id: referral.id }),
    [
      msg("return.staff.address", { address: referral.address }),
      msg("return.staff.language", {
        language: languageByCode(referral.language)?.nativeName ?? referral.language,
      }),
      msg("return.staff.city", { city: cityById(referral.city)?.name ?? "-" }),
      referral.message ? msg("return.staff.message", { text: referral.message }) : msg("return.staff.noMessage"),
    ],
    msg("return.staff.how"),
  ];
}

/**
 * Who must hear that a referral is gone: everyone whose outbox still holds its
 * details (they were told; even if no longer a counsellor, they may have
 * notes) and every counsellor now (older notices may have been pruned).
 */
async function toldAbout(tx: StoreTx, rights: StaffRights, address: Address): Promise<Address[]> {
  const rows = await tx.db.selectFrom("outbox").select("address").distinct().where("subject", "=", address).execute();
  return [...new Set([...rows.map((r) => r.address as Address), ...(await rights.holders(tx, "counsellor"))])];
}

/** Deletes every queued or sent notice that carries the person's details. */
async function forgetDetails(tx: StoreTx, address: Address): Promise<void> {
  await tx.db.deleteFrom("outbox").where("subject", "=", address).execute();
}

/**
 * Registers voluntary-return information and referrals.
 *
 * @example
 * registerReturn(registry, { pack, staff, renderer: engine.renderer, logger });
 */
export function registerReturn(registry: FlowRegistry, deps: ReturnDeps): FlowRegistry {
  const rights = new StaffRights(deps.staff, deps.logger);
  return registry
    .addFlow(createReturnFlow(deps.pack))
    .onInput("return", async (tx, user): Promise<ReturnData> => {
      const referral = await referralOf(tx.db, user.address);
      return { referral: referral ? { createdAt: referral.createdAt, message: referral.message } : null };
    })
    .onEffect("feature.return.refer", async (tx, user, effect, now) => {
      const raw = "data" in effect ? effect.data.message : null;
      const message = typeof raw === "string" && raw.trim() ? raw.trim() : null;
      // A new request replaces an earlier one: its details go from the outbox with it.
      await forgetDetails(tx, user.address);
      const referral = await createReferral(
        tx.db,
        { address: user.address, language: user.language ?? "en", city: user.city, message },
        now,
      );
      const counsellors = await rights.holders(tx, "counsellor");
      await tell(tx, deps.renderer, counsellors, details(referral), now, user.address);
      return undefined;
    })
    .onEffect("feature.return.withdraw", async (tx, user, _effect, now) => {
      const withdrawn = await withdrawReferral(tx.db, user.address);
      if (!withdrawn) return undefined;
      const to = await toldAbout(tx, rights, user.address);
      await forgetDetails(tx, user.address);
      await tell(tx, deps.renderer, to, [msg("return.staff.withdrawn", { id: withdrawn.id })], now);
      return undefined;
    })
    .onErase(async (tx, user, now) => {
      // Runs before the erasure deletes the referral and every notice `about` the person;
      // this notice names only the request's number, so it is not about them and stays.
      const open = await referralOf(tx.db, user.address);
      if (!open) return;
      const to = await toldAbout(tx, rights, user.address);
      await tell(tx, deps.renderer, to, [msg("return.staff.erased", { id: open.id })], now);
    });
}
