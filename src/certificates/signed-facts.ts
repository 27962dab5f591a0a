/**
 * What a certificate says, read from its signed credential, never from the columns beside it: the page
 * and the PDF show exactly what was signed, so a changed row, a renamed course or a new organisation
 * name cannot rewrite an issued certificate.
 */

/** The facts of an issued certificate as signed. */
export interface SignedFacts {
  /** The name the person chose. */
  name: string;
  /** The course's title in the language it was issued in. */
  courseTitle: string;
  /** The organisation that issued it. */
  issuer: string;
  /** When it was issued, ISO. */
  issuedAt: string;
  /** DigComp competences with their level ("basic"…). */
  competences: { code: string; level: string }[];
}

interface CredentialShape {
  validFrom?: string;
  issuer?: { name?: string };
  credentialSubject?: {
    identifier?: { identityHash?: string }[];
    achievement?: { name?: string; alignment?: { targetCode?: string; targetDescription?: string }[] };
  };
}

/**
 * The signed facts of a credential, or undefined when it is not one Lotse made.
 *
 * @example
 * signedFacts(certificate.credential)?.name; // "مریم احمدی"
 */
export function signedFacts(credentialJson: string): SignedFacts | undefined {
  let credential: CredentialShape;
  try {
    credential = JSON.parse(credentialJson) as CredentialShape;
  } catch {
    return undefined;
  }
  const name = credential.credentialSubject?.identifier?.[0]?.identityHash;
  const courseTitle = credential.credentialSubject?.achievement?.name;
  const issuer = credential.issuer?.name;
  const issuedAt = credential.validFrom;
  if (!name || !courseTitle || !issuer || !issuedAt) return undefined;
  const competences = (credential.credentialSubject?.achievement?.alignment ?? []).map((a) => ({
    code: a.targetCode ?? "",
    level: (a.targetDescription ?? "")
      .replace(/^Proficiency:\s*/, "")
      .trim()
      .replace(/\s+/g, "-"),
  }));
  return { name, courseTitle, issuer, issuedAt, competences };
}
