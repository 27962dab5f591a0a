/**
 * Return counselling wired into the bot: the information flow, the referral
 * it creates after consent, and the notice to every counsellor (staff with
 * the counsellor role) when a referral is made or withdrawn.
 */
import { msg } from "../../flows/kit.ts";
import { createReturnFlow, type ReturnData } from "../../flows/return.ts";
import type { ContentPack } from "../content/pack.ts";
import { cityById } from "../domain/cities.ts";
import { languageByCode } from "../domain/languages.ts";
import type { FlowRegistry } from "../engine/registry.ts";
import type { ReplyRenderer } from "../engine/render.ts";
import type { StaffDirectory } from "../staff/roles.ts";
import type { StoreTx } from "../storage/store.ts";
import { createReferral, type Referral, referralOf, withdrawReferral } from "./repository.ts";

async function notifyCounsellors(
  tx: StoreTx,
  staff: StaffDirectory,
  renderer: ReplyRenderer,
  key: string,
  referral: Referral,
  now: Date,
): Promise<void> {
  for (const counsellor of staff.withRole("counsellor")) {
    const language = (await tx.getUser(counsellor))?.language ?? "en";
    const lines = [
      msg(key, { id: referral.id }),
      ...(key === "return.staff.new"
        ? [
            [
              msg("return.staff.address", { address: referral.address }),
              msg("return.staff.language", {
                language: languageByCode(referral.language)?.nativeName ?? referral.language,
              }),
              msg("return.staff.city", { city: cityById(referral.city)?.name ?? "-" }),
              referral.message
                ? msg("return.staff.message", { text: referral.message })
                : msg("return.staff.noMessage"),
            ],
            msg("return.staff.how"),
          ]
        : []),
    ];
    await tx.enqueue(counsellor, [{ ...renderer.render({ kind: "text", lines }, language), purpose: "notice" }], now);
  }
}

/**
 * Registers voluntary-return information and referrals.
 *
 * @example
 * registerReturn(registry, { pack, staff, renderer: engine.renderer });
 */
export function registerReturn(
  registry: FlowRegistry,
  deps: { pack: ContentPack; staff: StaffDirectory; renderer: ReplyRenderer },
): FlowRegistry {
  return registry
    .addFlow(createReturnFlow(deps.pack))
    .onInput("return", async (tx, user): Promise<ReturnData> => {
      const referral = await referralOf(tx.db, user.address);
      return { referral: referral ? { createdAt: referral.createdAt, message: referral.message } : null };
    })
    .onEffect("feature.return.refer", async (tx, user, effect, now) => {
      const raw = "data" in effect ? effect.data.message : null;
      const message = typeof raw === "string" && raw.trim() ? raw.trim() : null;
      const referral = await createReferral(
        tx.db,
        { address: user.address, language: user.language ?? "en", city: user.city, message },
        now,
      );
      await notifyCounsellors(tx, deps.staff, deps.renderer, "return.staff.new", referral, now);
      return undefined;
    })
    .onEffect("feature.return.withdraw", async (tx, user, _effect, now) => {
      const withdrawn = await withdrawReferral(tx.db, user.address);
      if (withdrawn) await notifyCounsellors(tx, deps.staff, deps.renderer, "return.staff.withdrawn", withdrawn, now);
      return undefined;
    });
}
