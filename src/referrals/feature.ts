/**
 * Return counselling wired into the bot: the information flow, the referral
 * it creates after consent, "My request" in the menu, the conversation with
 * a counsellor (the `counsel` flow), and the notices to counsellors (whoever
 * has the counsellor role when the notice is written: configured in
 * STAFF_ADDRESSES or added in the console) when a referral is made, a person
 * writes, a referral is withdrawn, or its person deletes their data.
 *
 * A new referral's notice carries what the person agreed to share (language,
 * city, the name they chose, their note, and their chat address only if they
 * chose to share it) and the link to the request in the console, so it is
 * queued with the person as its `subject`: withdrawing the referral or
 * deleting their data deletes it from the counsellors' outbox
 * (src/storage/personal-data.ts). The notices that follow name only the
 * request's number.
 */
import { createCounselFlow, withEnd } from "../../flows/counsel.ts";
import { type Line, msg, type Reply } from "../../flows/kit.ts";
import { createReturnFlow, myRequestFlow, type ReturnData } from "../../flows/return.ts";
import type { ContentPack } from "../content/pack.ts";
import type { Address } from "../domain/address.ts";
import { cityById } from "../domain/cities.ts";
import type { User } from "../domain/user.ts";
import { normalizeText, wordsOf } from "../engine/normalize.ts";
import type { FlowRegistry } from "../engine/registry.ts";
import { StaffRights } from "../staff/rights.ts";
import type { StoreTx } from "../storage/store.ts";
import {
  type CounselDeps,
  consoleLink,
  endConversation,
  personName,
  receiveFromPerson,
  tellCounsellors,
} from "./conversation.ts";
import { languageLabel } from "./inbox.ts";
import { createReferral, type Referral, referralOf, withdrawReferral } from "./repository.ts";

/** What the feature needs. */
export interface ReturnDeps extends CounselDeps {
  pack: ContentPack;
}

/** A typed value, trimmed, or null when it is empty or not text. */
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value.trim() : null);

