/**
 * One service as a person reads it on a phone: what it helps with, where, how
 * to call, when it is open, languages, cost, a map link, and, where nobody
 * has confirmed the facts yet, "please check before you go".
 */
import type { DirectoryService } from "../src/services/overrides.ts";
import { type Line, msg } from "./kit.ts";

/** A map link that opens in any browser or map app, with no tracking and no key. */
export function mapLink(lat: number, lon: number): string {
  return `https://www.openstreetmap.org/?mlat=${lat.toFixed(5)}&mlon=${lon.toFixed(5)}#map=18/${lat.toFixed(5)}/${lon.toFixed(5)}`;
}

/** A language's name in itself ("Deutsch", "العربية"), readable whatever the reader's language. */
function autonym(code: string): string {
  try {
    return new Intl.DisplayNames([code], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The lines of a service card.
 *
 * @example
 * ask(serviceCard(service), [choice("svc.results", "services.backToResults")]);
 */
export function serviceCard(service: DirectoryService): Line[] {
  const closed = service.staffUpdate?.closed === true;
  const facts = [
    service.address ? msg("services.card.address", { text: service.address }) : undefined,
    service.coordinates
      ? msg("services.card.map", { url: mapLink(service.coordinates.lat, service.coordinates.lon) })
      : undefined,
    service.phone ? msg("services.card.phone", { text: service.phone }) : undefined,
    service.website ? msg("services.card.website", { url: service.website }) : undefined,
    // A closed place's opening hours ("day and night") would say the opposite of the closure above them.
    closed
      ? undefined
      : service.hours
        ? msg("services.card.hours", { text: service.hours })
        : service.byAppointment
          ? msg("services.card.byAppointment")
          : undefined,
    service.languages.length > 0
      ? msg("services.card.languages", { names: service.languages.map(autonym).join(", ") })
      : undefined,
    msg(`services.card.cost.${service.cost}`),
  ].filter((line) => line !== undefined);
  const trust =
    service.lastVerified === undefined
      ? msg("services.card.neverChecked")
      : msg(service.verified ? "services.card.verified" : "services.card.unverified", { date: service.lastVerified });
  const update = service.staffUpdate;
  // A correction by the team comes first: a closure or a changed number matters more than anything else.
  const staffLines = update
    ? [
        ...(update.closed ? [msg("services.card.closed")] : []),
        ...(update.note ? [msg("services.card.note", { text: update.note })] : []),
        msg("services.card.updatedByTeam", { date: update.on }),
      ]
    : [];
  if (closed) {
    // Nothing that says it is open: not its hours, not "✓ Checked" vouching for them, not its description,
    // which often tells when it is open (staff trial: a Dari reader's closed emergency department still read
    // "open day and night" twice and "✓ checked"). The address and number stay, to find it or ask when it
    // opens again.
    return [msg("common.raw", { text: service.name }), staffLines, facts];
  }
  return [
    msg("common.raw", { text: service.name }),
    msg("common.raw", { text: service.helpsWith }),
    facts,
    // A fact the team changed was not checked against the sources: "✓ Checked" would vouch for it.
    update ? (service.verified ? staffLines : [...staffLines, trust]) : trust,
  ];
}
