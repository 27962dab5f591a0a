/**
 * The certificate PDF's texts for a stored certificate: in the language the person read the course
 * in, and in English for an employer, made from the signed credential (so the PDF never says more
 * than the credential does).
 */
import type { App } from "../app.ts";
import { certificateUrls } from "./issue.ts";
import { type CertificateTexts, certificatePdf } from "./pdf.ts";
import type { StoredCertificate } from "./repository.ts";

interface Alignment {
  targetCode?: string;
  targetDescription?: string;
}

function alignmentsOf(certificate: StoredCertificate): Alignment[] {
  try {
    const credential = JSON.parse(certificate.credential) as {
      credentialSubject?: { achievement?: { alignment?: Alignment[] } };
    };
    return credential.credentialSubject?.achievement?.alignment ?? [];
  } catch {
    return [];
  }
}

/** "Proficiency: highly advanced" → "highly-advanced", the key of the level's name. */
function levelKey(description: string | undefined): string {
  return (description ?? "")
    .replace(/^Proficiency:\s*/, "")
    .trim()
    .replace(/\s+/g, "-");
}

function textsIn(app: App, language: string, certificate: StoredCertificate): CertificateTexts {
  const t = (key: string, params?: Record<string, unknown>) => app.translator.t(language, key, params);
  const course = app.content.course(certificate.courseId);
  const title = course ? (course.title[language] ?? course.title.en ?? certificate.courseId) : certificate.courseId;
  const date = new Date(certificate.issuedAt).toLocaleDateString(language === "en" ? "en-GB" : language, {
    dateStyle: "long",
    timeZone: "UTC",
  });
  return {
    heading: t("certificates.pdf.heading"),
    completed: t("certificates.pdf.completed"),
    course: title,
    competencesTitle: t("certificates.pdf.competences"),
    competences: alignmentsOf(certificate).map(
      (a) =>
        `${a.targetCode ?? ""} ${t(`digcomp.${a.targetCode ?? ""}`)}: ${t(`certificates.pdf.level.${levelKey(a.targetDescription)}`)}`,
    ),
    issuedOn: t("certificates.pdf.issuedOn", { date, issuer: app.orgName }),
    issuer: app.orgName,
    verifyLine: t("certificates.pdf.verify"),
    verifyUrl: certificateUrls(app.publicUrl, certificate.id).page,
    id: certificate.id,
  };
}

/**
 * The PDF of a stored certificate.
 *
 * @example
 * const pdf = await certificatePdfFor(app, certificate);
 */
export function certificatePdfFor(app: App, certificate: StoredCertificate): Promise<Buffer> {
  return certificatePdf({
    name: certificate.name,
    language: certificate.language,
    texts: textsIn(app, certificate.language, certificate),
    englishTexts: textsIn(app, "en", certificate),
  });
}
