/**
 * The certificate PDF's texts for a stored certificate: in the language the person read the course
 * in, and in English for an employer, made from the signed credential (src/certificates/signed-facts.ts),
 * so the PDF says what was signed and never more. Made PDFs are kept in a small cache: making one
 * costs most of a second of CPU, and the check link is public.
 */
import type { App } from "../app.ts";
import { certificateUrls } from "./issue.ts";
import { pdfLibrary } from "./libraries.ts";
import type { CertificateTexts } from "./pdf.ts";
import type { StoredCertificate } from "./repository.ts";
import { type SignedFacts, signedFacts } from "./signed-facts.ts";

/** PDFs kept in memory (about 25 KB each); the oldest goes first. */
const cacheSize = 200;
const cache = new Map<string, Buffer>();

function textsIn(app: App, language: string, certificate: StoredCertificate, facts: SignedFacts): CertificateTexts {
  const t = (key: string, params?: Record<string, unknown>) => app.translator.t(language, key, params);
  // The signed title in the certificate's language; the English lines take the course's English title.
  const title =
    language === certificate.language
      ? facts.courseTitle
      : (app.content.course(certificate.courseId)?.title[language] ?? facts.courseTitle);
  const date = new Date(facts.issuedAt).toLocaleDateString(language === "en" ? "en-GB" : language, {
    dateStyle: "long",
    timeZone: "UTC",
    // Gregorian in every language, as the check page: the holder and an employer read the same date.
    calendar: "gregory",
  });
  return {
    heading: t("certificates.pdf.heading"),
    completed: t("certificates.pdf.completed"),
    course: title,
    competencesTitle: t("certificates.pdf.competences"),
    competences: facts.competences.map(
      (a) => `${a.code} ${t(`digcomp.${a.code}`)}: ${t(`certificates.pdf.level.${a.level}`)}`,
    ),
    issuedOn: t("certificates.pdf.issuedOn", { date, issuer: facts.issuer }),
    issuer: facts.issuer,
    verifyLine: t("certificates.pdf.verify"),
    verifyUrl: certificateUrls(app.publicUrl, certificate.id).page,
    id: certificate.id,
  };
}

/**
 * The PDF of a stored certificate, or undefined when its credential cannot be read.
 *
 * @example
 * const pdf = await certificatePdfFor(app, certificate);
 */
export async function certificatePdfFor(app: App, certificate: StoredCertificate): Promise<Buffer | undefined> {
  const known = cache.get(certificate.id);
  if (known) return known;
  const facts = signedFacts(certificate.credential);
  if (!facts) return undefined;
  const { certificatePdf } = await pdfLibrary();
  const pdf = await certificatePdf({
    name: facts.name,
    language: certificate.language,
    texts: textsIn(app, certificate.language, certificate, facts),
    englishTexts: textsIn(app, "en", certificate, facts),
  });
  cache.set(certificate.id, pdf);
  if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
  return pdf;
}
