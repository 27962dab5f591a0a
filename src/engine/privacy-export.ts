/**
 * "My data": everything stored about an address, as one plain message.
 */
import { type Msg, msg, type Reply } from "../../flows/kit.ts";
import { cityById } from "../domain/cities.ts";
import { languageByCode } from "../domain/languages.ts";
import type { User } from "../domain/user.ts";
import { personalTables } from "../storage/personal-data.ts";
import type { PersonalData } from "../storage/store.ts";

const consentKeys = {
  given: "privacy.export.consentGiven",
  pending: "privacy.export.consentPending",
  refused: "privacy.export.consentRefused",
} as const;

/**
 * The export reply for a user and their stored rows.
 *
 * @example
 * exportReply(user, await tx.exportData(user.address));
 */
export function exportReply(
  user: User,
  data: PersonalData,
  researchConsent = false,
  featureLines: readonly Msg[] = [],
): Reply {
  const stored = data.user ?? user;
  const records = Object.values(data.counts).reduce((a, b) => a + b, 0);
  const city = cityById(stored.city);
  const tableLines = personalTables()
    .filter((t) => t.labelKey && (data.counts[t.table] ?? 0) > 0)
    .map((t) => msg(t.labelKey ?? "", { count: data.counts[t.table] ?? 0 }));
  return {
    kind: "text",
    compact: true,
    lines: [
      msg("privacy.export.intro"),
      msg("privacy.export.address", { value: stored.address }),
      msg("privacy.export.language", { value: languageByCode(stored.language)?.nativeName ?? "-" }),
      stored.city
        ? city
          ? msg("privacy.export.city", { value: msg(`cities.${city.id}`) })
          : msg("privacy.export.cityOther")
        : msg("privacy.export.cityNotSet"),
      msg("privacy.export.timeZone", { value: stored.timeZone }),
      msg(consentKeys[stored.consent]),
      msg(researchConsent ? "settings.research.on" : "settings.research.off"),
      msg("privacy.export.since", { value: stored.createdAt.toISOString().slice(0, 10) }),
      ...tableLines,
      ...featureLines,
      msg("privacy.export.records", { count: records }),
    ],
  };
}