/** The new request as a counsellor reads it, in their language. */
function details(deps: ReturnDeps, referral: Referral, language: string): Line[] {
  return [
    msg("return.staff.newRequest", { id: referral.id }),
    [
      msg("return.staff.name", { name: personName(referral) }),
      msg("return.staff.language", { language: languageLabel(deps.translator, language, referral.language) }),
      msg("return.staff.city", { city: cityById(referral.city) ? msg(`cities.${referral.city}`) : "-" }),
      referral.shareContact
        ? msg("return.staff.address", { address: referral.address })
        : msg("return.staff.noContact"),
      // The person's words stay in the console: a counsellor's own messenger keeps what it receives,
      // beyond the reach of "delete my data".
      referral.message ? msg("return.staff.hasMessage") : msg("return.staff.noMessage"),
    ],
    msg("return.staff.open", { url: consoleLink(deps, referral.id) }),
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

/** Whether a whole message is an end word in any language (`return.counsel.endWords`). */
function endWords(deps: ReturnDeps): (typed: string) => boolean {
  const words = new Set(
    deps.translator.languages.flatMap((lang) =>
      deps.translator.words(lang, "return.counsel.endWords").map((w) => normalizeText(w)),
    ),
  );
  words.delete("");
  return (typed) => words.has(normalizeText(typed));
}

/**
 * Whether a question typed anywhere asks for the person's request: it holds every word of "My
 * request" or "My counselling request" in some language ("my request?", "طلبي", "درخواست من").
 */
function asksForRequest(deps: ReturnDeps): (question: string) => boolean {
  const labels = deps.translator.languages
    .flatMap((lang) => ["return.myRequest", "return.menuRequest"].map((key) => wordsOf(deps.translator.t(lang, key))))
    .filter((words) => words.length > 0);
  return (question) => {
    const typed = new Set(wordsOf(question));
    return labels.some((words) => words.every((w) => typed.has(w)));
  };
}

/** What the person reads after each message to the counsellor: sent, with the end button again. */
const sentReply: Reply = withEnd([msg("return.counsel.sent")]);

/**
 * Registers voluntary-return information, referrals and the conversation with counsellors.
 *
 * @example
 * registerReturn(registry, { pack, engine, translator, staff, logger, orgName: "Lotse", publicUrl });
 */
export function registerReturn(registry: FlowRegistry, deps: ReturnDeps): FlowRegistry {
  const rights = new StaffRights(deps.staff, deps.logger);
  const referralData = (referral: Referral | undefined): ReturnData["referral"] =>
    referral
      ? {
          id: referral.id,
          createdAt: referral.createdAt,
          message: referral.message,
          status: referral.status,
          conversationOpen: referral.conversationOpen,
          displayName: referral.displayName,
          shareContact: referral.shareContact,
        }
      : null;
  const mine = (tx: StoreTx, user: User) => referralOf(tx.db, user.address);
  const isRequestQuestion = asksForRequest(deps);
  const requestLabel = Object.fromEntries(
    deps.translator.languages.map((lang) => [lang, deps.translator.t(lang, "return.menuRequest")]),
  );
  return (
    registry
      .addFlow(createReturnFlow(deps.pack, { orgName: deps.orgName }))
      .addFlow(myRequestFlow)
      .addFlow(createCounselFlow({ orgName: deps.orgName, isEndWord: endWords(deps) }))
      // "my request" typed where no choice or flow takes it: the search offers the request itself.
      .onLink("request", (value) => (value === "mine" ? { flowId: "return", params: { start: "request" } } : undefined))
      .onQuestion(async (tx, user, question) =>
        isRequestQuestion(question) && (await mine(tx, user))
          ? [{ kind: "return", label: requestLabel, link: "request_mine", score: 100 }]
          : [],
      )
      .addFacts(async (tx, user) => {
        const referral = await mine(tx, user);
        return { referral: referral ? 1 : 0 };
      })
      .onInput(
        "return",
        async (tx, user): Promise<ReturnData> => ({
          referral: referralData(await mine(tx, user)),
          // No counsellor, no offer: a request nobody reads would be a broken promise.
          counsellors: (await rights.holders(tx, "counsellor")).length > 0,
        }),
      )
      .onEffect("feature.return.refer", async (tx, user, effect, now) => {
        const data = "data" in effect ? effect.data : {};
        // A new request replaces an earlier one: its details go from the outbox with it.
        await forgetDetails(tx, user.address);
        const referral = await createReferral(
          tx.db,
          {
            address: user.address,
            language: user.language ?? "en",
            city: user.city,
            message: text(data.message),
            displayName: text(data.name),
            shareContact: data.shareContact === true,
          },
          now,
        );
        const counsellors = await rights.holders(tx, "counsellor");
        await tellCounsellors(tx, deps, counsellors, (lang) => details(deps, referral, lang), now, user.address);
        return undefined;
      })
      .onEffect("feature.return.withdraw", async (tx, user, _effect, now) => {
        const withdrawn = await withdrawReferral(tx.db, user.address);
        if (!withdrawn) return undefined;
        const to = await toldAbout(tx, rights, user.address);
        await forgetDetails(tx, user.address);
        await tellCounsellors(tx, deps, to, () => [msg("return.staff.withdrawn", { id: withdrawn.id })], now);
        return undefined;
      })
      .onEffect("feature.counsel.say", async (tx, user, effect, now) => {
        const typed = "data" in effect ? text(effect.data.text) : null;
        const result = typed ? await receiveFromPerson(tx, deps, user.address, typed, now) : "closed";
        return result === "sent" ? [sentReply] : [{ kind: "text", lines: [msg("return.counsel.notOpen")] }];
      })
      .onEffect("feature.counsel.end", async (tx, user, _effect, now) => {
        const referral = await mine(tx, user);
        if (referral) await endConversation(tx, deps, { referralId: referral.id, by: "person" }, now);
        return undefined;
      })
      .onErase(async (tx, user, now) => {
        // Runs before the erasure deletes the referral, its notes and messages, and every notice `about`
        // the person; this notice names only the request's number, so it is not about them and stays.
        const open = await mine(tx, user);
        if (!open) return;
        const to = await toldAbout(tx, rights, user.address);
        await tellCounsellors(tx, deps, to, () => [msg("return.staff.erased", { id: open.id })], now);
      })
  );
}
