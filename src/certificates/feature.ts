/**
 * Certificates wired into the engine: the certificate flow, what it starts with (the course's progress,
 * a certificate already issued, the name on the last one), issuing and sending, how many a person has
 * (for "delete my data"), and keeping them valid without the address when the person asks.
 */

import { type CertificateData, certificateFlow, printableName } from "../../flows/certificate.ts";
import type { Effect, Reply } from "../../flows/kit.ts";
import { msg } from "../../flows/kit.ts";
import type { ContentPack } from "../content/pack.ts";
import type { FlowRegistry } from "../engine/registry.ts";
import type { Translator } from "../i18n/index.ts";
import { lessonPositions } from "../learning/repository.ts";
import type { Logger } from "../log.ts";
import { certificateUrls, issueCertificate } from "./issue.ts";
import { preloadCertificateLibraries } from "./libraries.ts";
import { certificateById, certificatesOf, detachCertificates, type StoredCertificate } from "./repository.ts";

/** What the certificate feature needs. */
export interface CertificateSettings {
  pack: ContentPack;
  translator: Translator;
  orgName: string;
  publicUrl: string;
  logger: Logger;
}

function field(effect: Effect, name: string): string {
  return "data" in effect ? String(effect.data[name] ?? "") : "";
}

/**
 * The certificate as sent in the chat: a line with the check page, then the PDF.
 *
 * @example
 * sentReplies(certificate, course.title, "https://lotse.example", "certificates.issued");
 */
function sentReplies(
  certificate: StoredCertificate,
  courseTitle: Readonly<Record<string, string>>,
  publicUrl: string,
  key: "certificates.issued" | "certificates.sentAgain",
): Reply[] {
  const urls = certificateUrls(publicUrl, certificate.id);
  return [
    { kind: "text", lines: [msg(key, { course: courseTitle, name: certificate.name, url: urls.page })] },
    {
      kind: "media",
      mediaKind: "document",
      url: urls.pdf,
      caption: msg("certificates.pdfCaption", { course: courseTitle }),
      filename: `certificate-${certificate.courseId}.pdf`,
    },
  ];
}

/**
 * Registers the certificate flow and its effects.
 *
 * @example
 * registerCertificates(registry, { pack, translator, orgName, publicUrl, logger });
 */
export function registerCertificates(registry: FlowRegistry, settings: CertificateSettings): FlowRegistry {
  const { pack, publicUrl, logger } = settings;
  return (
    registry
      .addFlow(certificateFlow)
      .onInput("certificate", async (tx, user, _now, params): Promise<CertificateData> => {
        // The name question comes first: the signing and PDF libraries load meanwhile.
        preloadCertificateLibraries();
        const course = pack.course(params.course ?? "");
        const lessons = course ? pack.lessonsOf(course.id) : [];
        const { completed } = await lessonPositions(tx.db, user.address);
        const mine = await certificatesOf(tx.db, user.address);
        // A revoked certificate is not sent again as if valid: the person may ask for a new one.
        const valid = mine.filter((c) => c.revokedAt === null);
        const issued = valid.find((c) => c.courseId === course?.id);
        const blocked = !issued && mine.some((c) => c.courseId === course?.id && !c.newAllowed);
        return {
          ...(course ? { courseTitle: course.title } : {}),
          done: lessons.filter((l) => completed.includes(l.id)).length,
          total: lessons.length,
          ...(issued ? { issued: issued.id } : {}),
          ...(blocked ? { blocked } : {}),
          // Not the name of a withdrawn certificate: it may be why it was withdrawn (a typo).
          ...(valid[0] ? { lastName: valid[0].name } : {}),
        };
      })
      // Only valid ones are asked about: withdrawn ones are deleted with the rest.
      .onInput("privacy", async (tx, user) => ({
        certificates: (await certificatesOf(tx.db, user.address)).filter((c) => c.revokedAt === null).length,
      }))
      // "My data" shows the names themselves: a count would hide the one thing only the person chose to give.
      .onExport(async (tx, user) => {
        const names = [...new Set((await certificatesOf(tx.db, user.address)).map((c) => `“${c.name}”`))];
        return names.length > 0 ? [msg("certificates.myData", { names: names.join(", ") })] : [];
      })
      .onEffect("feature.certificates.issue", async (tx, user, effect, now) => {
        const course = pack.course(field(effect, "course"));
        const name = printableName(field(effect, "name"));
        if (!course || !name) return [{ kind: "text", lines: [msg("certificates.unavailable")] }];
        // Checked again here: the flow's data was read when it started.
        const { completed } = await lessonPositions(tx.db, user.address);
        const lessons = pack.lessonsOf(course.id);
        if (lessons.length === 0 || !lessons.every((l) => completed.includes(l.id))) {
          const done = lessons.filter((l) => completed.includes(l.id)).length;
          return [
            {
              kind: "text",
              lines: [msg("certificates.notYet", { course: course.title, done, total: lessons.length })],
            },
          ];
        }
        const existing = (await certificatesOf(tx.db, user.address)).find(
          (c) => c.courseId === course.id && c.revokedAt === null,
        );
        if (existing) return sentReplies(existing, course.title, publicUrl, "certificates.sentAgain");
        // Withdrawn for cause: not issued again (checked here too, the flow's data may be older).
        const withdrawn = await certificatesOf(tx.db, user.address);
        if (withdrawn.some((c) => c.courseId === course.id && !c.newAllowed))
          return [{ kind: "text", lines: [msg("certificates.blocked", { course: course.title })] }];
        try {
          const certificate = await issueCertificate(
            tx.db,
            settings,
            { address: user.address, language: user.language ?? "en" },
            course,
            name,
            now,
          );
          logger.info("certificate.issued", { course: course.id, certificate: certificate.id });
          return sentReplies(certificate, course.title, publicUrl, "certificates.issued");
        } catch (error) {
          // Signing failed (a damaged key row, say): the person hears it, their progress is untouched.
          logger.error("certificate.issue_failed", { course: course.id, error });
          return [{ kind: "text", lines: [msg("certificates.unavailable")] }];
        }
      })
      .onEffect("feature.certificates.send", async (tx, user, effect) => {
        const certificate = await certificateById(tx.db, field(effect, "id"));
        const course = certificate ? pack.course(certificate.courseId) : undefined;
        if (!certificate || certificate.address !== user.address || !course) {
          return [{ kind: "text", lines: [msg("certificates.unavailable")] }];
        }
        return sentReplies(certificate, course.title, publicUrl, "certificates.sentAgain");
      })
      .onEffect("feature.certificates.keepOnErase", async (tx, user) => {
        await detachCertificates(tx.db, user.address);
        return undefined;
      })
  );
}
